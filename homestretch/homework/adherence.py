"""The arithmetic of the instructor's dashboard, pure so tests can try many calendars:
adherence (done ÷ scheduled), the alert rules and the pain sparkline.

Every date here is a day in the client's own time zone: logs carry the local day they were
made, and "today" is the client's today, so a client in Auckland and one in Los Angeles
are each judged by their own calendar.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

WINDOW_DAYS = 14
HIGH_PAIN = 7  # pain logged at this level or above raises an alert
QUIET_DAYS = 7  # this many days without practice raises an alert
SPARK_DAYS = 14  # the pain trend covers the same days as adherence


@dataclass(frozen=True)
class Plan:
    """An assignment's schedule, as the maths needs it."""

    starts_on: date
    ends_on: date
    weekdays: frozenset[int] = frozenset()  # ISO weekdays; empty for a per-week plan
    times_per_week: int | None = None


@dataclass(frozen=True)
class Tally:
    """Sessions done and scheduled. Kept in sevenths of a session: a partial week asks for
    N x days ÷ 7, and sevenths add up exactly in integers (Fractions cost more than the
    rest of a 200-client dashboard)."""

    done_sevenths: int = 0
    scheduled_sevenths: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.done_sevenths + other.done_sevenths,
            self.scheduled_sevenths + other.scheduled_sevenths,
        )

    @property
    def done(self) -> Fraction:
        return Fraction(self.done_sevenths, 7)

    @property
    def scheduled(self) -> Fraction:
        return Fraction(self.scheduled_sevenths, 7)

    @property
    def ratio(self) -> float | None:
        """Done ÷ scheduled, from 0 to 1; None when nothing was scheduled."""
        if not self.scheduled_sevenths:
            return None
        return self.done_sevenths / self.scheduled_sevenths

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)


def counted_days(plan: Plan, today: date, practised: Collection[date]) -> list[date]:
    """The days of the window that count: the last WINDOW_DAYS days up to today, inside
    the plan's dates. Today counts only once practised: the day is not over yet, and a
    morning should not read as a missed day."""
    first = max(today - timedelta(days=WINDOW_DAYS - 1), plan.starts_on)
    last = min(today, plan.ends_on)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [day for day in days if day != today or day in practised]


def tally(plan: Plan, today: date, practised: Collection[date]) -> Tally:
    """Adherence of one plan over the window.

    - Chosen weekdays: each such day in the window is one scheduled session; it is done
      when the client practised (any of the plan's sequences) that day.
    - N times a week: weeks are calendar weeks (Monday to Sunday). A week wholly in the
      window asks for N sessions; a week the window or the plan's dates cut short asks
      for N x (days in it) ÷ 7, so a plan that starts on a Friday is not judged on a whole
      week. Practice days beyond a week's target count for nothing extra.
    """
    days = counted_days(plan, today, practised)
    if plan.times_per_week is None:
        scheduled = [day for day in days if day.isoweekday() in plan.weekdays]
        done = sum(1 for day in scheduled if day in practised)
        return Tally(done_sevenths=7 * done, scheduled_sevenths=7 * len(scheduled))
    weeks: dict[date, list[date]] = {}
    for day in days:
        weeks.setdefault(day - timedelta(days=day.isoweekday() - 1), []).append(day)
    done_sevenths = scheduled_sevenths = 0
    for week_days in weeks.values():
        target = plan.times_per_week * len(week_days)  # in sevenths
        done = sum(1 for day in week_days if day in practised)
        done_sevenths += min(7 * done, target)
        scheduled_sevenths += target
    return Tally(done_sevenths, scheduled_sevenths)


class Alert(StrEnum):
    HIGH_PAIN = "high_pain"
    NOT_PRACTISING = "not_practising"


ALERT_TEXT = {
    Alert.HIGH_PAIN: f"logged pain of {HIGH_PAIN} or more in the last {QUIET_DAYS} days",
    Alert.NOT_PRACTISING: f"has not practised for {QUIET_DAYS} days or more",
}


class LogPoint(NamedTuple):
    """A shared log as the dashboard's arithmetic needs it (a named tuple: the dashboard
    makes thousands, and a frozen dataclass costs three times as much to create)."""

    day: date
    done: bool
    pain_before: int | None
    pain_after: int | None

    @property
    def pain(self) -> int | None:
        """How it felt at the end when logged, else at the start."""
        return self.pain_after if self.pain_after is not None else self.pain_before


def alerts(
    *,
    logs: Iterable[LogPoint],
    today: date,
    last_practice: date | None,
    homework_since: date | None,
) -> list[Alert]:
    """The alert rules, on logs the client shares:

    1. High pain: a log in the last QUIET_DAYS days (today included) with pain before or
       after at HIGH_PAIN or more.
    2. Not practising: the client has homework that started at least QUIET_DAYS days ago
       and their last practice (any sequence) is QUIET_DAYS or more days back, or never.
       Without homework there is nothing to stop doing.
    """
    found = []
    since = today - timedelta(days=QUIET_DAYS - 1)
    if any(
        log.day >= since and max(log.pain_before or 0, log.pain_after or 0) >= HIGH_PAIN
        for log in logs
    ):
        found.append(Alert.HIGH_PAIN)
    quiet = last_practice is None or (today - last_practice).days >= QUIET_DAYS
    if homework_since is not None and (today - homework_since).days >= QUIET_DAYS and quiet:
        found.append(Alert.NOT_PRACTISING)
    return found


@dataclass(frozen=True)
class Sparkline:
    points: str  # SVG polyline points, in a 100 x 24 box
    first: float
    last: float
    count: int


def sparkline(logs: Sequence[LogPoint], *, today: date, days: int = SPARK_DAYS) -> Sparkline | None:
    """The daily average pain over the last `days` days as polyline points: x is the day
    (oldest at the left), y the pain (0 at the bottom, 10 at the top). None with fewer than
    two days of pain to draw."""
    start = today - timedelta(days=days - 1)
    by_day: dict[date, list[int]] = {}
    for log in logs:
        pain = log.pain
        if pain is not None and start <= log.day <= today:
            by_day.setdefault(log.day, []).append(pain)
    if len(by_day) < 2:
        return None
    averages = [(day, sum(values) / len(values)) for day, values in sorted(by_day.items())]
    span = max(days - 1, 1)
    points = " ".join(
        f"{(day - start).days * 100 / span:.1f},{24 - pain * 2.2 - 1:.1f}" for day, pain in averages
    )
    return Sparkline(points=points, first=averages[0][1], last=averages[-1][1], count=len(averages))
