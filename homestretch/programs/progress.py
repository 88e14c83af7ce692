"""The arithmetic of progress, kept pure so it can be tested over many made-up histories:
which days are open, what a checkpoint's numbers mean, when to repeat the safety message."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# What published studies of chronic low back pain found people notice: a drop in pain of
# 2 points (0 to 10) or 30 %, and a change of 2 points in the PSFS average.
PAIN_POINTS_MEANINGFUL = 2
PAIN_SHARE_MEANINGFUL = 0.30
PSFS_MEANINGFUL = 2.0
# Pain logged at this level or above, twice in a row, brings the safety message back.
HIGH_PAIN = 8


def unlocked_days(
    *,
    unlock: str,
    total_days: int,
    start_date: date,
    today: date,
    logged_days: Iterable[int] = (),
) -> int:
    """How many days are open, from day 1: 0 before the start date.

    - "calendar": one more each local day from the start date.
    - "logging": day 1 at the start; each further day once the day before it is logged.
    """
    if today < start_date or total_days == 0:
        return 0
    if unlock == "calendar":
        return min(total_days, (today - start_date).days + 1)
    logged = set(logged_days)
    day = 1
    while day < total_days and day in logged:
        day += 1
    return day


class Verdict(StrEnum):
    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSE = "worse"


@dataclass(frozen=True)
class Scores:
    pain: int  # average pain over the last week, 0 to 10
    psfs: float | None  # PSFS average, 0 to 10, when activities were rated


def _meaningful(change: float, start: float) -> bool:
    """A change in pain of 2 points or 30 % of where it started."""
    if change >= PAIN_POINTS_MEANINGFUL:
        return True
    return start > 0 and change / start >= PAIN_SHARE_MEANINGFUL


def checkpoint_verdict(baseline: Scores, now: Scores) -> Verdict:
    """Worse when pain rose or activities fell by a meaningful amount (safety first: that
    wins over any improvement); improved when pain fell or activities rose by one; else no
    change."""
    pain_drop = baseline.pain - now.pain
    # PSFS averages are thirds: in floats 13/3 - 7/3 is 1.9999999999999996, not 2.
    psfs_gain = (
        round(now.psfs - baseline.psfs, 9)
        if now.psfs is not None and baseline.psfs is not None
        else 0.0
    )
    if _meaningful(-pain_drop, baseline.pain) or psfs_gain <= -PSFS_MEANINGFUL:
        return Verdict.WORSE
    if _meaningful(pain_drop, baseline.pain) or psfs_gain >= PSFS_MEANINGFUL:
        return Verdict.IMPROVED
    return Verdict.NO_CHANGE


def high_pain_twice(pains: Sequence[int | None]) -> bool:
    """Were the two most recent logged pains (oldest first in `pains`) both HIGH_PAIN or more?"""
    known = [pain for pain in pains if pain is not None]
    return len(known) >= 2 and known[-1] >= HIGH_PAIN and known[-2] >= HIGH_PAIN


def streak(practice_days: Iterable[date], today: date) -> int:
    """Days in a row with practice, ending today (or yesterday, while today is still open)."""
    days = set(practice_days)
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


# What the progress page says. Self-care support, never a diagnosis: "may", and a clinician.
VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.IMPROVED: "Improved",
    Verdict.NO_CHANGE: "No meaningful change",
    Verdict.WORSE: "Worse",
}

SAFETY_MESSAGE = (
    f"You logged pain of {HIGH_PAIN} or more twice in a row. Please pause the practice and "
    "see a clinician about it. Seek care urgently, today, if you have new loss of bladder or "
    "bowel control, or numbness around your genitals, buttocks or inner thighs (the saddle "
    "area)."
)


def checkpoint_message(verdict: Verdict) -> str:
    """What a checkpoint's verdict means for the member, in plain words."""
    if verdict == Verdict.IMPROVED:
        return (
            "Your pain or your activities have changed by an amount people usually notice. "
            "The practice may be helping: keep going."
        )
    if verdict == Verdict.NO_CHANGE:
        return (
            "Your numbers have not changed by an amount people usually notice yet. "
            "A hands-on evaluation with an instructor may help find what holds you back."
        )
    return (
        "Your pain or your activities are worse than at the start, by an amount people "
        "usually notice. A hands-on evaluation may help; see a clinician if you are worried."
    )


def suggests_evaluation(verdict: Verdict) -> bool:
    """When progress stalls or goes backwards, the page points to an instructor nearby."""
    return verdict != Verdict.IMPROVED


class DayState(StrEnum):
    DONE = "done"  # practised
    MISSED = "missed"  # not practised
    BEFORE = "before"  # before the member started
    FUTURE = "future"  # later this week


def calendar_weeks(
    practice_days: Iterable[date], *, today: date, weeks: int, started_on: date | None
) -> list[list[tuple[date, DayState]]]:
    """The last `weeks` calendar weeks (Monday first, the oldest first, this week last),
    each day marked practised or not; days before `started_on` and after today are neither."""
    days = set(practice_days)
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    grid = []
    for week in range(weeks):
        row = []
        for weekday in range(7):
            day = first + timedelta(weeks=week, days=weekday)
            if day in days:
                state = DayState.DONE
            elif day > today:
                state = DayState.FUTURE
            elif started_on is None or day < started_on:
                state = DayState.BEFORE
            else:
                state = DayState.MISSED
            row.append((day, state))
        grid.append(row)
    return grid
