// Herkennen explainer player: turns the static list of scenes into a player with play/pause/step
// and keyboard control. Without JavaScript every scene, every question and the transcript stay
// readable. With prefers-reduced-motion nothing moves (CSS) and the player starts paused. Playing
// never runs past a pause point: it stops at a scene with a question, and only the learner (or
// trainer) moves on. In presenter mode ([data-presenter]) the keys are those a trainer expects:
// right arrow, space or Page Down next; left arrow or Page Up back; P play or pause; Esc leaves.
(function () {
  "use strict";

  function setUp(root) {
    var scenes = Array.prototype.slice.call(root.querySelectorAll(".explainer__scene"));
    var controls = root.querySelector(".explainer__controls");
    if (!scenes.length || !controls) {
      return;
    }
    var presenter = root.hasAttribute("data-presenter");
    var toggle = controls.querySelector('[data-action="toggle"]');
    var status = controls.querySelector("[data-status]");
    var current = 0;
    var timer = null;

    function isPause(index) {
      return scenes[index].hasAttribute("data-pause");
    }

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
        timer = null;
        if (isPause(current)) {
          // The question stays on screen until someone moves on.
          pause();
          status.textContent += " · " + root.dataset.labelStopped;
        } else if (current < scenes.length - 1) {
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
      } else if (isPause(current)) {
        // Pressing play at a question means: move on.
        show(current + 1);
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

    function playOrPause() {
      if (timer === null) {
        play();
      } else {
        pause();
      }
    }

    function step(delta) {
      pause();
      show(current + delta);
    }

    function fullscreen() {
      if (document.fullscreenElement) {
        document.exitFullscreen();
      } else if (root.requestFullscreen) {
        root.requestFullscreen().catch(function () {});
      }
    }

    controls.addEventListener("click", function (event) {
      var action = event.target.closest("[data-action]");
      if (!action) {
        return;
      }
      var name = action.dataset.action;
      if (name === "toggle") {
        playOrPause();
      } else if (name === "next") {
        step(1);
      } else if (name === "previous") {
        step(-1);
      } else if (name === "fullscreen") {
        fullscreen();
      }
    });

    // Space and Enter keep their own meaning on buttons, links and the answer's summary.
    function onControl(target) {
      return target.closest && target.closest("button, a, summary, input, select, textarea");
    }

    var keyTarget = presenter ? document : root;
    keyTarget.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var key = event.key;
      if (key === "ArrowRight" || (presenter && key === "PageDown")) {
        step(1);
      } else if (key === "ArrowLeft" || (presenter && key === "PageUp")) {
        step(-1);
      } else if (key === " " && presenter && !onControl(event.target)) {
        step(1);
      } else if (key === " " && !presenter && event.target === root) {
        playOrPause();
      } else if (presenter && (key === "p" || key === "P")) {
        playOrPause();
      } else if (presenter && key === "Escape" && !document.fullscreenElement) {
        window.location.assign(root.dataset.exit);
      } else {
        return;
      }
      event.preventDefault();
    });

    root.tabIndex = -1;
    if (!presenter) {
      root.tabIndex = 0;
    }
    root.classList.add("explainer--player");
    controls.hidden = false;
    show(0);
    if (presenter) {
      // A trainer leads: nothing starts by itself, and the keys work straight away.
      root.focus();
      return;
    }
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (!reduce) {
      play();
    }
  }

  document.querySelectorAll("[data-explainer]").forEach(setUp);
})();
