"""A member's progress as the progress page and its CSV files show it, read in a fixed
number of queries however long the history: the arithmetic is in `progress.py`.

1. Practice, one row per local day with a done log: how many, average pain before/after.
2. The two latest logged pains (after, else before), for the repeated safety message.
3. The current enrollment (else the latest), with its program.
4. Its outcome checks; 5. its program's checkpoint days.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Case, Count, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from homestretch.accounts.models import User
from homestretch.programs import progress
from homestretch.programs.models import Enrollment, OutcomeCheck, PracticeLog, Program, ProgramDay

CALENDAR_WEEKS = 12


def one_decimal(value: float | Decimal | None) -> float | None:
    """Round half up to one decimal, the same in the page, the charts and the CSV files
    (Python's round() would send 5.25 to 5.2 and the template's floatformat to 5.3)."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class PracticeDay:
    day: date
    sessions: int
    pain_before: float | None  # averages, to one decimal
    pain_after: float | None


# What a screen reader says for a calendar day, beside its number.
_DAY_WORDS = {
    progress.DayState.DONE: "practised",
    progress.DayState.MISSED: "not practised",
    progress.DayState.FUTURE: "to come",
    progress.DayState.BEFORE: "",
}


@dataclass(frozen=True)
class CalendarDay:
    day: date
    state: progress.DayState
    is_today: bool
    words: str  # what a screen reader says beside the day's number


@dataclass(frozen=True)
class Week:
    """A row of the practice calendar, Monday first."""

    days: list[CalendarDay]

    @property
    def start(self) -> date:
        return self.days[0].day

    @property
    def practised(self) -> int:
        return sum(day.state == progress.DayState.DONE for day in self.days)


def _week(days: list[tuple[date, progress.DayState]], today: date) -> Week:
    return Week([CalendarDay(day, state, day == today, _DAY_WORDS[state]) for day, state in days])


@dataclass(frozen=True)
class Outcome:
    """A checkpoint of the enrollment (day 0 is the baseline), checked or still to come."""

    day: int
    due_on: date | None  # None when days open by logging: no date can be known ahead
    check: OutcomeCheck | None
    checked_on: date | None  # in the member's time zone
    psfs_average: float | None

    @property
    def label(self) -> str:
        return "Baseline" if self.day == 0 else f"Day {self.day}"


@dataclass(frozen=True)
class Checkpoint:
    """The latest checkpoint compared with the baseline."""

    outcome: Outcome
    verdict: progress.Verdict

    @property
    def label(self) -> str:
        return progress.VERDICT_LABELS[self.verdict]

    @property
    def message(self) -> str:
        return progress.checkpoint_message(self.verdict)

    @property
    def suggests_evaluation(self) -> bool:
        return progress.suggests_evaluation(self.verdict)


@dataclass(frozen=True)
class Report:
    today: date
    practice: list[PracticeDay]
    streak: int
    weeks: list[Week]
    high_pain_twice: bool
    enrollment: Enrollment | None
    outcomes: list[Outcome]
    checkpoint: Checkpoint | None
    finder_url: str

    @property
    def days_practised_recently(self) -> int:
        return sum(week.practised for week in self.weeks)

    @property
    def checked_outcomes(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.check is not None]


def rounded_average(total: int | None, count: int) -> float | None:
    """The mean of `count` whole numbers summing to `total`, rounded half up to one
    decimal exactly as `one_decimal` does, in integers (a year of days through Decimal
    was a tenth of the progress page)."""
    if not count or total is None:
        return None
    return (20 * total + count) // (2 * count) / 10


def practice_days(user: User) -> list[PracticeDay]:
    rows = (
        PracticeLog.objects.filter(user=user, done=True)
        .values("local_date")
        .annotate(
            sessions=Count("id"),
            before=Sum("pain_before"),
            befores=Count("pain_before"),
            after=Sum("pain_after"),
            afters=Count("pain_after"),
        )
        .order_by("local_date")
        .values_list("local_date", "sessions", "before", "befores", "after", "afters")
    )
    return [
        PracticeDay(day, sessions, rounded_average(before, befores), rounded_average(after, afters))
        for day, sessions, before, befores, after, afters in rows
    ]


def latest_pains(user: User, count: int = 2) -> list[int]:
    """The last `count` logged pains, oldest first: pain after practice, else before."""
    pains = (
        PracticeLog.objects.filter(user=user)
        .annotate(pain=Coalesce("pain_after", "pain_before"))
        .filter(pain__isnull=False)
        .order_by("-logged_at", "-pk")
        .values_list("pain", flat=True)[:count]
    )
    return list(reversed(pains))


def needs_safety_reminder(user: User) -> bool:
    """High pain logged twice in a row brings the safety message back: on the answer to a
    log, the program page and the progress page."""
    return progress.high_pain_twice(latest_pains(user))


def current_enrollment(user: User) -> Enrollment | None:
    """The enrollment the member is in (active or paused), else their latest one."""
    current_first = Case(
        When(status__in=Enrollment.CURRENT, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Enrollment.objects.filter(user=user)
        .select_related("program")
        .order_by(current_first, "-created_at", "-pk")
        .first()
    )


def outcomes(user: User, enrollment: Enrollment) -> list[Outcome]:
    """The baseline and each checkpoint of the program, with its check when there is one."""
    checks = {check.day: check for check in enrollment.outcomes.all()}
    days = set(checks) | {0}
    days.update(
        ProgramDay.objects.filter(program_id=enrollment.program_id, is_checkpoint=True).values_list(
            "number", flat=True
        )
    )
    zone = user.zone
    by_calendar = enrollment.program.unlock == Program.Unlock.CALENDAR
    rows = []
    for day in sorted(days):
        check = checks.get(day)
        rows.append(
            Outcome(
                day=day,
                due_on=(
                    enrollment.start_date + timedelta(days=max(day - 1, 0)) if by_calendar else None
                ),
                check=check,
                checked_on=check.created_at.astimezone(zone).date() if check else None,
                psfs_average=one_decimal(check.psfs_average) if check else None,
            )
        )
    return rows


def all_outcome_checks(user: User) -> list[OutcomeCheck]:
    """Every outcome check of every program the member followed, oldest program first."""
    return list(
        OutcomeCheck.objects.filter(user=user)
        .select_related("enrollment__program")
        .order_by("enrollment__created_at", "enrollment_id", "day")
    )


def _scores(check: OutcomeCheck) -> progress.Scores:
    return progress.Scores(pain=check.pain_week, psfs=check.psfs_average)


def latest_checkpoint(outcomes: list[Outcome]) -> Checkpoint | None:
    checked = {outcome.day: outcome for outcome in outcomes if outcome.check is not None}
    baseline = checked.get(0)
    later = [day for day in checked if day > 0]
    if baseline is None or baseline.check is None or not later:
        return None
    latest = checked[max(later)]
    assert latest.check is not None
    verdict = progress.checkpoint_verdict(_scores(baseline.check), _scores(latest.check))
    return Checkpoint(latest, verdict)


def finder_url(user: User, enrollment: Enrollment | None) -> str:
    """The finder, filtered by the program's recommended badge, near the member's place."""
    query = {
        "badge": enrollment.program.recommended_badge if enrollment else "",
        "near": user.place,
    }
    query = {key: value for key, value in query.items() if value}
    url = reverse("finder:search")
    return f"{url}?{urlencode(query)}" if query else url


def progress_report(user: User) -> Report:
    today = user.local_today()
    practice = practice_days(user)
    enrollment = current_enrollment(user)
    rows = outcomes(user, enrollment) if enrollment else []
    practised = [row.day for row in practice]
    # The calendar counts a day as missed only from the first practice or program day on.
    starts = practised[:1] + ([enrollment.start_date] if enrollment else [])
    return Report(
        today=today,
        practice=practice,
        streak=progress.streak(practised, today),
        weeks=[
            _week(days, today)
            for days in progress.calendar_weeks(
                practised, today=today, weeks=CALENDAR_WEEKS, started_on=min(starts, default=None)
            )
        ],
        high_pain_twice=needs_safety_reminder(user),
        enrollment=enrollment,
        outcomes=rows,
        checkpoint=latest_checkpoint(rows),
        finder_url=finder_url(user, enrollment),
    )
