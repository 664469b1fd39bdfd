"""Role tracks: which lessons, scenarios and key cards a certificate for one profession needs.

A track's certificate needs its lessons read, the module quiz passed and a good ending in each of
its scenarios. Each track carries a `material_version` that content editors bump, with a dated
changelog entry, when a change alters what a learner must know; certificates record the version
they were earned on, so a holder can see when the track changed since and what changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence

from ketenwijs.content import ContentError, LocatedData, suggest, validate
from ketenwijs.learning.progress import Progress
from ketenwijs.learning.schema import (
    ALL_TRACK,
    KeyCard,
    LessonFile,
    MaterialChange,
    Outcome,
    Question,
    ScenarioFile,
    Track,
    TracksFile,
)


def check_tracks(
    located: LocatedData,
    lesson_ids: Sequence[str],
    scenarios: Sequence[ScenarioFile],
    card_ids: Sequence[str],
) -> tuple[TracksFile, list[ContentError]]:
    """Validate `tracks.yaml`: known ids (with did-you-mean), the `all` track, profession
    scenarios, and a changelog whose last entry is the track's material version."""
    tracks = validate(TracksFile, located)
    errors: list[ContentError] = []
    scenario_ids = [s.id for s in scenarios]
    professions = {s.id: s.profession for s in scenarios}
    seen: set[str] = set()
    for t, track in enumerate(tracks.tracks):
        at: tuple[str | int, ...] = ("tracks", t)
        if track.id in seen:
            errors.append(located.error(f"duplicate track id '{track.id}'", (*at, "id")))
        seen.add(track.id)
        if track.everything:
            if track.lessons or track.scenarios or track.cards:
                errors.append(
                    located.error(
                        f"track '{track.id}' has 'everything: true' and cannot also list "
                        "lessons, scenarios or cards",
                        (*at, "everything"),
                    )
                )
        else:
            for key, known, what in (
                ("lessons", lesson_ids, "lesson"),
                ("scenarios", scenario_ids, "scenario"),
                ("cards", card_ids, "card"),
            ):
                listed: list[str] = getattr(track, key)
                if not listed and key != "cards":
                    errors.append(located.error(f"track '{track.id}' lists no {key}", (*at, key)))
                for i, item in enumerate(listed):
                    if item not in known:
                        errors.append(
                            located.error(
                                f"track '{track.id}' names unknown {what} '{item}'",
                                (*at, key, i),
                                suggestion=suggest(item, known),
                            )
                        )
                    elif key == "scenarios" and not has_good_ending(
                        next(s for s in scenarios if s.id == item)
                    ):
                        errors.append(
                            located.error(
                                f"track '{track.id}' requires scenario '{item}', which has no "
                                "ending with outcome 'good'",
                                (*at, key, i),
                            )
                        )
                    elif listed.index(item) != i:
                        errors.append(
                            located.error(
                                f"track '{track.id}' lists {what} '{item}' twice", (*at, key, i)
                            )
                        )
            if (
                track.profession is not None
                and track.scenarios
                and not any(professions.get(s) == track.profession for s in track.scenarios)
            ):
                errors.append(
                    located.error(
                        f"track '{track.id}' is for profession '{track.profession.value}' but "
                        "none of its scenarios plays in that setting",
                        (*at, "scenarios"),
                    )
                )
        errors += _check_changes(located, track, at)
    if ALL_TRACK not in seen:
        errors.append(
            located.error(
                f"a track with id '{ALL_TRACK}' and 'everything: true' is required: it is the "
                "module-wide certificate",
                ("tracks",),
            )
        )
    elif not next(t for t in tracks.tracks if t.id == ALL_TRACK).everything:
        index = next(i for i, t in enumerate(tracks.tracks) if t.id == ALL_TRACK)
        errors.append(
            located.error(
                f"track '{ALL_TRACK}' must have 'everything: true'", ("tracks", index, "id")
            )
        )
    return tracks, errors


def _check_changes(
    located: LocatedData, track: Track, at: tuple[str | int, ...]
) -> list[ContentError]:
    errors: list[ContentError] = []
    for c, change in enumerate(track.changes):
        if change.version != c + 1:
            errors.append(
                located.error(
                    f"change {c + 1} of track '{track.id}' has version {change.version}; "
                    f"versions count up from 1 without gaps",
                    (*at, "changes", c, "version"),
                )
            )
        if c and change.date < track.changes[c - 1].date:
            errors.append(
                located.error(
                    f"change {change.version} of track '{track.id}' is dated before the previous "
                    "one",
                    (*at, "changes", c, "date"),
                )
            )
    if track.changes and track.changes[-1].version != track.material_version:
        errors.append(
            located.error(
                f"track '{track.id}' has material_version {track.material_version} but its last "
                f"change is version {track.changes[-1].version}: add a dated entry to 'changes' "
                "when you bump the version",
                (*at, "material_version"),
            )
        )
    return errors


def track_lessons(track: Track, lessons: Sequence[LessonFile]) -> tuple[LessonFile, ...]:
    """Return the track's lessons in module order."""
    return tuple(les for les in lessons if track.everything or les.id in track.lessons)


def track_scenarios(track: Track, scenarios: Sequence[ScenarioFile]) -> tuple[ScenarioFile, ...]:
    """Return the scenarios whose good ending the track requires, in module order."""
    if track.everything:
        return tuple(s for s in scenarios if s.required)
    return tuple(s for s in scenarios if s.id in track.scenarios)


def track_cards(track: Track, cards: Sequence[KeyCard]) -> tuple[KeyCard, ...]:
    """Return the key cards of the track (every card for the `all` track or an empty list)."""
    if track.everything or not track.cards:
        return tuple(cards)
    return tuple(card for card in cards if card.id in track.cards)


def track_fingerprint(
    track: Track,
    lessons: Sequence[LessonFile],
    scenarios: Sequence[ScenarioFile],
    questions: Sequence[Question],
) -> str:
    """Return a sha256 over the track's lessons, scenarios and the quiz questions of its lessons,
    so a certificate records exactly which material it was earned on (any edit changes it)."""
    chosen = track_lessons(track, lessons)
    lesson_ids = {les.id for les in chosen}
    parts = [
        *(les.model_dump(mode="json") for les in chosen),
        *(s.model_dump(mode="json", by_alias=True) for s in track_scenarios(track, scenarios)),
        *(q.model_dump(mode="json") for q in questions if q.lesson in lesson_ids),
    ]
    digest = hashlib.sha256(track.id.encode() + b"\0")
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, ensure_ascii=False).encode() + b"\0")
    return digest.hexdigest()


def changes_since(track: Track, version: int) -> list[MaterialChange]:
    """Return the changelog entries after `version`, oldest first (what a holder has missed)."""
    return [change for change in track.changes if change.version > version]


def evaluate_track_progress(
    track: Track,
    lessons: Sequence[LessonFile],
    scenarios: Sequence[ScenarioFile],
    lessons_read: Collection[str],
    scenarios_ended_well: Collection[str],
    quiz_passed: bool,
) -> Progress:
    """Compare what the learner did with the track; old or other ids do not count."""
    chosen_lessons = track_lessons(track, lessons)
    chosen_scenarios = track_scenarios(track, scenarios)
    return Progress(
        lessons_total=len(chosen_lessons),
        lessons_missing=tuple(les.id for les in chosen_lessons if les.id not in lessons_read),
        scenarios_total=len(chosen_scenarios),
        scenarios_missing=tuple(s.id for s in chosen_scenarios if s.id not in scenarios_ended_well),
        quiz_passed=quiz_passed,
    )


def has_good_ending(scenario: ScenarioFile) -> bool:
    """Return whether a scenario has at least one good ending (else no track can require it)."""
    return any(
        node.ending is not None and node.ending.outcome is Outcome.GOOD
        for node in scenario.nodes.values()
    )
