"""Load and check the learning content folder; every problem becomes `file:line: reason`.

Layout (authors add a lesson, scenario or card deck by adding a file):

    module.yaml  sources.yaml  explainer.yaml  quiz.yaml  tracks.yaml
    lessons/*.yaml  scenarios/*.yaml  cards/*.yaml  spot/*.yaml

Lessons and scenarios are listed by their `order` number; the `id` inside a file must equal its
file name, so a URL always tells an author which file to open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from ketenwijs.content import ContentError, LocatedData, load_yaml_file, suggest, validate
from ketenwijs.learning.explainer import layout_scene
from ketenwijs.learning.graph import (
    check_length_cues,
    check_scenario_graph,
    check_scenario_play,
    check_scenario_state,
)
from ketenwijs.learning.quiz import (
    LENGTH_CUE_MAX_SHARE,
    QUIZ_DRAW_SIZE,
    QUIZ_MINIMUM_POOL,
    length_cue,
)
from ketenwijs.learning.schema import (
    ROUTE_PATTERN,
    CardsFile,
    ExplainerFile,
    KeyCard,
    LessonFile,
    ModuleFile,
    Outcome,
    QuizFile,
    ScenarioFile,
    Scene,
    SetKind,
    Source,
    SourcesFile,
    TimeSensitive,
    Track,
)
from ketenwijs.learning.spot import (
    SPOT_MINIMUM_NOTES,
    SpotNote,
    answer_key,
    check_spot_note,
)
from ketenwijs.learning.tracks import check_tracks

PACKAGED_CONTENT = Path(__file__).resolve().parent.parent / "content" / "learning"
M = TypeVar("M", bound=BaseModel)
Sources = dict[str, Source]


@dataclass(frozen=True)
class ReviewDate:
    """A time-sensitive fact: where it is written, when it was checked and when to check again."""

    path: Path | None
    line: int | None
    what: str
    as_of: dt.date
    review_by: dt.date


def review_dates(located: LocatedData, item: BaseModel) -> list[ReviewDate]:
    """Return the time-sensitive facts of a lesson, card deck or quiz, each with file and line."""
    found: list[tuple[tuple[str | int, ...], str, TimeSensitive]] = []
    loc: tuple[str | int, ...]
    if isinstance(item, LessonFile):
        for s, section in enumerate(item.sections):
            for p, paragraph in enumerate(section.paragraphs):
                if paragraph.time_sensitive is not None:
                    loc = ("sections", s, "paragraphs", p, "time_sensitive", "review_by")
                    found.append((loc, f"lesson '{item.id}'", paragraph.time_sensitive))
    elif isinstance(item, CardsFile):
        for c, card in enumerate(item.cards):
            if card.time_sensitive is not None:
                loc = ("cards", c, "time_sensitive", "review_by")
                found.append((loc, f"card '{card.id}'", card.time_sensitive))
    elif isinstance(item, QuizFile):
        for q, question in enumerate(item.questions):
            if question.time_sensitive is not None:
                loc = ("questions", q, "time_sensitive", "review_by")
                found.append((loc, f"question '{question.id}'", question.time_sensitive))
    return [
        ReviewDate(located.path, located.line_of(loc), what, dated.as_of, dated.review_by)
        for loc, what, dated in found
    ]


def overdue_reviews(content: LearningContent, today: dt.date) -> list[ContentError]:
    """Return a warning (file:line) for every time-sensitive fact whose review date has passed."""
    return [
        ContentError(
            f"review date {review.review_by.isoformat()} of {review.what} has passed "
            f"(stand per {review.as_of.isoformat()}): check the fact against its source",
            path=review.path,
            line=review.line,
        )
        for review in content.reviews
        if review.review_by < today
    ]


@dataclass(frozen=True)
class LearningContent:
    """The checked learning content; immutable and shared between requests."""

    root: Path
    module: ModuleFile
    sources: Sources
    lessons: tuple[LessonFile, ...]
    scenarios: tuple[ScenarioFile, ...]
    explainer: ExplainerFile
    quiz: QuizFile
    cards: tuple[KeyCard, ...]
    sha256: str
    reviews: tuple[ReviewDate, ...] = ()
    tracks: tuple[Track, ...] = ()

    def track(self, track_id: str) -> Track | None:
        """Return the role track with this id, or None."""
        return next((track for track in self.tracks if track.id == track_id), None)

    spot: tuple[SpotNote, ...] = ()  # spot-the-signal notes with Signaleren's answer key

    def spot_note(self, note_id: str) -> SpotNote | None:
        """Return the spot-the-signal note with this id, or None."""
        return next((note for note in self.spot if note.id == note_id), None)

    def lesson(self, lesson_id: str) -> LessonFile | None:
        """Return the lesson with this id, or None."""
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def scenario(self, scenario_id: str) -> ScenarioFile | None:
        """Return the scenario with this id, or None."""
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def card(self, card_id: str) -> KeyCard | None:
        """Return the key card with this id, or None."""
        return next((card for card in self.cards if card.id == card_id), None)

    @property
    def version(self) -> str:
        """Return the short content version shown to people (first 12 hex digits of the hash)."""
        return self.sha256[:12]

    def summary(self) -> str:
        """Return one line saying what was loaded."""
        return (
            f"learning: {len(self.lessons)} lessons, {len(self.scenarios)} scenarios, "
            f"{len(self.explainer.trajectories)} explainer trajectories, "
            f"{len(self.quiz.questions)} quiz questions, {len(self.cards)} key cards, "
            f"{len(self.tracks)} tracks, "
            f"{len(self.spot)} spot-the-signal notes (content {self.version})"
        )


class LearningContentError(ContentError):
    """One or more content files are invalid; `errors` lists every problem found."""

    def __init__(self, errors: Sequence[ContentError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(
            first.reason, path=first.path, line=first.line, suggestion=first.suggestion
        )

    def render(self) -> str:
        """Format all problems, one per line."""
        errors = getattr(self, "errors", None)
        if not errors:
            return super().render()
        return "\n".join(error.render() for error in errors)


def _check_sources(
    located: LocatedData, refs: Iterable[tuple[str, tuple[str | int, ...]]], sources: Sources
) -> list[ContentError]:
    errors = []
    for ref, loc in refs:
        if ref not in sources:
            errors.append(
                located.error(
                    f"unknown source '{ref}'; add it to sources.yaml first",
                    loc,
                    suggestion=suggest(ref, sources),
                )
            )
    return errors


def _check_id_matches_file(located: LocatedData, item_id: str) -> list[ContentError]:
    if located.path is not None and located.path.stem != item_id:
        return [
            located.error(
                f"id '{item_id}' does not match the file name '{located.path.name}'", ("id",)
            )
        ]
    return []


def _check_unique(
    located: LocatedData, ids: Iterable[tuple[str, tuple[str | int, ...]]], what: str
) -> list[ContentError]:
    seen: set[str] = set()
    errors = []
    for item_id, loc in ids:
        if item_id in seen:
            errors.append(located.error(f"duplicate {what} id '{item_id}'", loc))
        seen.add(item_id)
    return errors


def check_lesson(located: LocatedData, sources: Sources) -> tuple[LessonFile, list[ContentError]]:
    """Validate a lesson file: schema, id, sources and link names."""
    lesson = validate(LessonFile, located)
    errors = _check_id_matches_file(located, lesson.id)
    refs = [
        (ref, ("sections", s, "paragraphs", p, "sources", r))
        for s, section in enumerate(lesson.sections)
        for p, paragraph in enumerate(section.paragraphs)
        for r, ref in enumerate(paragraph.sources)
    ]
    errors += _check_sources(located, refs, sources)
    for index, link in enumerate(lesson.links):
        if not ROUTE_PATTERN.match(link.route):
            errors.append(
                located.error(
                    f"link route '{link.route}' is not a page name such as 'sharing:start'",
                    ("links", index, "route"),
                )
            )
    return lesson, errors


def check_scenario(
    located: LocatedData, sources: Sources
) -> tuple[ScenarioFile, list[ContentError]]:
    """Validate a scenario file: schema, id, sources and its branching graph."""
    scenario = validate(ScenarioFile, located)
    errors = _check_id_matches_file(located, scenario.id)
    errors += _check_sources(
        located, [(ref, ("sources", i)) for i, ref in enumerate(scenario.sources)], sources
    )
    graph_problems = check_scenario_graph(scenario)
    state_problems = check_scenario_state(scenario)
    for problem in graph_problems:
        suggestion = None
        if problem.loc[-1:] in (("next",), ("start",)):
            target = problem.message.rsplit("'", 2)[-2]
            suggestion = suggest(target, [n for n in scenario.nodes if n != target])
        errors.append(located.error(problem.message, problem.loc, suggestion=suggestion))
    for problem in state_problems:
        errors.append(located.error(problem.message, problem.loc))
    if not graph_problems and not state_problems:
        # Walking the states needs a sound graph and known counters and signals.
        for problem in check_scenario_play(scenario):
            errors.append(located.error(problem.message, problem.loc))
    if scenario.required and not any(
        node.ending is not None and node.ending.outcome is Outcome.GOOD
        for node in scenario.nodes.values()
    ):
        errors.append(
            located.error(
                f"required scenario '{scenario.id}' has no ending with outcome 'good': "
                "the certificate could never be earned",
                ("nodes",),
            )
        )
    return scenario, errors


def check_explainer(
    located: LocatedData, sources: Sources
) -> tuple[ExplainerFile, list[ContentError]]:
    """Validate the explainer script: characters named in scenes exist, ids are unique, every
    route has a pause point, chat is on a phone, and every scene's words fit its stage."""
    explainer = validate(ExplainerFile, located)
    characters = [c.id for c in explainer.characters]
    by_id = {c.id: c for c in explainer.characters}
    errors = _check_unique(
        located, [(c, ("characters", i, "id")) for i, c in enumerate(characters)], "character"
    )
    errors += _check_unique(
        located,
        [(t.id, ("trajectories", i, "id")) for i, t in enumerate(explainer.trajectories)],
        "trajectory",
    )
    for t, trajectory in enumerate(explainer.trajectories):
        at: tuple[str | int, ...] = ("trajectories", t)
        errors += _check_sources(
            located, [(r, (*at, "sources", i)) for i, r in enumerate(trajectory.sources)], sources
        )
        errors += _check_unique(
            located,
            [(s.id, (*at, "scenes", i, "id")) for i, s in enumerate(trajectory.scenes)],
            "scene",
        )
        if not any(scene.pause for scene in trajectory.scenes):
            errors.append(
                located.error(
                    f"route '{trajectory.id}' has no pause point: give one scene a 'pause' "
                    "with a question and an answer",
                    (*at, "scenes"),
                )
            )
        for s, scene in enumerate(trajectory.scenes):
            errors += _check_scene(located, scene, (*at, "scenes", s), characters)
            if not any(name not in by_id for name in _scene_characters(scene)):
                for language in ("nl", "en"):
                    for problem in layout_scene(scene, by_id, language).problems:
                        errors.append(
                            located.error(f"scene '{scene.id}': {problem}", (*at, "scenes", s))
                        )
    return explainer, errors


def _scene_characters(scene: Scene) -> list[str]:
    return [p.character for p in scene.placements] + [m.source for m in scene.chat]


def _check_scene(
    located: LocatedData, scene: Scene, at: tuple[str | int, ...], characters: list[str]
) -> list[ContentError]:
    errors: list[ContentError] = []
    placed = [p.character for p in scene.placements]
    named = [(p, (*at, "placements", i, "character")) for i, p in enumerate(placed)]
    named += [(m.source, (*at, "chat", i, "from")) for i, m in enumerate(scene.chat)]
    for name, loc in named:
        if name not in characters:
            errors.append(
                located.error(
                    f"unknown character '{name}'", loc, suggestion=suggest(name, characters)
                )
            )
    errors += _check_unique(
        located,
        [(p, (*at, "placements", i, "character")) for i, p in enumerate(placed)],
        "scene character",
    )
    if scene.chat and scene.set is not SetKind.PHONE:
        errors.append(
            located.error(
                f"scene '{scene.id}' has a chat but its set is not 'phone'", (*at, "chat")
            )
        )
    if scene.set is SetKind.PHONE and not scene.chat:
        errors.append(
            located.error(f"phone scene '{scene.id}' needs a chat on its screen", (*at, "set"))
        )
    return errors


def check_quiz(located: LocatedData, sources: Sources) -> tuple[QuizFile, list[ContentError]]:
    """Validate the quiz: unique ids, exactly one correct answer per question, known sources."""
    quiz = validate(QuizFile, located)
    errors = _check_unique(
        located, [(q.id, ("questions", i, "id")) for i, q in enumerate(quiz.questions)], "question"
    )
    for i, question in enumerate(quiz.questions):
        at: tuple[str | int, ...] = ("questions", i)
        errors += _check_unique(
            located,
            [(a.id, (*at, "answers", j, "id")) for j, a in enumerate(question.answers)],
            "answer",
        )
        correct = sum(1 for answer in question.answers if answer.correct)
        if correct != 1:
            errors.append(
                located.error(
                    f"question '{question.id}' needs exactly one correct answer, has {correct}",
                    (*at, "answers"),
                )
            )
        errors += _check_sources(located, [(question.source, (*at, "source"))], sources)
    # Checked last, so a broken question is reported before the pool size.
    if len(quiz.questions) < QUIZ_MINIMUM_POOL:
        errors.append(
            located.error(
                f"the quiz pool has {len(quiz.questions)} questions; at least "
                f"{QUIZ_MINIMUM_POOL} are needed so that attempts differ",
                ("questions",),
            )
        )
    if quiz.per_attempt != QUIZ_DRAW_SIZE:
        errors.append(
            located.error(
                f"per_attempt is {quiz.per_attempt}; every attempt draws {QUIZ_DRAW_SIZE} "
                "questions, so results stay comparable",
                ("per_attempt",),
            )
        )
    if not errors:
        errors += check_length_cue(located, quiz)
    return quiz, errors


def check_length_cue(located: LocatedData, quiz: QuizFile) -> list[ContentError]:
    """Refuse a pool in which the correct option gives itself away by being the longest (or
    the shortest) option too often: "always pick the longest" must not pass (issue 13)."""
    errors: list[ContentError] = []
    limit = round(100 * LENGTH_CUE_MAX_SHARE)
    for language in ("nl", "en"):
        cue = length_cue(quiz.questions, language)
        if cue.longest_share > LENGTH_CUE_MAX_SHARE:
            worst = ", ".join(f"'{qid}' ({ratio:.1f}x)" for qid, ratio in cue.worst[:8])
            errors.append(
                located.error(
                    f"the correct option is the longest ({language}) in {len(cue.longest)} of "
                    f"{cue.total} questions ({round(100 * cue.longest_share)}%, at most "
                    f"{limit}% allowed); make the wrong options as long and careful as the "
                    f"right one, first in (right/longest wrong length): {worst}",
                    ("questions",),
                )
            )
        if cue.shortest_share > LENGTH_CUE_MAX_SHARE:
            errors.append(
                located.error(
                    f"the correct option is the shortest ({language}) in {len(cue.shortest)} "
                    f"of {cue.total} questions ({round(100 * cue.shortest_share)}%, at most "
                    f"{limit}% allowed), e.g. in: "
                    + ", ".join(f"'{qid}'" for qid in cue.shortest[:8]),
                    ("questions",),
                )
            )
    return errors


def check_quiz_lessons(
    located: LocatedData, quiz: QuizFile, lesson_ids: Sequence[str]
) -> list[ContentError]:
    """Return an error for every question whose `lesson` is not a lesson of the module."""
    return [
        located.error(
            f"question '{question.id}' names unknown lesson '{question.lesson}'",
            ("questions", i, "lesson"),
            suggestion=suggest(question.lesson, lesson_ids),
        )
        for i, question in enumerate(quiz.questions)
        if question.lesson not in lesson_ids
    ]


def check_cards(located: LocatedData, sources: Sources) -> tuple[CardsFile, list[ContentError]]:
    """Validate a card deck file: unique ids and known sources."""
    deck = validate(CardsFile, located)
    errors = _check_unique(
        located, [(c.id, ("cards", i, "id")) for i, c in enumerate(deck.cards)], "card"
    )
    errors += _check_sources(
        located, [(c.source, ("cards", i, "source")) for i, c in enumerate(deck.cards)], sources
    )
    return deck, errors


def _attempt(
    path: Path,
    check: Callable[[LocatedData, Sources], tuple[M, list[ContentError]]],
    sources: Sources,
    errors: list[ContentError],
    reviews: list[ReviewDate] | None = None,
) -> M | None:
    try:
        located = load_yaml_file(path)
        item, problems = check(located, sources)
    except ContentError as exc:
        errors.append(exc)
        return None
    errors.extend(problems)
    if reviews is not None and not problems:
        reviews.extend(review_dates(located, item))
    return item if not problems else None


def _simple(path: Path, model: type[M], errors: list[ContentError]) -> M | None:
    try:
        return validate(model, load_yaml_file(path))
    except ContentError as exc:
        errors.append(exc)
        return None


def content_sha256(root: Path) -> str:
    """Return the sha256 over every content file's relative path and bytes, in a stable order."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.yaml")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def check_learning_content(
    root: Path | str | None = None,
) -> tuple[LearningContent | None, list[ContentError]]:
    """Load every file under `root`; return the content (None if invalid) and all problems."""
    base = Path(root) if root is not None else PACKAGED_CONTENT
    errors: list[ContentError] = []
    if not base.is_dir():
        return None, [ContentError("learning content folder not found", path=base)]
    module = _simple(base / "module.yaml", ModuleFile, errors)
    sources_file = _simple(base / "sources.yaml", SourcesFile, errors)
    sources: Sources = dict(sources_file.sources) if sources_file else {}
    reviews: list[ReviewDate] = []
    lessons = [
        _attempt(p, check_lesson, sources, errors, reviews)
        for p in sorted(base.glob("lessons/*.yaml"))
    ]
    scenarios = [
        _attempt(p, check_scenario, sources, errors) for p in sorted(base.glob("scenarios/*.yaml"))
    ]
    explainer = _attempt(base / "explainer.yaml", check_explainer, sources, errors)
    quiz = _attempt(base / "quiz.yaml", check_quiz, sources, errors, reviews)
    if quiz is not None and not errors:
        lesson_ids = [lesson.id for lesson in lessons if lesson is not None]
        errors += check_quiz_lessons(load_yaml_file(base / "quiz.yaml"), quiz, lesson_ids)
    decks = [
        _attempt(p, check_cards, sources, errors, reviews)
        for p in sorted(base.glob("cards/*.yaml"))
    ]
    cards = [card for deck in decks if deck for card in deck.cards]
    seen_cards: dict[str, int] = {}
    for card in cards:
        seen_cards[card.id] = seen_cards.get(card.id, 0) + 1
    for card_id, count in seen_cards.items():
        if count > 1:
            errors.append(
                ContentError(
                    f"card id '{card_id}' is used in more than one deck", path=base / "cards"
                )
            )
    tracks = None
    if not errors:
        try:
            located_tracks = load_yaml_file(base / "tracks.yaml")
            tracks, track_errors = check_tracks(
                located_tracks,
                [lesson.id for lesson in lessons if lesson is not None],
                [s for s in scenarios if s is not None],
                [card.id for card in cards],
            )
            errors += track_errors
        except ContentError as exc:
            errors.append(exc)
    notes = [
        _attempt(p, check_spot_note, sources, errors) for p in sorted(base.glob("spot/*.yaml"))
    ]
    if (base / "spot").is_dir() and len(notes) < SPOT_MINIMUM_NOTES:
        errors.append(
            ContentError(
                f"spot/ has {len(notes)} notes; at least {SPOT_MINIMUM_NOTES} are needed, "
                "one per professional setting",
                path=base / "spot",
            )
        )
    if not lessons:
        errors.append(ContentError("no lessons found in lessons/", path=base))
    if not scenarios:
        errors.append(ContentError("no scenarios found in scenarios/", path=base))
    elif (cue := check_length_cues([s for s in scenarios if s is not None])) is not None:
        errors.append(ContentError(cue, path=base / "scenarios"))
    if not cards and not errors:
        errors.append(ContentError("no key cards found in cards/", path=base))
    if errors or module is None or explainer is None or quiz is None or tracks is None:
        return None, errors
    content = LearningContent(
        root=base,
        module=module,
        sources=sources,
        lessons=tuple(sorted((x for x in lessons if x is not None), key=lambda x: (x.order, x.id))),
        scenarios=tuple(
            sorted((x for x in scenarios if x is not None), key=lambda x: (x.order, x.id))
        ),
        explainer=explainer,
        quiz=quiz,
        cards=tuple(cards),
        sha256=content_sha256(base),
        reviews=tuple(reviews),
        tracks=tuple(tracks.tracks),
        spot=tuple(
            answer_key(note)
            for note in sorted((n for n in notes if n is not None), key=lambda n: (n.order, n.id))
        ),
    )
    return content, []


@cache
def _load_cached(root: str) -> LearningContent:
    content, errors = check_learning_content(root)
    if content is None:
        raise LearningContentError(errors)
    return content


def load_learning_content(root: Path | str | None = None) -> LearningContent:
    """Return the checked content (cached per folder), or raise LearningContentError."""
    return _load_cached(str(Path(root).resolve() if root is not None else PACKAGED_CONTENT))


def load_content_summary() -> str:
    """Load the packaged content and return its one-line summary (start-up check)."""
    return load_learning_content().summary()
