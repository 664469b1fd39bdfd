// Herkennen explainer player: turns the static list of scenes into a player with
// play/pause/step and keyboard control. Without JavaScript every scene and the transcript stay
// readable. With prefers-reduced-motion the player starts paused and nothing animates (CSS).
(function () {
  "use strict";

  function setUp(root) {
    var scenes = Array.prototype.slice.call(root.querySelectorAll(".explainer__scene"));
    var controls = root.querySelector(".explainer__controls");
    if (!scenes.length || !controls) {
      return;
    }
    var toggle = controls.querySelector('[data-action="toggle"]');
    var status = controls.querySelector("[data-status]");
    var current = 0;
    var timer = null;

    function show(index) {
      current = Math.max(0, Math.min(scenes.length - 1, index));
      scenes.forEach(function (scene, i) {
        scene.hidden = i !== current;
      });
      status.textContent = root.dataset.labelStatus
        .replace("{n}", String(current + 1))
        .replace("{total}", String(scenes.length));
    }

    function schedule() {
      var seconds = parseFloat(scenes[current].dataset.duration) || 6;
      timer = window.setTimeout(function () {
        if (current < scenes.length - 1) {
          show(current + 1);
          schedule();
        } else {
          pause();
        }
      }, seconds * 1000);
    }

    function play() {
      if (timer !== null) {
        return;
      }
      if (current === scenes.length - 1) {
        show(0);
      }
      toggle.textContent = root.dataset.labelPause;
      toggle.setAttribute("aria-pressed", "true");
      schedule();
    }

    function pause() {
      if (timer !== null) {
        window.clearTimeout(timer);
        timer = null;
      }
      toggle.textContent = root.dataset.labelPlay;
      toggle.setAttribute("aria-pressed", "false");
    }

    function step(delta) {
      pause();
      show(current + delta);
    }

    controls.addEventListener("click", function (event) {
      var action = event.target.closest("[data-action]");
      if (!action) {
        return;
      }
      if (action.dataset.action === "toggle") {
        if (timer === null) {
          play();
        } else {
          pause();
        }
      } else if (action.dataset.action === "next") {
        step(1);
      } else if (action.dataset.action === "previous") {
        step(-1);
      }
    });

    root.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight") {
        step(1);
        event.preventDefault();
      } else if (event.key === "ArrowLeft") {
        step(-1);
        event.preventDefault();
      } else if (event.key === " " && event.target === root) {
        if (timer === null) { play(); } else { pause(); }
        event.preventDefault();
      }
    });

    root.tabIndex = 0;
    root.classList.add("explainer--player");
    controls.hidden = false;
    show(0);
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (!reduce) {
      play();
    }
  }

  document.querySelectorAll("[data-explainer]").forEach(setUp);
})();
