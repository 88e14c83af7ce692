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
    psfs_gain = (
        now.psfs - baseline.psfs if now.psfs is not None and baseline.psfs is not None else 0.0
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
