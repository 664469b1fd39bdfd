/* Progressive enhancement of "Report a missed signal": copy the text selected in the marked note
   into the sentence field, without the labels the page shows after each mark. Without
   JavaScript the sentence is copied and pasted by hand; nothing here is sent anywhere. */
(function () {
  "use strict";
  var button = document.getElementById("use-selection");
  var field = document.getElementById("id_missed-sentence");
  var note = document.querySelector(".marked-note");
  if (!button || !field || !note) {
    return;
  }
  var selected = "";
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!note.contains(range.commonAncestorContainer)) {
      return;
    }
    var copy = range.cloneContents();
    copy.querySelectorAll(".finding__tag").forEach(function (tag) {
      tag.remove();
    });
    selected = copy.textContent.replace(/\s+/g, " ").trim();
  });
  button.hidden = false;
  button.addEventListener("click", function () {
    if (selected) {
      var limit = field.maxLength > 0 ? field.maxLength : 500;
      field.value = selected.slice(0, limit);
    }
    field.focus();
  });
})();
