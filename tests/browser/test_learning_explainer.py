"""The explainer in a real browser, with normal and with reduced motion: every figure stands
inside its scene where the content placed it, every speech bubble and chat message holds its
text, and the caption keeps AA contrast in every state; playing stops at each pause point; the
presenter mode answers the keyboard; axe finds nothing at 1280 and 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from ketenwijs.learning import load_learning_content
from ketenwijs.web.accounts.constants import Role
from tests.browser.conftest import run_axe
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
  const rect = (node) => {
    const box = node.getBoundingClientRect();
    return {left: box.left, top: box.top, right: box.right, bottom: box.bottom};
  };
  const boxes = (selector, box, text) => [...scene.querySelectorAll(selector)].map((item) => ({
    box: rect(item.querySelector(box)), text: rect(item.querySelector(text)),
    lines: item.querySelectorAll('tspan').length,
  }));
  const bubbles = boxes('g.bubble', '.bubble__box', '.bubble__text');
  const chat = boxes('g.chat__message', '.chat__box', '.chat__text');
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
    bubbles,
    chat,
    contrast: (light + 0.05) / (dark + 0.05),
    animations: document.getAnimations().length,
  };
}"""


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    """Whether a box lies within another (half a pixel of rounding allowed)."""
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


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
                stage = state["stage"]
                for figure in state["figures"]:
                    # The computed transform is the SVG placement in every state: no animation
                    # transform takes it over.
                    placement = (
                        f"matrix(1, 0, 0, 1, {figure['attributeX']}, {figure['attributeY']})"
                    )
                    assert figure["cssTransform"] == placement, where
                    assert figure["placedX"] == figure["attributeX"], where
                    assert figure["placedY"] == figure["attributeY"], where
                    # In every animation state the whole figure is inside its scene.
                    assert _inside(figure, stage), (where, figure)
                speakers = [p for p in scene.placements if p.says]
                assert len(state["bubbles"]) == len(speakers), where
                assert len(state["chat"]) == len(scene.chat), where
                for item in state["bubbles"] + state["chat"]:
                    assert item["lines"] >= 1, where
                    assert _inside(item["text"], item["box"]), (where, item)
                    assert _inside(item["box"], stage), (where, item)
            centres = set()  # the final state: every animation has ended
            for figure in state["figures"]:
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


def test_playing_stops_at_a_pause_point_and_the_answer_opens_on_demand(
    live_server: Any, page: Any
) -> None:
    page.emulate_media(reduced_motion="no-preference")
    _learner(page, live_server.url, "pauze")
    route = load_learning_content().explainer.trajectories[0]
    first_pause = next(i for i, scene in enumerate(route.scenes) if scene.pause)
    page.clock.install()
    page.goto(f"{live_server.url}/learning/explainer/{route.id}/")
    status = page.locator("[data-status]")
    assert status.inner_text() == f"Scène 1 van {len(route.scenes)}"
    # Far longer than the whole route lasts: the player still waits at the question.
    page.clock.run_for(120_000)
    assert status.inner_text() == (
        f"Scène {first_pause + 1} van {len(route.scenes)}"
        " · Gepauzeerd bij een vraag: wat valt je op?"
    )
    assert page.get_by_role("button", name="Afspelen").get_attribute("aria-pressed") == "false"
    scene = page.locator(".explainer__scene:visible")
    answer = scene.locator(".pause__answer p")
    assert scene.locator(".pause__question").inner_text().startswith("Pauze: wat valt je op? ")
    assert not answer.is_visible()
    scene.get_by_text("Toon het antwoord").click()
    assert answer.is_visible()
    pause = route.scenes[first_pause].pause
    assert pause is not None
    assert answer.inner_text() == pause.answer.nl
    # Play again moves on past the question.
    page.get_by_role("button", name="Afspelen").click()
    assert status.inner_text() == f"Scène {first_pause + 2} van {len(route.scenes)}"


def test_presenter_mode_is_driven_by_the_keyboard_and_never_advances_by_itself(
    live_server: Any, page: Any
) -> None:
    page.emulate_media(reduced_motion="no-preference")
    _learner(page, live_server.url, "trainer")
    route = load_learning_content().explainer.trajectories[0]
    total = len(route.scenes)
    page.clock.install()
    page.goto(f"{live_server.url}/learning/explainer/{route.id}/present/")
    status = page.locator("[data-status]")
    assert status.inner_text() == f"Scène 1 van {total}"
    # The presenter section has focus, with a visible focus indicator, and nothing plays.
    assert page.evaluate("document.activeElement.hasAttribute('data-presenter')")
    assert page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"
    page.clock.run_for(60_000)
    assert status.inner_text() == f"Scène 1 van {total}"
    caption = page.locator(".explainer__scene:visible .scene__caption")
    assert float(caption.evaluate("c => parseFloat(getComputedStyle(c).fontSize)")) >= 30
    page.keyboard.press("ArrowRight")
    assert status.inner_text() == f"Scène 2 van {total}"
    page.keyboard.press("Space")
    assert status.inner_text() == f"Scène 3 van {total}"
    page.keyboard.press("ArrowLeft")
    assert status.inner_text() == f"Scène 2 van {total}"
    toggle = page.locator('[data-action="toggle"]')
    page.keyboard.press("p")
    assert toggle.get_attribute("aria-pressed") == "true"
    page.clock.run_for(120_000)  # plays on, but stops at the first question
    first_pause = next(i for i, scene in enumerate(route.scenes) if scene.pause)
    assert status.inner_text().startswith(f"Scène {first_pause + 1} van {total} · ")
    assert toggle.get_attribute("aria-pressed") == "false"
    page.keyboard.press("P")
    assert toggle.get_attribute("aria-pressed") == "true"
    page.keyboard.press("p")
    assert toggle.get_attribute("aria-pressed") == "false"
    # Tabbing reaches the controls, each with a visible focus indicator.
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused == "solid"
    page.keyboard.press("Escape")
    page.wait_for_url(f"**/learning/explainer/{route.id}/")
    assert page.locator("h1").inner_text() == load_learning_content().explainer.title.nl


@pytest.mark.parametrize("width", [1280, 390])
def test_explainer_and_presenter_pass_axe_without_horizontal_scroll(
    live_server: Any, page: Any, width: int
) -> None:
    page.emulate_media(reduced_motion="reduce")
    page.set_viewport_size({"width": width, "height": 900})
    _learner(page, live_server.url, f"axe{width}")
    for route in load_learning_content().explainer.trajectories[:2]:
        for path in (
            f"/learning/explainer/{route.id}/",
            f"/learning/explainer/{route.id}/present/",
        ):
            page.goto(live_server.url + path)
            for summary in page.locator("summary:visible").all():
                summary.click()  # the opened answers are checked too
            assert run_axe(page) == [], path
            scroll = page.evaluate("document.scrollingElement.scrollWidth")
            assert scroll <= width, (path, scroll)
