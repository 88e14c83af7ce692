"""The practice-log prompt another app's page can hold (the library's watch page), without
that app importing programs: `{% load practice_log %}{% log_prompt sequence %}`; a custom
sequence's page gives its version instead (`{% log_prompt version %}`)."""

from typing import Any

from django import template

from homestretch.accounts.models import User
from homestretch.custom.models import CustomSequenceVersion
from homestretch.library.models import Sequence
from homestretch.programs.forms import LogForm
from homestretch.programs.models import PracticeLog
from homestretch.programs.services import ProgramError
from homestretch.programs.state import log_enrollment

register = template.Library()


@register.inclusion_tag("programs/_log_prompt.html", takes_context=True)
def log_prompt(
    context: template.Context, practised: Sequence | CustomSequenceVersion
) -> dict[str, Any]:
    """Today's log of this sequence (or custom sequence's version) if any, and the program
    day the page was opened from (?program=<slug>&day=<n>), when the member follows that
    program and the day is open. Nothing for a visitor."""
    request = context["request"]
    user = request.user
    if not isinstance(user, User):
        return {"log_form": None}
    if isinstance(practised, CustomSequenceVersion):
        today_log = PracticeLog.objects.filter(
            user=user, custom_version=practised, local_date=user.local_today()
        ).first()
        return {
            "request": request,
            "csrf_token": context.get("csrf_token"),
            "custom_version": practised,
            "log_form": LogForm(initial=LogForm.initial_for(today_log)),
            "todays_log": today_log,
        }
    sequence = practised
    today_log = PracticeLog.objects.filter(
        user=user, sequence=sequence, local_date=user.local_today()
    ).first()
    day_text = request.GET.get("day", "")
    day = int(day_text) if day_text.isdigit() else None
    try:
        enrollment = log_enrollment(user, request.GET.get("program", ""), day)
    except ProgramError:
        enrollment = None
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "sequence": sequence,
        "log_form": LogForm(initial=LogForm.initial_for(today_log)),
        "todays_log": today_log,
        "log_program": enrollment.program if enrollment else None,
        "log_day": day if enrollment else None,
    }
