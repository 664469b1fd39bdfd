"""The explainer's content and layout: one route per message of the seed, each with scenes on
illustrated sets, a pause point and sources; every figure, bubble and chat fits its stage."""

from __future__ import annotations

from ketenwijs.learning import load_learning_content
from ketenwijs.learning.explainer import (
    BUBBLE_CHARS,
    EDGE,
    PHONE_LEFT,
    SCREEN,
    STAGE_WIDTH,
    TOP,
    layout_scene,
    wrap,
)
from ketenwijs.learning.schema import SetKind

# The messages of the Nationaal Rapporteur's animation as the seed news item lists them, each
# carried by one route.
SEED_MESSAGES = {
    "allerlei-daders",  # perpetrators of every kind
    "man-en-vrouw",  # men and women
    "liefde-of-geweld",  # love or violence
    "kwetsbaarheid",  # abuse of vulnerability, always
    "netwerk-of-alleen",  # networks or alone
    "dader-en-slachtoffer",  # the blurred line between victim and perpetrator
    "eigen-aannames",  # one's own assumptions
    "blijf-vragen",  # keep asking questions
}


def test_wrap_breaks_at_spaces_and_keeps_a_long_word_whole() -> None:
    assert wrap("Doe wat ik zeg of je ouders zien alles.", 24) == [
        "Doe wat ik zeg of je",
        "ouders zien alles.",
    ]
    assert wrap("Kinderbeschermingsmaatregel nu", 10) == ["Kinderbeschermingsmaatregel", "nu"]
    assert all(len(line) <= BUBBLE_CHARS for line in wrap("a " * 40, BUBBLE_CHARS))


def test_one_route_per_message_of_the_seed_each_with_pause_point_and_sources() -> None:
    content = load_learning_content()
    routes = content.explainer.trajectories
    assert {route.id for route in routes} == SEED_MESSAGES
    for route in routes:
        assert len(route.scenes) >= 3, route.id
        assert any(scene.pause for scene in route.scenes), route.id
        assert route.sources, route.id
        assert all(ref in content.sources for ref in route.sources), route.id
        # Every message rests on the seed item itself plus at least one other source.
        assert "seed-2023" in route.sources, route.id
        assert len(route.sources) >= 2, route.id


def test_every_set_is_used_and_men_and_women_appear_as_perpetrators() -> None:
    explainer = load_learning_content().explainer
    sets = {scene.set for route in explainer.trajectories for scene in route.scenes}
    assert sets == set(SetKind)
    characters = {c.id for c in explainer.characters}
    placed = {
        p.character for route in explainer.trajectories for s in route.scenes for p in s.placements
    }
    assert placed <= characters
    # The stereotype-breaking perpetrators of the routes are on stage: women and men, old and young.
    assert {"ingrid", "lisa", "marco", "kevin", "oom"} <= placed


def test_every_scene_fits_its_stage_in_both_languages() -> None:
    explainer = load_learning_content().explainer
    characters = {c.id: c for c in explainer.characters}
    for route in explainer.trajectories:
        for scene in route.scenes:
            for language in ("nl", "en"):
                layout = layout_scene(scene, characters, language)
                where = (route.id, scene.id, language)
                assert layout.problems == (), where
                right = PHONE_LEFT if scene.set is SetKind.PHONE else STAGE_WIDTH
                for figure in layout.figures:
                    assert figure.x - figure.label_width / 2 >= EDGE, where
                    assert figure.x + figure.label_width / 2 <= right - EDGE, where
                    if figure.bubble:
                        bubble = figure.bubble
                        assert bubble.y >= TOP, where
                        assert bubble.x >= EDGE, where
                        assert bubble.x + bubble.width <= right - EDGE, where
                for line in layout.chat:
                    assert SCREEN[0] <= line.x, where
                    assert line.x + line.width <= SCREEN[2], where
                    assert SCREEN[1] <= line.y, where
                    assert line.y + line.height <= SCREEN[3], where


def test_overlapping_bubbles_are_stacked_not_drawn_over_each_other() -> None:
    explainer = load_learning_content().explainer
    characters = {c.id: c for c in explainer.characters}
    scene = next(
        s for r in explainer.trajectories for s in r.scenes if r.id == "blijf-vragen"
    )  # two speakers
    bubbles = [f.bubble for f in layout_scene(scene, characters, "nl").figures if f.bubble]
    assert len(bubbles) == 2
    first, second = bubbles
    apart = first.x + first.width <= second.x or second.x + second.width <= first.x
    stacked = first.y + first.height <= second.y or second.y + second.height <= first.y
    assert apart or stacked
