"""Properties of the progress messages over many made-up histories: first the pure
functions, then the page itself over histories stored in the database.

The oracles here restate the published thresholds in exact arithmetic (fractions), apart
from the code under test, so a float slip in the code shows up as a counterexample.
"""

from collections.abc import Callable
from datetime import date, timedelta
from fractions import Fraction
from functools import wraps

import pytest
from django.db import transaction
from hypothesis import example, given, settings
from hypothesis import strategies as st

from homestretch.accounts.testing import log_in, make_alice
from homestretch.programs.progress import (
    SAFETY_MESSAGE,
    DayState,
    Scores,
    Verdict,
    calendar_weeks,
    checkpoint_message,
    checkpoint_verdict,
    high_pain_twice,
    suggests_evaluation,
)
from homestretch.programs.reports import rounded_average
from homestretch.programs.testing import make_enrollment, make_logs, make_outcome, make_program

pain = st.integers(min_value=0, max_value=10)
psfs_scores = st.lists(pain, min_size=1, max_size=3)
# (pain before, pain after) of one day's log, either may be left blank; None: no log.
day_logs = st.none() | st.tuples(st.none() | pain, st.none() | pain)


def _average(scores: list[int] | None) -> Fraction | None:
    return Fraction(sum(scores), len(scores)) if scores else None


def expected_verdict(
    baseline: tuple[int, list[int] | None], now: tuple[int, list[int] | None]
) -> Verdict:
    """Pain: a change of 2 points or 30 % of the baseline counts. PSFS: a change of 2 in
    the average counts. A meaningful worsening wins over any improvement."""
    (pain_then, psfs_then), (pain_now, psfs_now) = baseline, now
    rise = pain_now - pain_then
    then_average, now_average = _average(psfs_then), _average(psfs_now)
    psfs_change = (
        now_average - then_average
        if then_average is not None and now_average is not None
        else Fraction(0)
    )

    def notable(change: int) -> bool:
        return change >= 2 or (pain_then > 0 and Fraction(change, pain_then) >= Fraction(3, 10))

    if notable(rise) or psfs_change <= -2:
        return Verdict.WORSE
    if notable(-rise) or psfs_change >= 2:
        return Verdict.IMPROVED
    return Verdict.NO_CHANGE


def expected_high_pain_twice(pains: list[int | None]) -> bool:
    """The two most recent pains on record are both 8 or more."""
    recorded = [value for value in reversed(pains) if value is not None]
    return len(recorded) >= 2 and min(recorded[:2]) >= 8


def _scores(pain_week: int, psfs: list[int] | None) -> Scores:
    average = sum(psfs) / len(psfs) if psfs else None  # as OutcomeCheck.psfs_average does
    return Scores(pain=pain_week, psfs=average)


# The pure functions.


@given(pain, st.none() | psfs_scores, pain, st.none() | psfs_scores)
@example(5, [4, 4, 5], 5, [2, 2, 3])  # averages a third apart: a float slip hides here
def test_the_checkpoint_verdict_follows_the_published_thresholds(
    pain_then, psfs_then, pain_now, psfs_now
):
    verdict = checkpoint_verdict(_scores(pain_then, psfs_then), _scores(pain_now, psfs_now))
    assert verdict == expected_verdict((pain_then, psfs_then), (pain_now, psfs_now))


def test_an_activity_average_falling_by_exactly_2_is_worse_despite_float_thirds():
    # 13/3 - 7/3 is 1.9999999999999996 in floats.
    assert checkpoint_verdict(_scores(5, [4, 4, 5]), _scores(5, [2, 2, 3])) == Verdict.WORSE
    assert checkpoint_verdict(_scores(5, [2, 2, 3]), _scores(5, [4, 4, 5])) == Verdict.IMPROVED


def test_each_verdict_has_its_own_message_and_only_progress_goes_without_a_suggestion():
    messages = {verdict: checkpoint_message(verdict) for verdict in Verdict}
    assert len(set(messages.values())) == len(Verdict)
    assert "keep going" in messages[Verdict.IMPROVED]
    for verdict in (Verdict.NO_CHANGE, Verdict.WORSE):
        assert "hands-on evaluation" in messages[verdict]
        assert suggests_evaluation(verdict)
    assert not suggests_evaluation(Verdict.IMPROVED)


@given(st.lists(st.none() | pain, max_size=30))
def test_high_pain_counts_only_the_two_latest_recorded_pains(pains):
    assert high_pain_twice(pains) == expected_high_pain_twice(pains)


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    st.sets(st.integers(min_value=-120, max_value=10), max_size=60),
    st.none() | st.integers(min_value=-120, max_value=0),
    st.integers(min_value=1, max_value=20),
)
def test_the_calendar_is_whole_weeks_up_to_this_one_with_each_day_marked(
    today, offsets, start_offset, weeks
):
    practised = {today + timedelta(days=offset) for offset in offsets}
    started_on = today + timedelta(days=start_offset) if start_offset is not None else None
    grid = calendar_weeks(practised, today=today, weeks=weeks, started_on=started_on)

    days = [day for week in grid for day, _ in week]
    assert len(grid) == weeks
    assert all(len(week) == 7 for week in grid)
    assert days[0].weekday() == 0
    assert days == [days[0] + timedelta(days=n) for n in range(7 * weeks)]
    assert today in [day for day, _ in grid[-1]]
    for week in grid:
        for day, state in week:
            if day in practised:
                assert state == DayState.DONE
            elif day > today:
                assert state == DayState.FUTURE
            elif started_on is not None and day >= started_on:
                assert state == DayState.MISSED
            else:
                assert state == DayState.BEFORE


# The page, over histories in the database: one member, each history rolled back after use.

EXAMPLES = settings(max_examples=40, deadline=None)


def _each_history(check: Callable[..., None]) -> Callable[..., None]:
    """Run one example in a transaction rolled back afterwards (or when it fails)."""

    @wraps(check)
    def run(*args: object, **kwargs: object) -> None:
        with transaction.atomic():
            check(*args, **kwargs)
            transaction.set_rollback(True)

    return run


@pytest.mark.django_db
def test_the_page_gives_each_checkpoint_the_message_its_numbers_earn():
    alice = make_alice()
    alice.place = "Lisbon"
    alice.save()
    client = log_in(alice)
    program = make_program()
    check = st.tuples(pain, st.none() | psfs_scores)

    @EXAMPLES
    @given(baseline=check, checkpoints=st.lists(check, min_size=1, max_size=2))
    @_each_history
    def history(baseline, checkpoints):
        def psfs(scores):
            return tuple((f"Activity {n}", score) for n, score in enumerate(scores or []))

        enrollment = make_enrollment(alice, program, pain=baseline[0], psfs=psfs(baseline[1]))
        for day, (pain_week, scores) in zip((14, 28), checkpoints, strict=False):
            make_outcome(enrollment, day, pain_week, pain_week, psfs(scores))
        page = client.get("/me/progress/").content.decode()

        verdict = expected_verdict(baseline, checkpoints[-1])
        assert checkpoint_message(verdict) in page
        for other in set(Verdict) - {verdict}:
            assert checkpoint_message(other) not in page
        finder = 'href="/finder/?badge=NS&amp;near=Lisbon"'
        assert (finder in page) == (verdict != Verdict.IMPROVED)

    history()


@pytest.mark.django_db
def test_the_page_repeats_the_safety_message_after_high_pain_twice_in_a_row_and_only_then():
    alice = make_alice()
    client = log_in(alice)

    @EXAMPLES
    @given(st.lists(day_logs, max_size=20))
    @_each_history
    def history(logs):
        make_logs(alice, logs)
        pains = [
            None if log is None else (log[1] if log[1] is not None else log[0]) for log in logs
        ]
        page = client.get("/me/progress/").content.decode()
        assert (SAFETY_MESSAGE in page) == expected_high_pain_twice(pains)

    history()


@given(st.lists(pain, min_size=1, max_size=40))
@example([5, 6, 5, 5])  # 5.25: half up to 5.3, where round() would give 5.2
@example([5] * 19 + [6])  # 5.05, which a float average holds as 5.0499…
def test_a_days_average_pain_is_rounded_half_up_in_exact_arithmetic(pains: list[int]) -> None:
    tenths = Fraction(sum(pains), len(pains)) * 10
    expected = int(tenths + Fraction(1, 2)) / 10  # half up: pains are never negative
    assert rounded_average(sum(pains), len(pains)) == expected
    assert rounded_average(None, 0) is None
