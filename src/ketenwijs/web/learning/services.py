"""The only module that writes learning data (the `record_*` verbs), plus the reads views share."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
import smtplib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ketenwijs.learning import CardSchedule as Schedule
from ketenwijs.learning import (
    LearningContent,
    Progress,
    QuizResult,
    ReviewRating,
    RunError,
    evaluate_run,
    grade_quiz,
    issue_code,
    load_learning_content,
    new_schedule,
    normalise_code,
    review,
    verify_code,
)
from ketenwijs.learning.quiz import (
    answers_from_positions,
    cooldown_until,
    draw_quiz,
    order_answers,
    reveals_answers,
    track_quiz_lessons,
)
from ketenwijs.learning.schema import (
    ALL_TRACK,
    Answer,
    Choice,
    KeyCard,
    MaterialChange,
    Outcome,
    Track,
)
from ketenwijs.learning.scoring import (
    FinishedRun,
    choice_points,
    counting_runs,
    offered_choices,
)
from ketenwijs.learning.spot import (
    IndicatorCard,
    KeySentence,
    SpotNote,
    indicator_card,
    indicator_of_card,
    score_spot,
)
from ketenwijs.learning.spot import card_id as spot_card_id
from ketenwijs.learning.state import Replay, replay
from ketenwijs.learning.tracks import (
    changes_since,
    evaluate_track_progress,
    track_cards,
    track_fingerprint,
)
from ketenwijs.signals import default_library
from ketenwijs.web.accounts.models import AdminEvent, Organisation, User
from ketenwijs.web.accounts.services import log_event
from ketenwijs.web.learning.models import (
    RETENTION_DEFAULT_PERCENT,
    AssignedLearner,
    CardSchedule,
    Certificate,
    LearnerTrack,
    LearningSettings,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    QuizDraw,
    ReminderSent,
    ScenarioChoice,
    ScenarioRun,
    SpotAttempt,
    SpotCard,
    SpotMark,
    TrackAssignment,
)

logger = logging.getLogger(__name__)


def content() -> LearningContent:
    """Return the packaged, checked learning content (loaded once per process)."""
    return load_learning_content()


# Lessons -------------------------------------------------------------------------------------


def record_lesson_read(user: User, lesson_id: str) -> None:
    """Mark a lesson as read (idempotent)."""
    if content().lesson(lesson_id) is None:
        raise ValueError(f"unknown lesson '{lesson_id}'")
    LessonProgress.objects.get_or_create(user=user, lesson_id=lesson_id)


def lessons_read(user: User) -> set[str]:
    """Return the ids of the lessons this user has read."""
    return set(LessonProgress.objects.filter(user=user).values_list("lesson_id", flat=True))


# Scenarios -----------------------------------------------------------------------------------


def record_run_start(user: User, scenario_id: str) -> ScenarioRun:
    """Start a new walk through a scenario at its start node."""
    scenario = content().scenario(scenario_id)
    if scenario is None:
        raise ValueError(f"unknown scenario '{scenario_id}'")
    return ScenarioRun.objects.create(
        user=user,
        scenario_id=scenario.id,
        node_id=scenario.start,
        content_sha256=content().sha256,
        seed=secrets.randbits(63),
    )


def run_path(run: ScenarioRun) -> list[str]:
    """Return the choice ids of a run, in order."""
    return list(run.choices.order_by("position").values_list("choice_id", flat=True))


def replay_run(run: ScenarioRun) -> Replay | None:
    """Return the run replayed on the current content (its state), or None if it no longer fits."""
    scenario = content().scenario(run.scenario_id)
    if scenario is None:
        return None
    try:
        return replay(scenario, run_path(run))
    except RunError:
        return None


def choices_of_run(run: ScenarioRun) -> list[Choice]:
    """Return the choices offered at the run's current node in its state, in the run's order."""
    scenario = content().scenario(run.scenario_id)
    played = replay_run(run)
    if scenario is None or played is None or played.node_id not in scenario.nodes:
        return []
    return offered_choices(scenario, played.node_id, run.seed, played.state)


def record_choice(run_id: int, user: User, choice_id: str) -> ScenarioRun:
    """Apply a choice to the user's unfinished run; raise RunError for a choice not on offer
    (including one whose condition does not hold in the run's state)."""
    # Lock the run so a double-clicked form cannot record the same step twice.
    run = ScenarioRun.objects.select_for_update().get(pk=run_id, user=user)
    if run.finished_at is not None:
        raise RunError("this scenario run has already ended")
    scenario = content().scenario(run.scenario_id)
    if scenario is None:
        raise RunError(f"scenario '{run.scenario_id}' no longer exists")
    path = [*run_path(run), choice_id]
    result = evaluate_run(scenario, path)  # raises RunError before anything is written
    choice = replay(scenario, path).steps[-1].choice
    ScenarioChoice.objects.create(
        run=run,
        position=len(path) - 1,
        node_id=run.node_id,
        choice_id=choice.id,
        points=choice_points(choice),
    )
    run.node_id = result.node_id
    run.score = result.score
    run.max_score = result.max_score
    if result.finished and result.ending is not None:
        run.finished_at = timezone.now()
        run.outcome = result.ending.outcome.value
    run.save()
    return run


def scenarios_finished(user: User) -> set[str]:
    """Return the ids of scenarios this user has played to an ending."""
    return set(
        ScenarioRun.objects.filter(user=user, finished_at__isnull=False).values_list(
            "scenario_id", flat=True
        )
    )


def _counting_runs(user: User) -> list[FinishedRun]:
    finished = ScenarioRun.objects.filter(user=user, finished_at__isnull=False).values_list(
        "pk", "scenario_id", "started_at", "finished_at", "outcome"
    )
    return counting_runs(
        FinishedRun(pk, scenario_id, started, ended, outcome == Outcome.GOOD.value)
        for pk, scenario_id, started, ended, outcome in finished
    )


def counted_runs(user: User) -> set[int]:
    """Return the ids of this user's completed runs that count for a certificate: the first
    completed run of each scenario, and later ones started RETRY_WAIT after the previous one."""
    return {run.key for run in _counting_runs(user)}


def scenarios_ended_well(user: User) -> set[str]:
    """Return the ids of scenarios in which a counting run of this user reached a good ending
    (what completion counts), on any content version: the good endings are the same choices."""
    return {run.scenario_id for run in _counting_runs(user) if run.good}


# Quiz ----------------------------------------------------------------------------------------


def grade(answers: Mapping[str, str], question_ids: Collection[str]) -> QuizResult:
    """Grade answers to the drawn questions against the current quiz (pure; nothing stored)."""
    learning = content()
    return grade_quiz(learning.quiz, answers, learning.module.quiz_pass_threshold, question_ids)


class QuizDrawChangedError(Exception):
    """The quiz content changed after this draw was opened; its order no longer applies."""


class UnansweredError(Exception):
    """Some questions were not answered; nothing is graded or stored."""

    def __init__(self, question_ids: list[str]) -> None:
        super().__init__(f"{len(question_ids)} question(s) not answered")
        self.question_ids = question_ids


class QuizCooldownError(Exception):
    """A failed attempt showed its answers less than QUIZ_COOLDOWN ago: no new attempt yet."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"next quiz attempt from {until.isoformat()}")
        self.until = until


def _revealing_attempts(user: User) -> list[QuizAttempt]:
    """Return the user's attempts whose result shows the correct answers, oldest first."""
    attempts = list(QuizAttempt.objects.filter(user=user).order_by("pk"))
    return [a for n, a in enumerate(attempts, start=1) if reveals_answers(a.passed, n)]


def quiz_cooldown_until(user: User, now: dt.datetime | None = None) -> dt.datetime | None:
    """Return until when the user must wait before a new attempt (after a failed attempt that
    revealed its answers), or None; so the pool cannot be harvested by submitting at random."""
    failures = [a.created_at for a in _revealing_attempts(user) if not a.passed]
    return cooldown_until(failures, now or timezone.now())


def revealed_question_ids(user: User) -> set[str]:
    """Return the ids of the questions whose correct answers the user has been shown."""
    attempts = _revealing_attempts(user)
    return set(
        QuizAnswer.objects.filter(attempt__in=attempts).values_list("question_id", flat=True)
    )


def open_draw(user: User) -> QuizDraw:
    """Return the user's open (ungraded) draw for the current quiz, or create one: its questions
    come from the learner's track where it has enough, and avoid revealed ones while possible.

    Raises QuizCooldownError while a cooldown runs (an open draw is kept for later).
    """
    until = quiz_cooldown_until(user)
    if until is not None:
        raise QuizCooldownError(until)
    learning = content()
    draws = QuizDraw.objects.filter(user=user, attempt__isnull=True, content_sha256=learning.sha256)
    revealing = _revealing_attempts(user)
    if revealing:  # a draw opened before answers were revealed may hold those questions
        draws = draws.filter(created_at__gt=revealing[-1].created_at)
    draw = draws.order_by("-pk").first()
    if draw is None:
        seed = secrets.randbits(63)
        orders = draw_quiz(
            learning.quiz,
            seed,
            learning.module.quiz_pass_threshold,
            lessons=track_quiz_lessons(current_track(user), learning.quiz),
            avoid=revealed_question_ids(user),
        )
        draw = QuizDraw.objects.create(
            user=user, seed=seed, content_sha256=learning.sha256, question_ids=list(orders)
        )
    return draw


def draw_order(draw: QuizDraw) -> dict[str, list[Answer]]:
    """Return the questions this draw showed (in pool order), each with its answer order."""
    learning = content()
    threshold = learning.module.quiz_pass_threshold
    if not draw.question_ids:  # a draw opened before its questions were stored
        return draw_quiz(learning.quiz, draw.seed, threshold)
    drawn = [q for q in learning.quiz.questions if q.id in set(draw.question_ids)]
    return order_answers(drawn, draw.seed, threshold)


def record_quiz_attempt(user: User, draw_id: int, positions: Mapping[str, str]) -> QuizAttempt:
    """Grade a complete set of answers (question id -> 1-based option position) and store it.

    A draw is graded once: posting it again returns the attempt it produced. Unanswered
    questions raise UnansweredError and nothing is stored.
    """
    draw = QuizDraw.objects.select_for_update().get(pk=draw_id, user=user)
    if draw.attempt is not None:
        return draw.attempt
    if draw.content_sha256 != content().sha256:
        raise QuizDrawChangedError
    until = quiz_cooldown_until(user)
    if until is not None:
        raise QuizCooldownError(until)
    orders = draw_order(draw)
    answers, unanswered = answers_from_positions(orders, positions)
    if unanswered:
        raise UnansweredError(unanswered)
    result = grade(answers, list(orders))
    attempt = QuizAttempt.objects.create(
        user=user,
        correct=result.correct,
        total=result.total,
        passed=result.passed,
        content_sha256=content().sha256,
    )
    QuizAnswer.objects.bulk_create(
        QuizAnswer(
            attempt=attempt,
            question_id=graded.question.id,
            answer_id=graded.chosen.id if graded.chosen else "",
            is_correct=graded.is_correct,
        )
        for graded in result.questions
    )
    draw.attempt = attempt
    draw.save(update_fields=["attempt"])
    return attempt


def attempt_reveals_answers(attempt: QuizAttempt) -> bool:
    """Return whether this attempt's result may show the correct answers (a pass, or enough
    attempts by then), so guessing and reading the feedback is not a way to pass."""
    attempts_so_far = QuizAttempt.objects.filter(
        user_id=attempt.user_id, pk__lte=attempt.pk
    ).count()
    return reveals_answers(attempt.passed, attempts_so_far)


def has_passed_quiz(user: User) -> bool:
    """Return whether any quiz attempt of this user passed."""
    return QuizAttempt.objects.filter(user=user, passed=True).exists()


# Key cards -----------------------------------------------------------------------------------


def spot_card_ids(user: User) -> list[str]:
    """Return the ids of the review cards made from signals this user missed in the exercise
    (only for indicators the library still has)."""
    known = default_library().indicators
    return [
        spot_card_id(indicator)
        for indicator in SpotCard.objects.filter(user=user)
        .order_by("pk")
        .values_list("indicator", flat=True)
        if indicator in known
    ]


def card_for(user: User, card_id: str) -> KeyCard | IndicatorCard | None:
    """Return a card of this user's deck: a key card of the content, or a card made from a
    signal the user missed (with the exercise sentence it was missed in, while it still holds)."""
    indicator = indicator_of_card(card_id)
    if indicator is None:
        return content().card(card_id)
    row = SpotCard.objects.filter(user=user, indicator=indicator).first()
    if row is None or indicator not in default_library().indicators:
        return None
    note = content().spot_note(row.note_id)
    sentence = None
    if note is not None and 1 <= row.sentence <= len(note.key):
        shown = note.key[row.sentence - 1]
        if any(m.indicator == indicator for m in shown.signals):
            sentence = shown.text
    return indicator_card(indicator, sentence)


def due_card_ids(user: User, now: dt.datetime | None = None) -> list[str]:
    """Return the ids of cards due now: signals the learner missed in the exercise first (the
    most useful to review), then never-reviewed cards, then the rest by due moment."""
    now = now or timezone.now()
    learning = content()
    spot = spot_card_ids(user)
    deck = [card.id for card in track_cards(current_track(user), learning.cards)] + spot
    scheduled = dict(CardSchedule.objects.filter(user=user).values_list("card_id", "due"))
    new = [card_id for card_id in deck if card_id not in scheduled]
    due = sorted(
        (card_id for card_id, when in scheduled.items() if when <= now and card_id in deck),
        key=lambda card_id: scheduled[card_id],
    )
    missed = [card_id for card_id in due if card_id in spot]
    return missed + new + [card_id for card_id in due if card_id not in spot]


def due_card_count(user: User) -> int:
    """Return how many key cards are due for this user (for the home page)."""
    return len(due_card_ids(user))


def retention_for(user: User) -> float:
    """Return the desired retention (0-1) of the user's organisation, or the default."""
    percent = (
        LearningSettings.objects.filter(organisation_id=user.organisation_id)
        .values_list("desired_retention", flat=True)
        .first()
    )
    return (percent or RETENTION_DEFAULT_PERCENT) / 100


def schedule_for(user: User, card_id: str, now: dt.datetime) -> Schedule:
    """Return the stored schedule of a card, or a fresh one (nothing is written)."""
    row = CardSchedule.objects.filter(user=user, card_id=card_id).first()
    if row is None:
        indicator = indicator_of_card(card_id)
        if indicator is not None:
            spot = SpotCard.objects.get(user=user, indicator=indicator)
            return new_schedule(SPOT_CARD_NUMBERS + spot.pk, now)
        number = [card.id for card in content().cards].index(card_id) + 1
        return new_schedule(number, now)
    return Schedule(state=row.state, due=row.due)


def record_review(
    user: User, card_id: str, rating: ReviewRating, now: dt.datetime | None = None
) -> CardSchedule:
    """Apply one review to a card and store its new schedule."""
    if card_for(user, card_id) is None:
        raise ValueError(f"unknown card '{card_id}'")
    now = now or timezone.now()
    with transaction.atomic():
        row = CardSchedule.objects.select_for_update().filter(user=user, card_id=card_id).first()
        current = (
            Schedule(state=row.state, due=row.due)
            if row is not None
            else schedule_for(user, card_id, now)
        )
        updated = review(current, rating, now, retention_for(user))
        if row is None:
            row = CardSchedule(user=user, card_id=card_id)
        row.state = updated.state
        row.due = updated.due
        row.reviews += 1
        row.last_rating = rating.value
        row.save()
    return row


# Spot the signal -----------------------------------------------------------------------------

# FSRS card numbers of missed-signal cards start here, clear of the content deck's numbers.
SPOT_CARD_NUMBERS = 1_000_000


def record_spot_attempt(
    user: User,
    note_id: str,
    ticked: Collection[int],
    nothing_seen: bool,
    named: Mapping[int, str] | None = None,
) -> SpotAttempt:
    """Score the ticked sentences of a note against Signaleren's answer key and store the result
    (counts and per-sentence marks, not the note); every missed indicator becomes a review card.

    Raises SpotInputError for an empty or contradictory submit; nothing is stored then.
    """
    spot = content().spot_note(note_id)
    if spot is None:
        raise ValueError(f"unknown note '{note_id}'")
    result = score_spot(spot, ticked, nothing_seen, named, spot_choices())
    with transaction.atomic():
        attempt = SpotAttempt.objects.create(
            user=user,
            note_id=spot.id,
            hits=result.hits,
            false_alarms=result.false_alarms,
            misses=result.misses,
            percent=result.percent,
            named=result.named,
            named_right=result.named_right,
            content_sha256=content().sha256,
            library_version=spot.library_version,
        )
        SpotMark.objects.bulk_create(
            SpotMark(
                attempt=attempt,
                sentence=marked.sentence.number,
                ticked=marked.ticked,
                mark=marked.mark.value,
                named=marked.named or "",
            )
            for marked in result.sentences
        )
        record_spot_cards(user, spot, result.missed_indicators())
    return attempt


def spot_choices() -> list[str]:
    """Return the signal indicators a learner may name for a sentence, in library order."""
    return [spec.id for spec in default_library().signals]


def record_spot_cards(
    user: User,
    spot: SpotNote,
    missed: list[tuple[str, KeySentence]],
    now: dt.datetime | None = None,
) -> list[str]:
    """Add a review card per missed indicator to the user's deck, due now; a card the user
    already has keeps its memory state but comes forward (missing it again shows it is not
    known yet). Returns the card ids touched."""
    now = now or timezone.now()
    touched = []
    for indicator, sentence in missed:
        spot_card, _created = SpotCard.objects.update_or_create(
            user=user,
            indicator=indicator,
            defaults={"note_id": spot.id, "sentence": sentence.number},
        )
        card = spot_card_id(indicator)
        row = CardSchedule.objects.select_for_update().filter(user=user, card_id=card).first()
        if row is None:
            fresh = new_schedule(SPOT_CARD_NUMBERS + spot_card.pk, now)
            CardSchedule.objects.create(user=user, card_id=card, state=fresh.state, due=fresh.due)
        elif row.due > now:
            row.due = now
            row.save(update_fields=["due"])
        touched.append(card)
    return touched


def best_spot_percent(user: User) -> dict[str, int]:
    """Return the best score per note of this user."""
    best: dict[str, int] = {}
    for note_id, percent in SpotAttempt.objects.filter(user=user).values_list("note_id", "percent"):
        best[note_id] = max(percent, best.get(note_id, 0))
    return best


# Progress and certificates -------------------------------------------------------------------


def current_track(user: User) -> Track:
    """Return the track the learner follows: the chosen or assigned one, else the whole module."""
    learning = content()
    chosen = LearnerTrack.objects.filter(user=user).values_list("track_id", flat=True).first()
    track = learning.track(chosen) if chosen else None
    return track if track is not None else _all_track()


def _all_track() -> Track:
    track = content().track(ALL_TRACK)
    assert track is not None  # the content check requires it
    return track


def record_track_choice(user: User, track_id: str) -> Track:
    """Store the track the learner follows; raise ValueError for an unknown track."""
    track = content().track(track_id)
    if track is None:
        raise ValueError(f"unknown track '{track_id}'")
    LearnerTrack.objects.update_or_create(user=user, defaults={"track_id": track.id})
    return track


def held_certificate(user: User, track: Track) -> Certificate | None:
    """Return the learner's most recent certificate of this track (current or not), or None."""
    return (
        Certificate.objects.filter(user=user, track_id=track.id)
        .order_by("-material_version", "-issued_on", "-pk")
        .first()
    )


def recertification_since(user: User, track: Track) -> dt.date | None:
    """Return the date of the first material change after the learner's certificate of this
    track, when the certificate is out of date (a quiz pass must be from then on); else None."""
    held = held_certificate(user, track)
    if held is None:
        return None
    missed = changes_since(track, held.material_version)
    return missed[0].date if missed else None


def quiz_passed_for(user: User, track: Track) -> bool:
    """Return whether the learner passed the quiz in a way that counts for this track: any pass,
    or for a re-certification a pass on or after the date the material changed."""
    since = recertification_since(user, track)
    passes = QuizAttempt.objects.filter(user=user, passed=True)
    if since is not None:
        passes = passes.filter(created_at__date__gte=since)
    return passes.exists()


def progress_for(user: User, track: Track | None = None) -> Progress:
    """Return the user's progress against a track (default: the one the learner follows)."""
    learning = content()
    track = track or current_track(user)
    return evaluate_track_progress(
        track,
        learning.lessons,
        learning.scenarios,
        lessons_read(user),
        scenarios_ended_well(user),
        quiz_passed_for(user, track),
    )


def _certificate_key() -> bytes:
    # A key derived for this purpose only, so a certificate code never exposes SECRET_KEY use.
    return hmac.new(
        settings.SECRET_KEY.encode(), b"ketenwijs.learning.certificate", hashlib.sha256
    ).digest()


def code_scope(track: Track) -> str:
    """Return the name a certificate code is signed for: the module for the `all` track (so codes
    from before tracks stay valid), else module and track."""
    module_id = content().module.id
    return module_id if track.id == ALL_TRACK else f"{module_id}.{track.id}"


class NotCompleteError(Exception):
    """The track is not completed yet; no certificate may be issued."""


def record_certificate(user: User, track: Track | None = None) -> Certificate:
    """Issue a certificate for a completed track (the same one again for the same material
    version of the track)."""
    if user.organisation_id is None:
        raise NotCompleteError("a certificate needs an organisation")
    track = track or current_track(user)
    if not progress_for(user, track).is_complete:
        raise NotCompleteError("the track is not completed")
    learning = content()
    existing = Certificate.objects.filter(
        user=user, track_id=track.id, material_version=track.material_version
    ).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    return Certificate.objects.create(
        user=user,
        organisation_id=user.organisation_id,
        module_id=learning.module.id,
        code=issue_code(_certificate_key(), code_scope(track), today),
        issued_on=today,
        content_sha256=learning.sha256,
        track_id=track.id,
        material_version=track.material_version,
        track_fingerprint=track_fingerprint(
            track, learning.lessons, learning.scenarios, learning.quiz.questions
        ),
    )


def certificate_track(certificate: Certificate) -> Track | None:
    """Return the track a certificate was earned for (None if it was removed from the content)."""
    return content().track(certificate.track_id)


def certificate_changes(certificate: Certificate) -> list[MaterialChange]:
    """Return the material changes of the track since this certificate (empty: still current).

    A track that was removed from the content has no current version: its certificates are
    reported as current for what they were, with no changes to list.
    """
    track = certificate_track(certificate)
    return changes_since(track, certificate.material_version) if track is not None else []


def verify_certificate(code: str) -> Certificate | None:
    """Return the certificate for a genuine, issued code; None for anything else."""
    scopes = [code_scope(track) for track in content().tracks]
    verified = verify_code(_certificate_key(), code, scopes)
    if verified is None:
        return None
    found = Certificate.objects.filter(
        code=normalise_code(code), issued_on=verified.issued_on
    ).first()
    track = certificate_track(found) if found is not None else None
    if found is None or track is None or code_scope(track) != verified.module_id:
        return None
    return found


# Organisation settings -----------------------------------------------------------------------


def shows_individual_results(organisation: Organisation) -> bool:
    """Return whether this organisation lets trainers see individual results."""
    return LearningSettings.objects.filter(
        organisation=organisation, show_individual_results=True
    ).exists()


def desired_retention_percent(organisation: Organisation) -> int:
    """Return the organisation's desired retention for key cards, in percent."""
    percent = (
        LearningSettings.objects.filter(organisation=organisation)
        .values_list("desired_retention", flat=True)
        .first()
    )
    return percent if percent is not None else RETENTION_DEFAULT_PERCENT


def record_learning_settings(
    organisation: Organisation,
    show_individual_results: bool,
    *,
    actor: User,
    desired_retention: int | None = None,
) -> None:
    """Store whether trainers of this organisation see individual results and (when given) the
    desired retention of key cards, and log every change: who may see a named colleague's
    results, and how often colleagues review, are settings the auditor must be able to trace."""
    old = {
        "show_individual_results": shows_individual_results(organisation),
        "desired_retention": desired_retention_percent(organisation),
    }
    new = {
        "show_individual_results": show_individual_results,
        "desired_retention": old["desired_retention"]
        if desired_retention is None
        else desired_retention,
    }
    LearningSettings.objects.update_or_create(organisation=organisation, defaults=new)
    changes = {key: [old[key], new[key]] for key in old if old[key] != new[key]}
    if changes:
        log_event(
            actor,
            AdminEvent.Action.LEARNING_SETTINGS_CHANGED,
            organisation=organisation,
            changes=changes,
        )


def learners_of(organisation: Organisation) -> Q:
    """Return the filter for users of an organisation whose learning is reported to trainers."""
    return Q(organisation=organisation, is_active=True)


# Assignments and reminders -------------------------------------------------------------------


class AssignmentError(ValueError):
    """An assignment the trainer may not make; the message says why (shown at the field)."""


def record_assignment(
    trainer: User, track_id: str, deadline: dt.date, learners: Iterable[User]
) -> TrackAssignment:
    """Assign a track with a deadline to learners of the trainer's own organisation; each
    learner's followed track becomes the assigned one."""
    track = content().track(track_id)
    if track is None:
        raise AssignmentError(f"unknown track '{track_id}'")
    if trainer.organisation_id is None:
        raise AssignmentError("a trainer needs an organisation")
    if deadline < timezone.localdate():
        raise AssignmentError("the deadline has already passed")
    chosen = list({user.pk: user for user in learners}.values())
    if not chosen:
        raise AssignmentError("choose at least one learner")
    if any(u.organisation_id != trainer.organisation_id or not u.is_active for u in chosen):
        raise AssignmentError("learners must be active members of your own organisation")
    with transaction.atomic():
        assignment = TrackAssignment.objects.create(
            organisation_id=trainer.organisation_id,
            track_id=track.id,
            deadline=deadline,
            assigned_by=trainer,
        )
        AssignedLearner.objects.bulk_create(
            AssignedLearner(assignment=assignment, user=user) for user in chosen
        )
        for user in chosen:
            LearnerTrack.objects.update_or_create(user=user, defaults={"track_id": track.id})
    return assignment


def assignable_learners(trainer: User) -> list[User]:
    """Return the active members of the trainer's organisation, by name."""
    return list(
        User.objects.filter(organisation_id=trainer.organisation_id, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
    )


@dataclass(frozen=True)
class AssignedProgress:
    """One learner's standing in an assignment."""

    user: User
    progress: Progress
    certified: bool  # holds a certificate of the track's current material version
    overdue: bool


def is_certified(user: User, track: Track) -> bool:
    """Return whether the learner holds a certificate of the track's current material version."""
    return Certificate.objects.filter(
        user=user, track_id=track.id, material_version=track.material_version
    ).exists()


def assignment_progress(
    assignment: TrackAssignment, today: dt.date | None = None
) -> list[AssignedProgress]:
    """Return every assigned learner's progress on the assignment's track, by name."""
    track = content().track(assignment.track_id)
    if track is None:
        return []
    today = today or timezone.localdate()
    rows = []
    users = User.objects.filter(track_assignments__assignment=assignment).order_by(
        "last_name", "first_name", "username"
    )
    for user in users:
        certified = is_certified(user, track)
        rows.append(
            AssignedProgress(
                user=user,
                progress=progress_for(user, track),
                certified=certified,
                overdue=not certified and assignment.deadline < today,
            )
        )
    return rows


def reminder_stage(deadline: dt.date, today: dt.date, days_before: int) -> str | None:
    """Return the reminder stage for a deadline: overdue once passed, due soon within
    `days_before` days, else None."""
    if deadline < today:
        return ReminderSent.Stage.OVERDUE.value
    if (deadline - today).days <= days_before:
        return ReminderSent.Stage.DUE_SOON.value
    return None


@dataclass(frozen=True)
class ReminderRun:
    """What one reminder run did: mails sent, and mails the mail server refused (retried next
    run, because nothing is stored for them)."""

    sent: int
    failed: int


def send_learning_reminders(today: dt.date, days_before: int, base_url: str) -> ReminderRun:
    """Mail every uncertified learner whose assignment deadline is near or passed, once per
    stage (what was sent is stored first, so a rerun or a parallel run sends nothing twice).

    The mail holds only the learner's own name, track, deadline and progress. A mail the server
    refuses rolls back its record, so the next run tries it again; the others still go out.
    """
    sent = failed = 0
    learning = content()
    assigned = AssignedLearner.objects.select_related("assignment", "user").filter(
        user__is_active=True,
        assignment__deadline__lte=today + dt.timedelta(days=days_before),
    )
    for row in assigned:
        track = learning.track(row.assignment.track_id)
        stage = reminder_stage(row.assignment.deadline, today, days_before)
        if track is None or stage is None or not row.user.email:
            continue
        if is_certified(row.user, track):
            continue
        try:
            with transaction.atomic():
                _, created = ReminderSent.objects.get_or_create(assigned=row, stage=stage)
                if not created:
                    continue
                _send_reminder(row, track, stage, today, base_url)
        except (OSError, smtplib.SMTPException):
            logger.warning("learning reminder for assignment %s not sent", row.assignment_id)
            failed += 1
            continue
        sent += 1
    return ReminderRun(sent=sent, failed=failed)


def _send_reminder(
    row: AssignedLearner, track: Track, stage: str, today: dt.date, base_url: str
) -> None:
    context = {
        "name": row.user.get_full_name() or row.user.username,
        "track": track,
        "deadline": row.assignment.deadline,
        "overdue": stage == ReminderSent.Stage.OVERDUE.value,
        "days_left": (row.assignment.deadline - today).days,
        "progress": progress_for(row.user, track),
        "url": base_url.rstrip("/") + "/learning/",
    }
    # The recipient's language is not stored: the mail is in Dutch with English below.
    with translation.override("nl"):
        subject = render_to_string("learning/email/reminder_subject.txt", context).strip()
        text = render_to_string("learning/email/reminder.txt", context)
        html = render_to_string("learning/email/reminder.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [row.user.email])
    message.attach_alternative(html, "text/html")
    message.send()
