"""Learning progress per user: lessons read, scenario runs, quiz attempts, key-card schedules,
certificates, and the organisation's setting for showing individual results to trainers.

Content lives in YAML (ketenwijs.learning); rows refer to it by id and record the content hash
that was current, so a result can always be traced to the content version that produced it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenwijs.learning.review import DEFAULT_RETENTION, MAXIMUM_RETENTION, MINIMUM_RETENTION
from ketenwijs.web.accounts.models import Organisation

ID_LENGTH = 60


class LessonProgress(models.Model):
    """A lesson the user marked as read."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lessons_read"
    )
    lesson_id = models.CharField(max_length=ID_LENGTH)
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_id"], name="lesson_read_once")
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} ({self.user_id})"


class ScenarioRun(models.Model):
    """One walk through a scenario; `node_id` is where the learner stands now."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scenario_runs"
    )
    scenario_id = models.CharField(max_length=ID_LENGTH, db_index=True)
    node_id = models.CharField(max_length=ID_LENGTH)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)
    max_score = models.IntegerField(default=0)
    outcome = models.CharField(max_length=10, blank=True)
    content_sha256 = models.CharField(max_length=64)
    # Fixes the order of the options at every node for this run (runs before it had 0).
    seed = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "scenario_id", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.scenario_id} #{self.pk}"

    @property
    def percent(self) -> int:
        """Return the score as a percentage of the best possible path."""
        if self.max_score <= 0:
            return 100
        return max(0, min(100, round(100 * self.score / self.max_score)))


class ScenarioChoice(models.Model):
    """A choice made in a run, in order; trainers see only aggregates of these."""

    run = models.ForeignKey(ScenarioRun, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField()
    node_id = models.CharField(max_length=ID_LENGTH)
    choice_id = models.CharField(max_length=ID_LENGTH)
    points = models.IntegerField()
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="choice_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node_id}: {self.choice_id}"


class QuizAttempt(models.Model):
    """A graded quiz attempt."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    correct = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)
    content_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"quiz #{self.pk}: {self.correct}/{self.total}"

    @property
    def percent(self) -> int:
        """Return the score as a whole percentage."""
        return round(100 * self.correct / self.total) if self.total else 0


class QuizAnswer(models.Model):
    """The answer given to one question in an attempt (empty when skipped)."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=ID_LENGTH)
    answer_id = models.CharField(max_length=ID_LENGTH, blank=True)
    is_correct = models.BooleanField()

    def __str__(self) -> str:
        return f"{self.question_id}: {self.answer_id}"


class QuizDraw(models.Model):
    """One opened quiz: the seed that fixes its answer order, kept on the server until graded.

    The form posts option positions, not answer ids; the seed maps them back, so a resubmitted
    form is graded against the order the learner saw, and the attempt it produced is reused.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_draws"
    )
    seed = models.PositiveBigIntegerField()
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    attempt = models.OneToOneField(
        QuizAttempt, on_delete=models.CASCADE, null=True, blank=True, related_name="draw"
    )
    # The drawn question ids, fixed when opened: the draw depends on the learner's track and on
    # the answers revealed so far, which may change before it is graded. Empty for older draws,
    # which are redrawn from the seed alone.
    question_ids = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"quiz draw #{self.pk}"


class CardSchedule(models.Model):
    """A user's FSRS state for one key card; `due` is a column so due cards count in SQL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="card_schedules"
    )
    card_id = models.CharField(max_length=ID_LENGTH)
    state = models.JSONField()
    due = models.DateTimeField(db_index=True)
    reviews = models.PositiveIntegerField(default=0)
    last_rating = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "card_id"], name="card_schedule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.card_id} ({self.user_id})"


class Certificate(models.Model):
    """A certificate for completing a module; the code reveals nothing about the person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    module_id = models.CharField(max_length=ID_LENGTH)
    code = models.CharField(max_length=40, unique=True)
    issued_on = models.DateField()
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # The role track and its material version the certificate was earned on; certificates from
    # before tracks existed are the module-wide `all` track, version 1.
    track_id = models.CharField(max_length=ID_LENGTH, default="all")
    material_version = models.PositiveIntegerField(default=1)
    track_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return self.code


RETENTION_MIN_PERCENT = round(MINIMUM_RETENTION * 100)
RETENTION_MAX_PERCENT = round(MAXIMUM_RETENTION * 100)
RETENTION_DEFAULT_PERCENT = round(DEFAULT_RETENTION * 100)


class LearningSettings(models.Model):
    """Per organisation: whether trainers may see individual learners' results, and how well
    learners should still know a key card when it comes back (which sets how often it does)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="learning_settings"
    )
    show_individual_results = models.BooleanField(
        _("show individual results to trainers"),
        default=False,
        help_text=_(
            "When off, trainers see only anonymous totals for groups of at least five learners."
        ),
    )
    desired_retention = models.PositiveSmallIntegerField(
        _("share of key cards still known when they come back (%)"),
        default=RETENTION_DEFAULT_PERCENT,
        validators=[
            MinValueValidator(RETENTION_MIN_PERCENT),
            MaxValueValidator(RETENTION_MAX_PERCENT),
        ],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    desired_retention__gte=RETENTION_MIN_PERCENT,
                    desired_retention__lte=RETENTION_MAX_PERCENT,
                ),
                name="learning_retention_in_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"learning settings of {self.organisation_id}"


class LearnerTrack(models.Model):
    """The role track a learner follows (chosen, or set by a trainer's assignment)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_track"
    )
    track_id = models.CharField(max_length=ID_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.track_id} ({self.user_id})"


class TrackAssignment(models.Model):
    """A trainer's assignment of a track, with a deadline, to learners of the own organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="track_assignments"
    )
    track_id = models.CharField(max_length=ID_LENGTH)
    deadline = models.DateField()
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.track_id} by {self.deadline}"


class AssignedLearner(models.Model):
    """One learner of an assignment."""

    assignment = models.ForeignKey(
        TrackAssignment, on_delete=models.CASCADE, related_name="learners"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="track_assignments"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="assigned_learner_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.assignment_id}"


class ReminderSent(models.Model):
    """A reminder e-mail sent for an assignment at one stage; stored so each stage mails once."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", _("deadline approaching")
        OVERDUE = "overdue", _("deadline passed")

    assigned = models.ForeignKey(
        AssignedLearner, on_delete=models.CASCADE, related_name="reminders"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assigned", "stage"], name="reminder_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.stage} for {self.assigned_id}"


class SpotAttempt(models.Model):
    """A scored spot-the-signal exercise: the counts, never the note (the note is content)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spot_attempts"
    )
    note_id = models.CharField(max_length=ID_LENGTH, db_index=True)
    hits = models.PositiveSmallIntegerField()
    false_alarms = models.PositiveSmallIntegerField()
    misses = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField()
    named = models.PositiveSmallIntegerField(default=0)  # hits where a signal was also named
    named_right = models.PositiveSmallIntegerField(default=0)  # ... and it was the right one
    created_at = models.DateTimeField(auto_now_add=True)
    content_sha256 = models.CharField(max_length=64)
    library_version = models.CharField(max_length=40)  # the Signaleren library that scored it

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"spot {self.note_id} #{self.pk}: {self.percent}%"


class SpotMark(models.Model):
    """One sentence of an attempt: whether it was ticked and how that turned out."""

    attempt = models.ForeignKey(SpotAttempt, on_delete=models.CASCADE, related_name="marks")
    sentence = models.PositiveSmallIntegerField()  # 1-based position in the note
    ticked = models.BooleanField()
    mark = models.CharField(max_length=20)  # a ketenwijs.learning.spot.Mark value
    named = models.CharField(max_length=ID_LENGTH, blank=True)  # the indicator named, if any

    class Meta:
        ordering = ["attempt", "sentence"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "sentence"], name="spot_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sentence}: {self.mark}"


class SpotCard(models.Model):
    """A review card of an indicator the learner missed; its schedule is a CardSchedule row
    with card id `spot:<indicator>`. The sentence shown is found again from note and number."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="spot_cards"
    )
    indicator = models.CharField(max_length=ID_LENGTH)
    note_id = models.CharField(max_length=ID_LENGTH)
    sentence = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "indicator"], name="spot_card_unique")
        ]

    def __str__(self) -> str:
        return f"spot card {self.indicator} ({self.user_id})"
