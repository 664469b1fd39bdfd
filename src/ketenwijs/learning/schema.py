"""Schemas of the learning content files: module, sources, lessons, explainer, scenarios, quiz.

Every text a learner reads is a `Text` with Dutch and English. Unknown keys are rejected, so a
misspelt key is an error with a suggestion rather than silently ignored content.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ROUTE_PATTERN = re.compile(r"^[a-z_]+:[a-z_]+$")


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in Dutch (first) and English; both are required."""

    nl: NonEmpty
    en: NonEmpty

    def in_language(self, language: str) -> str:
        """Return the English text for an English language code, else the Dutch one."""
        return self.en if language.startswith("en") else self.nl


class SourceKind(StrEnum):
    """What kind of publication a source is; a learner weighs a statute differently from news."""

    STATUTE = "statute"
    CASE_LAW = "case_law"
    OFFICIAL_REPORT = "official_report"
    STUDY = "study"
    NEWS = "news"


class Source(Strict):
    """A publication a fact rests on, with its kind and year, so a learner can weigh and find it.

    `verified: true` means the source text itself was read. A news item is never the primary text
    of a figure, so news cannot be verified; an unverified source says why in `not_verified`.
    """

    title: NonEmpty
    publisher: NonEmpty
    year: Annotated[int, Field(ge=1990, le=2100)]
    url: NonEmpty | None = None
    kind: SourceKind
    verified: bool
    not_verified: Text | None = None  # why the text was not (or cannot be) verified
    year_estimated: bool = False  # a web page without a date: the year is our best estimate

    @model_validator(mode="after")
    def _verification_is_explained(self) -> Source:
        if self.kind is SourceKind.NEWS and self.verified:
            raise ValueError("a news source cannot be verified: cite the primary text you read")
        if not self.verified and self.not_verified is None:
            raise ValueError("an unverified source needs 'not_verified' saying why")
        if self.verified and self.not_verified is not None:
            raise ValueError("a verified source cannot have 'not_verified'")
        return self


class TimeSensitive(Strict):
    """When a fact that can change was last checked (stand per) and when to check it again."""

    as_of: dt.date
    review_by: dt.date

    @model_validator(mode="after")
    def _review_after_check(self) -> TimeSensitive:
        if self.review_by <= self.as_of:
            raise ValueError("review_by must be after as_of")
        return self


class SourcesFile(Strict):
    """`sources.yaml`: every source, by id; lessons, quiz questions and cards refer to these ids."""

    sources: dict[Slug, Source]


class ModuleFile(Strict):
    """`module.yaml`: the module's title, description and quiz pass threshold."""

    id: Slug
    title: Text
    description: Text
    quiz_pass_threshold: Annotated[float, Field(ge=0.8, le=1)]  # a certificate needs >= 80 %


class Paragraph(Strict):
    """One fact or piece of advice, with the sources it rests on."""

    text: Text
    sources: Annotated[list[Slug], Field(min_length=1)]
    uncertain: Text | None = None  # why this fact is marked uncertain, shown next to it
    time_sensitive: TimeSensitive | None = None  # a fact that can change: stand per and review


class Section(Strict):
    """A heading with paragraphs."""

    heading: Text
    paragraphs: Annotated[list[Paragraph], Field(min_length=1)]


class Link(Strict):
    """A link into another module by URL name; shown as plain text until that page exists."""

    route: NonEmpty
    label: Text


class LessonFile(Strict):
    """A lesson: title, summary, sections, key points and optional links into other modules."""

    id: Slug
    order: int  # position in the module; lessons are listed by this number
    title: Text
    summary: Text
    sections: Annotated[list[Section], Field(min_length=1)]
    key_points: Annotated[list[Text], Field(min_length=1)]
    links: list[Link] = []


class Hair(StrEnum):
    """A character's hair, one of the parts a figure is built from."""

    SHORT = "short"
    LONG = "long"
    BUN = "bun"
    CURLY = "curly"
    CAP = "cap"
    NONE = "none"


class Build(StrEnum):
    """A young person is drawn smaller than an adult."""

    YOUNG = "young"
    ADULT = "adult"


class Expression(StrEnum):
    """The face a character shows in a scene (eyebrows and mouth)."""

    NEUTRAL = "neutral"
    HAPPY = "happy"
    WORRIED = "worried"
    SCARED = "scared"
    ANGRY = "angry"


class SetKind(StrEnum):
    """A reusable illustrated backdrop for a scene."""

    SCHOOL = "school"
    PARTY = "party"
    FLAT = "flat"
    PHONE = "phone"
    HOTEL = "hotel"


Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class Character(Strict):
    """A figure in the explainer, built from parts: skin, hair, clothes and build."""

    id: Slug
    name: Text
    colour: Colour  # clothes
    skin: Colour
    hair: Hair
    hair_colour: Colour
    build: Build


class Placement(Strict):
    """Who stands where in a scene (0 to 100 across and in depth), with a face and maybe words."""

    character: Slug
    x: Annotated[int, Field(ge=0, le=100)]
    y: Annotated[int, Field(ge=0, le=100)]
    expression: Expression = Expression.NEUTRAL
    says: Text | None = None


class ChatMessage(Strict):
    """A message on the phone screen of a phone scene."""

    source: Slug = Field(alias="from")
    text: Text


class PausePoint(Strict):
    """A stop in the route: the learner is asked what they notice; the answer opens on demand."""

    question: Text
    answer: Text


class Scene(Strict):
    """One step of a route: the set, who is there with which face and words, and the caption."""

    id: Slug
    duration: Annotated[float, Field(ge=2, le=30)]
    set: SetKind
    setting: Text
    caption: Text
    placements: Annotated[list[Placement], Field(min_length=1, max_length=4)]
    chat: Annotated[list[ChatMessage], Field(max_length=4)] = []
    pause: PausePoint | None = None


class Trajectory(Strict):
    """A route through scenes that carries one message of the Nationaal Rapporteur's animation."""

    id: Slug
    title: Text
    message: Text  # the message of the seed this route carries, as a claim tied to `sources`
    summary: Text
    sources: Annotated[list[Slug], Field(min_length=1)]
    scenes: Annotated[list[Scene], Field(min_length=2)]


class ExplainerFile(Strict):
    """`explainer.yaml`: the characters and routes of the animated explainer."""

    title: Text
    introduction: Text
    characters: Annotated[list[Character], Field(min_length=1)]
    trajectories: Annotated[list[Trajectory], Field(min_length=1)]


class Effect(StrEnum):
    """What a scenario choice does, professionally; the scoring weights live in `scoring.py`."""

    NOTICES_SIGNAL = "notices_signal"
    ASKS_OPEN_QUESTION = "asks_open_question"
    FOLLOWS_MELDCODE = "follows_meldcode"
    CHECKS_ALTERNATIVE = "checks_alternative"
    JUMPS_TO_CONCLUSION = "jumps_to_conclusion"
    ASKS_LEADING_QUESTION = "asks_leading_question"
    IGNORES_SIGNAL = "ignores_signal"


class Profession(StrEnum):
    """The professional setting a scenario plays in (the learner's role)."""

    SCHOOL = "school"
    HUISARTS_GGZ = "huisarts_ggz"
    WIJKTEAM = "wijkteam"
    POLITIE = "politie"
    JEUGDZORG = "jeugdzorg"
    HORECA_HOTEL = "horeca_hotel"


class Counter(Strict):
    """A number a scenario carries forward (such as the young person's trust), kept in a range."""

    label: Text
    initial: int = 0
    min: Annotated[int, Field(ge=-10, le=10)] = -3
    max: Annotated[int, Field(ge=-10, le=10)] = 3

    @model_validator(mode="after")
    def _initial_in_range(self) -> Counter:
        if not self.min <= self.initial <= self.max:
            raise ValueError("initial must lie between min and max")
        return self


IndicatorId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]


class ScenarioSignal(Strict):
    """A signal present in the case; `indicator` names the Signaleren indicator it stands for."""

    id: Slug
    text: Text
    indicator: IndicatorId | None = None


class Requirement(Strict):
    """A condition on the run's state: counters at least / at most a value, signals (not) seen.

    All parts must hold. An empty requirement always holds.
    """

    at_least: dict[Slug, int] = {}
    at_most: dict[Slug, int] = {}
    seen: list[Slug] = []
    not_seen: list[Slug] = []


class Branch(Strict):
    """A conditional transition: when `requires` holds after the choice, go to `next`."""

    requires: Requirement
    next: Slug


class Choice(Strict):
    """An option at a scenario node, with the feedback the learner gets for it.

    `effects` score the professional act (see `scoring.py`); `changes`, `notices` and `weeks`
    change the run's state, which later `requires` conditions and `branches` read.
    """

    id: Slug
    text: Text
    feedback: Text
    next: Slug
    effects: list[Effect] = []
    changes: dict[Slug, int] = {}  # counter deltas, such as {trust: -1}
    notices: list[Slug] = []  # signal ids this choice shows the learner noticed
    weeks: Annotated[int, Field(ge=0, le=52)] = 0  # time that passes before the next step
    requires: Requirement | None = None  # the option is offered only when this holds
    branches: list[Branch] = []  # first branch whose condition holds decides the next node
    assumption: Text | None = None  # the assumption behind this option, named in the debrief


class Outcome(StrEnum):
    """How an ending turned out for the person in the scenario."""

    GOOD = "good"
    MIXED = "mixed"
    POOR = "poor"


class Ending(Strict):
    """What follows from the path the learner chose."""

    outcome: Outcome
    consequence: Text


class Node(Strict):
    """A scenario step: a situation with choices, or an ending."""

    situation: Text
    choices: list[Choice] = []
    ending: Ending | None = None


class ScenarioFile(Strict):
    """A branching case scenario; the graph is checked at load (see `graph.py`)."""

    id: Slug
    order: int  # position in the list of scenarios
    title: Text
    summary: Text
    breaks_stereotype: Text
    is_exploitation: bool
    start: Slug
    debrief: Annotated[list[Text], Field(min_length=1)]
    sources: Annotated[list[Slug], Field(min_length=1)]
    nodes: dict[Slug, Node]
    required: bool = True  # a certificate needs a good ending in every required scenario
    profession: Profession | None = None  # the learner's role in the case
    counters: dict[Slug, Counter] = {}  # state carried forward, such as trust
    signals: list[ScenarioSignal] = []  # the signals present in the case, for the debrief


class Answer(Strict):
    """An answer option of a quiz question, with feedback for choosing it."""

    id: Slug
    text: Text
    correct: bool = False
    feedback: Text


class Question(Strict):
    """A multiple-choice question with exactly one correct answer, a source, and the lesson it
    tests (each attempt draws its questions spread over the lessons)."""

    id: Slug
    lesson: Slug
    prompt: Text
    answers: Annotated[list[Answer], Field(min_length=2)]
    source: Slug
    time_sensitive: TimeSensitive | None = None


class QuizFile(Strict):
    """`quiz.yaml`: the pool of questions and how many one attempt draws from it."""

    per_attempt: Annotated[int, Field(ge=1)]
    questions: Annotated[list[Question], Field(min_length=1)]


class CardKind(StrEnum):
    """A fact to remember, or a short situation to recognise ("what do you notice / do?")."""

    FACT = "fact"
    SITUATION = "situation"


class KeyCard(Strict):
    """A key card for spaced repetition: a question on the front, the answer on the back.

    `indicators` names the Signaleren indicators a situation card trains (checked in the tests
    against the indicator library), so a deck can be traced to the signals it teaches.
    """

    id: Slug
    kind: CardKind = CardKind.FACT
    front: Text
    back: Text
    source: Slug
    indicators: list[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]] = []
    time_sensitive: TimeSensitive | None = None


class CardsFile(Strict):
    """`cards.yaml`: the deck of key cards."""

    cards: Annotated[list[KeyCard], Field(min_length=1)]


ALL_TRACK = "all"  # the module-wide track: every lesson, every required scenario, every card


class MaterialChange(Strict):
    """A dated entry in a track's changelog: the material version it starts and what changed.

    Only changes that alter what a learner must know get an entry (a typo fix does not); a new
    entry bumps the track's `material_version`, and certificates earned before it need repeating.
    """

    version: Annotated[int, Field(ge=1)]
    date: dt.date
    text: Text


class Track(Strict):
    """A role track: the lessons, scenarios and key cards a profession needs for its certificate.

    The `all` track is the module-wide certificate: `everything: true` and no lists.
    """

    id: Slug
    title: Text
    description: Text
    profession: Profession | None = None  # the role whose scenarios the track should include
    everything: bool = False
    lessons: list[Slug] = []
    scenarios: list[Slug] = []  # a good ending in each is required
    cards: list[Slug] = []
    material_version: Annotated[int, Field(ge=1)]
    changes: Annotated[list[MaterialChange], Field(min_length=1)]


class TracksFile(Strict):
    """`tracks.yaml`: the role tracks learners choose or trainers assign."""

    tracks: Annotated[list[Track], Field(min_length=1)]
