"""Anonymous aggregates for trainers, always within one organisation and above a group minimum.

Aggregates over fewer than MIN_GROUP learners are withheld: in a small team a percentage points
at a person. Individual results exist only when the organisation switched them on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet

from ketenwijs.learning import LearningContent
from ketenwijs.learning.quiz import correct_answer
from ketenwijs.learning.schema import Outcome
from ketenwijs.learning.scoring import FinishedRun, counting_runs
from ketenwijs.web.accounts.models import Organisation, User
from ketenwijs.web.learning.models import (
    Certificate,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    ScenarioChoice,
    ScenarioRun,
)

MIN_GROUP = 5


@dataclass(frozen=True)
class QuestionStat:
    """How often a quiz question was answered correctly in the organisation."""

    question_id: str
    prompt: object
    correct_answer: object
    answered_by: int
    percent_correct: int


@dataclass(frozen=True)
class WrongChoiceStat:
    """A costly scenario choice and how many of the scenario's players made it."""

    scenario_title: object
    situation: object
    choice_text: object
    learners: int
    percent: int


@dataclass(frozen=True)
class OrganisationReport:
    """The trainer's view of one organisation."""

    learners: int
    started: int
    lessons_all_read: int
    scenarios_all_finished: int  # learners with a good ending in every required scenario
    quiz_passed: int
    certified: int
    weakest_questions: list[QuestionStat] = field(default_factory=list)
    wrong_choices: list[WrongChoiceStat] = field(default_factory=list)

    @property
    def is_shown(self) -> bool:
        """Return whether the group is large enough to show any aggregate."""
        return self.started >= MIN_GROUP


def _counted_good_endings(
    runs: QuerySet[ScenarioRun], scenario_ids: list[str]
) -> dict[int, set[str]]:
    """Return per user the required scenarios with a good ending in a run that counts (issue 13:
    a first completed run, or one started RETRY_WAIT after the previous), as the certificate."""
    rows = runs.filter(finished_at__isnull=False, scenario_id__in=scenario_ids).values_list(
        "pk", "user", "scenario_id", "started_at", "finished_at", "outcome"
    )
    per_user: dict[int, list[FinishedRun]] = {}
    for pk, user, scenario_id, started, ended, outcome in rows:
        per_user.setdefault(user, []).append(
            FinishedRun(pk, scenario_id, started, ended, outcome == Outcome.GOOD.value)
        )
    return {
        user: {run.scenario_id for run in counting_runs(finished) if run.good}
        for user, finished in per_user.items()
    }


def _org_users(organisation: Organisation) -> list[int]:
    return list(
        User.objects.filter(organisation=organisation, is_active=True).values_list("pk", flat=True)
    )


def organisation_report(
    organisation: Organisation, learning: LearningContent
) -> OrganisationReport:
    """Build the anonymous aggregates of one organisation's learners."""
    users = _org_users(organisation)
    lesson_ids = [lesson.id for lesson in learning.lessons]
    scenario_ids = [scenario.id for scenario in learning.scenarios if scenario.required]
    active = set(
        LessonProgress.objects.filter(user__in=users).values_list("user", flat=True)
    ) | set(ScenarioRun.objects.filter(user__in=users).values_list("user", flat=True))
    active |= set(QuizAttempt.objects.filter(user__in=users).values_list("user", flat=True))
    lessons_done = (
        LessonProgress.objects.filter(user__in=users, lesson_id__in=lesson_ids)
        .values("user")
        .annotate(n=Count("lesson_id", distinct=True))
        .filter(n=len(lesson_ids))
        .count()
    )
    good = _counted_good_endings(ScenarioRun.objects.filter(user__in=users), scenario_ids)
    scenarios_done = sum(1 for done in good.values() if len(done) == len(scenario_ids))
    passed = QuizAttempt.objects.filter(user__in=users, passed=True).values("user").distinct()
    certified = (
        Certificate.objects.filter(organisation=organisation, module_id=learning.module.id)
        .values("user")
        .distinct()
        .count()
    )
    report = OrganisationReport(
        learners=len(users),
        started=len(active),
        lessons_all_read=lessons_done,
        scenarios_all_finished=scenarios_done,
        quiz_passed=passed.count(),
        certified=certified,
    )
    if not report.is_shown:
        return report
    report.weakest_questions.extend(_weakest_questions(users, learning))
    report.wrong_choices.extend(_wrong_choices(users, learning))
    return report


def _weakest_questions(users: list[int], learning: LearningContent) -> list[QuestionStat]:
    rows = (
        QuizAnswer.objects.filter(attempt__user__in=users)
        .values("question_id")
        .annotate(
            learners=Count("attempt__user", distinct=True),
            total=Count("pk"),
            right=Count("pk", filter=Q(is_correct=True)),
        )
    )
    questions = {q.id: q for q in learning.quiz.questions}
    stats = [
        QuestionStat(
            question_id=row["question_id"],
            prompt=questions[row["question_id"]].prompt,
            correct_answer=correct_answer(questions[row["question_id"]]).text,
            answered_by=row["learners"],
            percent_correct=round(100 * row["right"] / row["total"]),
        )
        for row in rows
        if row["question_id"] in questions and row["learners"] >= MIN_GROUP
    ]
    return sorted(stats, key=lambda s: (s.percent_correct, s.question_id))[:5]


def _wrong_choices(users: list[int], learning: LearningContent) -> list[WrongChoiceStat]:
    players = dict(
        ScenarioRun.objects.filter(user__in=users)
        .values("scenario_id")
        .annotate(n=Count("user", distinct=True))
        .values_list("scenario_id", "n")
    )
    rows = (
        ScenarioChoice.objects.filter(run__user__in=users, points__lt=0)
        .values("run__scenario_id", "node_id", "choice_id")
        .annotate(learners=Count("run__user", distinct=True))
        .order_by("-learners")
    )
    stats = []
    for row in rows:
        scenario = learning.scenario(row["run__scenario_id"])
        played = players.get(row["run__scenario_id"], 0)
        if scenario is None or played < MIN_GROUP:
            continue
        node = scenario.nodes.get(row["node_id"])
        choice = next((c for c in node.choices if c.id == row["choice_id"]), None) if node else None
        if node is None or choice is None:
            continue
        stats.append(
            WrongChoiceStat(
                scenario_title=scenario.title,
                situation=node.situation,
                choice_text=choice.text,
                learners=row["learners"],
                percent=round(100 * row["learners"] / played),
            )
        )
    return sorted(stats, key=lambda s: -s.percent)[:8]


@dataclass(frozen=True)
class LearnerRow:
    """One learner's results, shown only when the organisation allows it."""

    user: User
    lessons_read: int
    scenarios_finished: int  # required scenarios with a good ending reached
    best_quiz_percent: int | None
    certified_on: object


def individual_results(organisation: Organisation, learning: LearningContent) -> list[LearnerRow]:
    """Return per-learner results for an organisation that enabled individual results."""
    lesson_ids = [lesson.id for lesson in learning.lessons]
    scenario_ids = [scenario.id for scenario in learning.scenarios if scenario.required]
    users = (
        User.objects.filter(organisation=organisation, is_active=True)
        .annotate(
            n_lessons=Count(
                "lessons_read__lesson_id",
                filter=Q(lessons_read__lesson_id__in=lesson_ids),
                distinct=True,
            ),
        )
        .order_by("last_name", "first_name", "username")
    )
    finished = {
        user: len(done)
        for user, done in _counted_good_endings(
            ScenarioRun.objects.filter(user__organisation=organisation), scenario_ids
        ).items()
    }
    best: dict[int, int] = {}
    for attempt in QuizAttempt.objects.filter(user__organisation=organisation):
        best[attempt.user_id] = max(best.get(attempt.user_id, 0), attempt.percent)
    certified = dict(
        Certificate.objects.filter(organisation=organisation, module_id=learning.module.id)
        .values("user")
        .annotate(on=Max("issued_on"))
        .values_list("user", "on")
    )
    return [
        LearnerRow(
            user=user,
            lessons_read=user.n_lessons,  # type: ignore[attr-defined]
            scenarios_finished=finished.get(user.pk, 0),
            best_quiz_percent=best.get(user.pk),
            certified_on=certified.get(user.pk),
        )
        for user in users
    ]
