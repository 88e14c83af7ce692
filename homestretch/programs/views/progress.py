"""The member's progress page and its CSV files: their own numbers only, never cached."""

import csv
from collections.abc import Iterable
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from homestretch.accounts.models import User
from homestretch.lib.dates import MONTHS_SHORT, WEEKDAYS_SHORT
from homestretch.lib.http import private_page
from homestretch.programs import progress
from homestretch.programs.reports import (
    CalendarDay,
    PracticeDay,
    Report,
    Week,
    all_outcome_checks,
    one_decimal,
    practice_days,
    progress_report,
)

CSV_KINDS = ("pain", "adherence", "outcomes")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required has run
    return request.user


def _pain_table(practice: list[PracticeDay]) -> SafeString:
    """The trend table's rows, newest first. Built here, not in the template: a year of
    rows through the template's filters was most of the page's time. Every value is a
    date or a number formatted here, so there is nothing to escape."""
    rows = (
        f'<tr><th scope="row"><time datetime="{row.day.isoformat()}">'
        f"{WEEKDAYS_SHORT[row.day.weekday()]} {row.day.day} {MONTHS_SHORT[row.day.month - 1]} "
        f"{row.day.year}</time></th><td>{row.sessions}</td>"
        f"<td>{_number(row.pain_before) or '&ndash;'}</td>"
        f"<td>{_number(row.pain_after) or '&ndash;'}</td></tr>"
        for row in reversed(practice)
    )
    return mark_safe("\n".join(rows))  # noqa: S308 - dates and numbers only, see above


def _calendar_cell(cell: CalendarDay) -> str:
    current = ' aria-current="date"' if cell.is_today else ""
    mark = '<span aria-hidden="true">✓</span>' if cell.state == progress.DayState.DONE else ""
    words = f'<span class="visually-hidden">{cell.words}</span>' if cell.words else ""
    return (
        f'<td class="day day-{cell.state}"{current}>'
        f'<span class="day-number">{cell.day.day}</span>{mark}{words}</td>'
    )


def _calendar_rows(weeks: list[Week]) -> SafeString:
    """The practice calendar's rows, built here like the pain table's: 84 cells through
    the template cost more than the rest of the page's markup. Dates, numbers and the
    fixed words of CalendarDay only, so there is nothing to escape."""
    rows = (
        f'<tr><th scope="row"><time datetime="{week.start.isoformat()}">{week.start.day} '
        f"{MONTHS_SHORT[week.start.month - 1]}</time></th>"
        f"{''.join(_calendar_cell(cell) for cell in week.days)}<td>{week.practised}</td></tr>"
        for week in weeks
    )
    return mark_safe("\n".join(rows))  # noqa: S308 - dates, numbers and fixed words only


def _span(practice: list[PracticeDay]) -> int:
    return (practice[-1].day - practice[0].day).days + 1


def _charts(report: Report) -> dict[str, dict[str, list]]:
    """What progress.js draws; the page's tables show the same numbers in words."""
    checked = report.checked_outcomes
    # Every day from the first practice to the last, so the x axis keeps time: a day
    # without practice is a gap (null) the line steps over.
    by_day = {row.day: row for row in report.practice}
    days = (
        [report.practice[0].day + timedelta(days=n) for n in range(_span(report.practice))]
        if report.practice
        else []
    )
    return {
        "pain": {
            "labels": [day.isoformat() for day in days],
            "before": [by_day[day].pain_before if day in by_day else None for day in days],
            "after": [by_day[day].pain_after if day in by_day else None for day in days],
        },
        "adherence": {
            "labels": [week.start.isoformat() for week in report.weeks],
            "days": [week.practised for week in report.weeks],
        },
        "outcomes": {
            "labels": [outcome.label for outcome in checked],
            "pain_now": [outcome.check.pain_now for outcome in checked if outcome.check],
            "pain_week": [outcome.check.pain_week for outcome in checked if outcome.check],
            "psfs": [outcome.psfs_average for outcome in checked],
        },
    }


@private_page
@login_required
@require_GET
def progress_page(request: HttpRequest) -> HttpResponse:
    report = progress_report(_user(request))
    return render(
        request,
        "programs/progress.html",
        {
            "report": report,
            "charts": _charts(report),
            "pain_table": _pain_table(report.practice),
            "calendar_rows": _calendar_rows(report.weeks),
            "pain_points": progress.PAIN_POINTS_MEANINGFUL,
            "pain_percent": round(progress.PAIN_SHARE_MEANINGFUL * 100),
            "psfs_points": f"{progress.PSFS_MEANINGFUL:g}",
            "safety_message": progress.SAFETY_MESSAGE,
        },
    )


def _cell(value: object) -> object:
    """A spreadsheet runs a cell that starts with = + - @ as a formula; the member's own
    words (activity names) are written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _pain_rows(practice: list[PracticeDay]) -> Iterable[list[object]]:
    yield ["date", "sessions", "average_pain_before", "average_pain_after"]
    for row in practice:
        yield [row.day, row.sessions, _number(row.pain_before), _number(row.pain_after)]


def _adherence_rows(practice: list[PracticeDay], today: date) -> Iterable[list[object]]:
    """Every day from the first practice to today, practised or not."""
    yield ["date", "practised", "sessions"]
    sessions = {row.day: row.sessions for row in practice}
    day = practice[0].day if practice else today + timedelta(days=1)
    while day <= today:
        count = sessions.get(day, 0)
        yield [day, "yes" if count else "no", count]
        day += timedelta(days=1)


def _outcome_rows(user: User) -> Iterable[list[object]]:
    yield [
        "program",
        "day",
        "pain_now",
        "average_pain_last_week",
        "psfs_average",
        *(f"{name}_{n}" for n in (1, 2, 3) for name in ("activity", "score")),
    ]
    for check in all_outcome_checks(user):
        activities = [value for item in check.psfs for value in (item["activity"], item["score"])]
        yield [
            check.enrollment.program.title,
            check.day,
            check.pain_now,
            check.pain_week,
            _number(one_decimal(check.psfs_average)),
            *activities,
        ]


@private_page
@login_required
@require_GET
def progress_csv(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in CSV_KINDS:
        raise Http404
    user = _user(request)
    if kind == "pain":
        rows = _pain_rows(practice_days(user))
    elif kind == "adherence":
        rows = _adherence_rows(practice_days(user), user.local_today())
    else:
        rows = _outcome_rows(user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="homestretch-{kind}.csv"'
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response
