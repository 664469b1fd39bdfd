"""The explainer in a real browser, with normal and with reduced motion: every figure stands
inside its scene where the content placed it, and the caption keeps AA contrast in every state."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from tests.browser.test_learning import _log_in
from tests.web.factories import make_organisation, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pause every running animation at a fraction of its run and measure the visible scene: where
# each figure is drawn, whether a CSS transform replaced its SVG placement, and the caption's
# contrast computed from the rendered colours (its alpha times every ancestor's opacity,
# blended over the first opaque background behind it).
MEASURE = """(fraction) => {
  for (const animation of document.getAnimations()) {
    animation.pause();
    animation.currentTime = fraction * animation.effect.getComputedTiming().endTime;
  }
  const scene = document.querySelector('.explainer__scene:not([hidden])');
  const stage = scene.querySelector('svg.scene__stage').getBoundingClientRect();
  const figures = [...scene.querySelectorAll('g.figure')].map((figure) => {
    const box = figure.getBoundingClientRect();
    const placed = figure.transform.baseVal.consolidate().matrix;
    const attribute = figure.getAttribute('transform')
      .match(/translate\\(([-\\d.]+) ([-\\d.]+)\\)/);
    return {
      left: box.left, top: box.top, right: box.right, bottom: box.bottom,
      cssTransform: getComputedStyle(figure).transform,
      placedX: placed.e, placedY: placed.f,
      attributeX: Number(attribute[1]), attributeY: Number(attribute[2]),
    };
  });
  const parse = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const caption = scene.querySelector('.scene__caption');
  let [r, g, b, a = 1] = parse(getComputedStyle(caption).color);
  let opacity = 1;
  let background = [255, 255, 255];
  for (let node = caption; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    opacity *= Number(style.opacity);
    const [br, bg, bb, ba = 1] = parse(style.backgroundColor);
    if (style.backgroundColor !== 'rgba(0, 0, 0, 0)' && ba === 1 && node !== caption) {
      background = [br, bg, bb];
      break;
    }
    if (node === caption && ba === 1 && style.backgroundColor !== 'rgba(0, 0, 0, 0)') {
      background = [br, bg, bb];
    }
  }
  const alpha = a * opacity;
  const text = [r, g, b].map((c, i) => alpha * c + (1 - alpha) * background[i]);
  const luminance = (rgb) => {
    const [lr, lg, lb] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * lr + 0.7152 * lg + 0.0722 * lb;
  };
  const [light, dark] = [luminance(text), luminance(background)].sort((x, y) => y - x);
  return {
    stage: {left: stage.left, top: stage.top, right: stage.right, bottom: stage.bottom},
    figures,
    contrast: (light + 0.05) / (dark + 0.05),
    animations: document.getAnimations().length,
  };
}"""


def _check_explainer(page: Any, base: str, *, reduced: bool) -> int:
    """Step through every scene of every route; return how many scenes were measured."""
    content = load_learning_content()
    measured = 0
    for trajectory in content.explainer.trajectories:
        page.goto(f"{base}/learning/explainer/{trajectory.id}/")
        for index, scene in enumerate(trajectory.scenes):
            if index:
                page.get_by_role("button", name="Volgende scène").click()
            fractions = (0.0, 0.25, 0.5, 0.75, 1.0)
            for fraction in fractions:
                state = page.evaluate(MEASURE, fraction)
                where = (trajectory.id, scene.id, fraction)
                if reduced:
                    assert state["animations"] == 0, where
                assert state["contrast"] >= 4.5, where
                assert len(state["figures"]) == len(scene.placements), where
                for figure in state["figures"]:
                    # The computed transform is the SVG placement in every state: no animation
                    # transform takes it over.
                    placement = (
                        f"matrix(1, 0, 0, 1, {figure['attributeX']}, {figure['attributeY']})"
                    )
                    assert figure["cssTransform"] == placement, where
                    assert figure["placedX"] == figure["attributeX"], where
                    assert figure["placedY"] == figure["attributeY"], where
            stage = state["stage"]  # the final state: every animation has ended
            centres = set()
            for figure in state["figures"]:
                assert figure["left"] >= stage["left"] - 0.5, (trajectory.id, scene.id, figure)
                assert figure["top"] >= stage["top"] - 0.5, (trajectory.id, scene.id, figure)
                assert figure["right"] <= stage["right"] + 0.5, (trajectory.id, scene.id, figure)
                assert figure["bottom"] <= stage["bottom"] + 0.5, (trajectory.id, scene.id, figure)
                centres.add(
                    (
                        round((figure["left"] + figure["right"]) / 2),
                        round((figure["top"] + figure["bottom"]) / 2),
                    )
                )
            assert len(centres) == len(state["figures"]), (trajectory.id, scene.id)
            measured += 1
    return measured


def _learner(page: Any, base: str, username: str) -> None:
    make_user(Role.PROFESSIONAL, make_organisation(f"Gemeente {username}"), username=username)
    _log_in(page, base, username)


def test_explainer_with_normal_motion_keeps_figures_in_place_and_caption_readable(
    live_server: Any, page: Any
) -> None:
    page.emulate_media(reduced_motion="no-preference")
    _learner(page, live_server.url, "beweging")
    page.goto(live_server.url + "/learning/explainer/")
    # The figures really animate with normal motion (so the states above were mid-animation).
    assert page.evaluate("document.getAnimations().length") > 0
    total = sum(len(t.scenes) for t in load_learning_content().explainer.trajectories)
    assert _check_explainer(page, live_server.url, reduced=False) == total


def test_explainer_with_reduced_motion_keeps_figures_in_place_and_caption_readable(
    live_server: Any, page: Any
) -> None:
    page.emulate_media(reduced_motion="reduce")
    _learner(page, live_server.url, "stilstand")
    total = sum(len(t.scenes) for t in load_learning_content().explainer.trajectories)
    assert _check_explainer(page, live_server.url, reduced=True) == total
