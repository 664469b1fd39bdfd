// GOV.UK error summary: move focus to it when the page loads, so a screen reader reads the
// problems first, and let its links put focus in the field (not only scroll to it). A static
// file because the CSP allows no inline script; without script the summary is still first in main.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    const field = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input, select, textarea, button");
    if (!field) {
      return;
    }
    event.preventDefault();
    const label = field.id ? document.querySelector(`label[for="${CSS.escape(field.id)}"]`) : null;
    const fieldset = field.closest("fieldset");
    (fieldset || label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
