"""Layout of the explainer's scenes: where each figure, speech bubble and chat message goes.

Pure geometry on the 800 x 450 stage, so content validation can refuse a scene whose words do
not fit before a browser ever draws it, and the web layer only turns the layout into SVG.
Text widths are estimated per character on the generous side; a browser test measures them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ketenwijs.learning.schema import Build, Character, Expression, Scene, SetKind

STAGE_WIDTH = 800
STAGE_HEIGHT = 450
# The setting's name sits in a plate in the top-left corner; nothing is drawn above this line.
TOP = 56
EDGE = 8
# The phone set draws a phone on the right; figures and bubbles keep to the left of it.
PHONE_LEFT = 500
SCREEN = (522, 78, 738, 414)  # left, top, right, bottom of the phone's screen

BUBBLE_FONT = 16
BUBBLE_LINE = 20
BUBBLE_CHARS = 24
BUBBLE_PAD = 12
BUBBLE_TAIL = 14
CHAT_FONT = 15
CHAT_LINE = 19
CHAT_CHARS = 20
CHAT_PAD = 10
LABEL_FONT = 17
# Average advance of one character as a share of the font size; set wide so text fits even in a
# broad fallback font (DejaVu Sans), and checked in a real browser.
CHAR_WIDTH = 0.6  # used as 6/10 in text_width
FIGURE_HEIGHT = 128  # feet to top of the hair, adult


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines of at most `width` characters at spaces (a long word stays whole)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def text_width(text: str, font_size: int) -> int:
    """The estimated width of a line of text in stage units, rounded up."""
    return -(-len(text) * font_size * 6 // 10)  # CHAR_WIDTH as an exact fraction


@dataclass(frozen=True)
class Bubble:
    """A speech bubble: its box, the lines of text, and the tail pointing at the speaker's head."""

    x: int
    y: int
    width: int
    height: int
    lines: tuple[str, ...]
    tail: str  # SVG path of the tail, in stage coordinates

    @property
    def text_x(self) -> int:
        return self.x + self.width // 2

    @property
    def seam(self) -> str:
        """A short white stroke over the box's edge where the tail joins it."""
        return self.tail.split(" L ")[0] + " L " + self.tail.split(" L ")[-1].rstrip(" Z")

    @property
    def baselines(self) -> list[tuple[int, str]]:
        """Each line of text with its baseline inside the bubble."""
        first = self.y + BUBBLE_PAD + BUBBLE_FONT * 4 // 5
        return [(first + i * BUBBLE_LINE, line) for i, line in enumerate(self.lines)]


@dataclass(frozen=True)
class Figure:
    """A character placed on the stage: feet at (x, y), a face, a name label, maybe a bubble."""

    character: Character
    x: int
    y: int
    expression: Expression
    young: bool
    name: str
    says: str | None
    bubble: Bubble | None

    @property
    def label_width(self) -> int:
        return text_width(self.name, LABEL_FONT) + 12


@dataclass(frozen=True)
class ChatLine:
    """One message on the phone screen; `own` messages are the phone owner's, on the right."""

    character: Character
    text: str
    own: bool
    x: int
    y: int
    width: int
    height: int
    lines: tuple[str, ...]

    @property
    def text_x(self) -> int:
        return self.x + CHAT_PAD

    @property
    def baselines(self) -> list[tuple[int, str]]:
        first = self.y + CHAT_PAD + CHAT_FONT * 4 // 5
        return [(first + i * CHAT_LINE, line) for i, line in enumerate(self.lines)]


@dataclass(frozen=True)
class SceneLayout:
    """Everything the web layer needs to draw one scene, or the problems that stop it fitting."""

    figures: tuple[Figure, ...]
    chat: tuple[ChatLine, ...]
    problems: tuple[str, ...]


def _bubble(figure_x: int, head_top: int, text: str, right: int, above: int) -> Bubble:
    lines = wrap(text, BUBBLE_CHARS)
    width = max(text_width(line, BUBBLE_FONT) for line in lines) + 2 * BUBBLE_PAD
    height = len(lines) * BUBBLE_LINE + 2 * BUBBLE_PAD - (BUBBLE_LINE - BUBBLE_FONT)
    x = min(max(EDGE, figure_x - width // 2), right - EDGE - width)
    y = min(head_top - BUBBLE_TAIL, above) - height
    # The tail leaves the bubble's bottom edge above the speaker and points at the head.
    base = min(max(x + 14, figure_x - 8), x + width - 30)
    tail = f"M {base} {y + height - 1} L {figure_x} {head_top - 3} L {base + 16} {y + height - 1} Z"
    return Bubble(x, y, width, height, tuple(lines), tail)


def layout_scene(scene: Scene, characters: dict[str, Character], language: str) -> SceneLayout:
    """Place the figures, their speech bubbles and the phone's chat of a scene in one language.

    x (0-100) runs across the free part of the stage and y (0-100) from back to front. Bubbles
    that would overlap an earlier one are stacked above it.
    """
    problems: list[str] = []
    right = PHONE_LEFT if scene.set is SetKind.PHONE else STAGE_WIDTH
    figures: list[Figure] = []
    placed: list[Bubble] = []
    for placement in scene.placements:
        character = characters[placement.character]
        young = character.build is Build.YOUNG
        name = character.name.in_language(language)
        half = max(34, text_width(name, LABEL_FONT) // 2 + 8)
        x = EDGE + half + placement.x * (right - 2 * EDGE - 2 * half) // 100
        y = 330 + placement.y // 2
        says = placement.says.in_language(language) if placement.says else None
        bubble = None
        if says:
            head_top = y - (FIGURE_HEIGHT * 88 // 100 if young else FIGURE_HEIGHT)
            above = STAGE_HEIGHT
            candidate = _bubble(x, head_top, says, right, above)
            for other in placed:
                if candidate.x < other.x + other.width and other.x < candidate.x + candidate.width:
                    above = min(above, other.y - 8)
                    candidate = _bubble(x, head_top, says, right, above)
            bubble = candidate
            placed.append(bubble)
            if bubble.y < TOP:
                problems.append(
                    f"the words of '{character.id}' ({language}) do not fit above the figures"
                )
        figures.append(Figure(character, x, y, placement.expression, young, name, says, bubble))
    ordered = sorted(figures, key=lambda f: f.x)
    for left, right_figure in itertools.pairwise(ordered):
        if right_figure.x - left.x < 60:
            problems.append(
                f"'{left.character.id}' and '{right_figure.character.id}' stand on top of "
                "each other: move them further apart"
            )
    chat = _layout_chat(scene, characters, language, problems)
    return SceneLayout(tuple(figures), tuple(chat), tuple(problems))


def _layout_chat(
    scene: Scene, characters: dict[str, Character], language: str, problems: list[str]
) -> list[ChatLine]:
    owner = scene.placements[0].character
    left, top, right, bottom = SCREEN
    y = top + 12
    lines: list[ChatLine] = []
    for message in scene.chat:
        text = message.text.in_language(language)
        wrapped = wrap(text, CHAT_CHARS)
        width = max(text_width(line, CHAT_FONT) for line in wrapped) + 2 * CHAT_PAD
        height = len(wrapped) * CHAT_LINE + 2 * CHAT_PAD - (CHAT_LINE - CHAT_FONT)
        own = message.source == owner
        x = right - 10 - width if own else left + 10
        lines.append(
            ChatLine(characters[message.source], text, own, x, y, width, height, tuple(wrapped))
        )
        y += height + 10
    if lines and y - 10 > bottom - 8:
        problems.append(f"the chat ({language}) does not fit on the phone screen: shorten it")
    return lines
