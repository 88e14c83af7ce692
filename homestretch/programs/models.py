"""Guided programs for a condition, and each member's part in them: the safety self-check,
the enrollment, the practice log, the outcome checks and the reminders.

Everything a member records here is health data: private to them, shown to an instructor
only through the consent the homework issue adds.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse


def _score_field(verbose_name: str, **kwargs: object) -> models.PositiveSmallIntegerField:
    """A 0 to 10 rating: pain (NRS) or how well an activity goes (PSFS)."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        **kwargs,  # type: ignore[arg-type]
    )


class RedFlag(models.Model):
    """A yes/no question of the safety self-check; any "yes" stops the program.

    A data migration loads the default set; staff edit, reorder or retire them in the admin.
    Answers keep the question's text, so editing a question never rewrites an answer.
    """

    question = models.CharField(max_length=200)
    is_urgent = models.BooleanField(
        "urgent",
        default=False,
        help_text="A yes tells the member to seek care urgently (e.g. bladder, bowel, saddle).",
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.question


class ProgramQuerySet(models.QuerySet["Program"]):
    def published(self) -> "ProgramQuerySet":
        return self.filter(is_published=True)


class Program(models.Model):
    class Unlock(models.TextChoices):
        CALENDAR = "calendar", "By calendar: one day each day from the start date"
        LOGGING = "logging", "By logging: the next day opens when a day is logged"

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    condition = models.CharField(
        max_length=80,
        help_text="What it is for, e.g. 'SI joint'. A member follows one program per condition.",
    )
    summary = models.CharField(max_length=200, help_text="One line for cards and lists.")
    description = models.TextField(blank=True)
    safety_note = models.TextField(
        help_text="Shown on every program page: self-care, not a diagnosis; when to stop."
    )
    recommended_badge = models.CharField(
        max_length=10,
        blank=True,
        help_text="Credential code (e.g. NS) for the instructors we suggest when progress stalls.",
    )
    unlock = models.CharField(max_length=10, choices=Unlock.choices, default=Unlock.CALENDAR)
    is_published = models.BooleanField("published", default=False)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ProgramQuerySet] = ProgramQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.slug])


class ProgramDay(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="days")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=120)
    is_checkpoint = models.BooleanField(
        "checkpoint",
        default=False,
        help_text="The member repeats the outcome check (pain and activities) on this day.",
    )

    class Meta:
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="programs_day_number")
        ]

    def __str__(self) -> str:
        return f"Day {self.number}: {self.title}"


class DayItem(models.Model):
    """One thing to do on a program day: a sequence to practise, a short lesson, an article."""

    class Kind(models.TextChoices):
        SEQUENCE = "sequence", "Sequence"
        LESSON = "lesson", "Lesson"
        ARTICLE = "article", "Article"

    day = models.ForeignKey(ProgramDay, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sequence = models.ForeignKey(
        "library.Sequence", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lesson_title = models.CharField(max_length=120, blank=True)
    lesson_body = models.TextField(blank=True, help_text="Markdown.")

    class Meta:
        ordering = ["day", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="sequence", sequence__isnull=False, article__isnull=True)
                    | Q(kind="article", article__isnull=False, sequence__isnull=True)
                    | Q(kind="lesson", sequence__isnull=True, article__isnull=True)
                    & ~Q(lesson_title="")
                ),
                name="programs_dayitem_kind_matches",
                violation_error_message=(
                    "A sequence item needs a sequence, an article item an article, "
                    "and a lesson a title."
                ),
            )
        ]

    def __str__(self) -> str:
        if self.sequence_id:
            return f"Sequence: {self.sequence}"
        if self.article_id:
            return f"Article: {self.article}"
        return f"Lesson: {self.lesson_title}"


class PainArea(models.TextChoices):
    """Where it hurts: the pattern question of the self-check."""

    ONE_SIDE = "one_side", "One side of the low back or buttock"
    BOTH_SIDES = "both_sides", "Both sides or across the low back"
    GROIN = "groin", "The groin or the front of the hip"
    THIGH = "thigh", "Down the back or side of the thigh, above the knee"
    BELOW_KNEE = "below_knee", "Down the leg below the knee, or into the foot"


class SelfCheck(models.Model):
    """One safety self-check as the member answered it, passed or stopped. Private."""

    class Purpose(models.TextChoices):
        START = "start", "Before starting"
        RESTART = "restart", "Before restarting"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_checks"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.START)
    # [{"question": "...", "urgent": false, "answer": false}, ...] as asked at the time.
    red_flag_answers = models.JSONField(default=list)
    has_red_flag = models.BooleanField(default=False)
    is_urgent = models.BooleanField(default=False)
    pain_areas = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Self-check by {self.user} for {self.program} ({self.created_at:%Y-%m-%d})"

    @property
    def red_flags_answered_yes(self) -> list[str]:
        return [answer["question"] for answer in self.red_flag_answers if answer["answer"]]


class ClinicianClearance(models.Model):
    """The member's own statement that a clinician has seen them since a self-check stopped
    at a red flag. Until there is one, the stop stands for the program's condition: no new
    self-check, no start, restart or resume (`programs.services`). Health data: private,
    shown to an instructor only with the "self-checks" consent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clearances"
    )
    # The stop this answers; its program's condition is what the statement opens again.
    self_check = models.OneToOneField(SelfCheck, on_delete=models.CASCADE, related_name="clearance")
    condition = models.CharField(max_length=80, editable=False)
    seen_on = models.DateField(help_text="The day a clinician saw the member, as they stated.")
    stated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-stated_at"]

    def __str__(self) -> str:
        return f"{self.user}: seen by a clinician on {self.seen_on:%Y-%m-%d}"


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def current(self) -> "EnrollmentQuerySet":
        """Active or paused: the ones a member can carry on with."""
        return self.filter(status__in=Enrollment.CURRENT)


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        LEFT = "left", "Left"
        RESTARTED = "restarted", "Restarted"

    CURRENT: ClassVar[tuple[str, str]] = (Status.ACTIVE, Status.PAUSED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrollments")
    # Copied from the program so the database itself holds one current enrollment per
    # condition (a partial unique constraint cannot follow a foreign key).
    condition = models.CharField(max_length=80, editable=False)
    self_check = models.ForeignKey(SelfCheck, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(
        help_text="Day 1, in the member's time zone. Moved on by the length of a pause."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    paused_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[EnrollmentQuerySet] = EnrollmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "condition"],
                condition=Q(status__in=["active", "paused"]),
                name="programs_one_current_enrollment_per_condition",
                violation_error_message="You already follow a program for this condition.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.program}"

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    OK = "ok", "OK"
    HARD = "hard", "Hard"


class PracticeLog(models.Model):
    """One practice of one sequence on one day, as the member remembers it.

    One row per member, sequence and local day: logging the same sequence again that day
    edits it. `logged_at` is UTC; `local_date` is the day in the member's time zone when it
    was first logged, kept so a later time-zone change never moves old practice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_logs"
    )
    # What was practised: a library sequence, or a custom sequence as the version practised
    # (never both). A custom sequence deleted with its owner's account leaves the log
    # without either: the client's own record stays, saying what it was no longer.
    sequence = models.ForeignKey(
        "library.Sequence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practice_logs",
    )
    custom_version = models.ForeignKey(
        "custom.CustomSequenceVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_logs",
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.SET_NULL, null=True, blank=True, related_name="logs"
    )
    program_day = models.PositiveSmallIntegerField(null=True, blank=True)
    logged_at = models.DateTimeField()
    local_date = models.DateField()
    done = models.BooleanField(default=True)
    pain_before = _score_field("pain before", null=True, blank=True)
    pain_after = _score_field("pain after", null=True, blank=True)
    difficulty = models.CharField(max_length=4, choices=Difficulty.choices, blank=True)
    note = models.CharField(max_length=1000, blank=True)
    # The key a device sent with the log (Idempotency-Key), so a log kept offline and
    # sent again when the connection returns is saved once.
    idempotency_key = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-local_date", "-logged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="programs_log_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["user", "sequence", "local_date"], name="programs_one_log_per_day"
            ),
            models.UniqueConstraint(
                fields=["user", "custom_version", "local_date"],
                condition=Q(custom_version__isnull=False),
                name="programs_one_custom_log_per_day",
            ),
            models.CheckConstraint(
                condition=Q(sequence__isnull=True) | Q(custom_version__isnull=True),
                name="programs_log_sequence_or_custom",
            ),
            models.CheckConstraint(
                condition=Q(pain_before__lte=10) & Q(pain_after__lte=10),
                name="programs_log_pain_0_10",
            ),
        ]
        indexes = [models.Index(fields=["user", "local_date"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.title} on {self.local_date}"

    @property
    def title(self) -> str:
        """What was practised, in words: the sequence's title, or the custom sequence's
        with its version ("SI joint rescue (version 2)"). Read with select_related."""
        if self.sequence_id is not None:
            return self.sequence.title  # type: ignore[union-attr]
        if self.custom_version_id is not None:
            return str(self.custom_version)
        return "A custom sequence that was deleted"

    @property
    def practised_url(self) -> str:
        """Where to practise it again: the sequence's page, or a published custom
        sequence's (an assigned one opens from the homework, which knows its version)."""
        if self.sequence is not None:
            return self.sequence.get_absolute_url()
        version = self.custom_version
        if version is not None and version.custom_sequence.status == "published":
            return version.custom_sequence.get_absolute_url()
        return ""


class OutcomeCheck(models.Model):
    """Pain (NRS) and the Patient-Specific Functional Scale at a program day; day 0 is the
    baseline taken with the self-check."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcome_checks"
    )
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="outcomes")
    day = models.PositiveSmallIntegerField(help_text="0 is the baseline.")
    pain_now = _score_field("pain now")
    pain_week = _score_field("average pain over the last week")
    # [{"activity": "Climbing stairs", "score": 4}, ...]: up to three, the member's own words.
    psfs = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "day"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "day"], name="programs_one_check_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user}: outcome check, day {self.day}"

    @property
    def psfs_average(self) -> float | None:
        scores = [item["score"] for item in self.psfs]
        return sum(scores) / len(scores) if scores else None
