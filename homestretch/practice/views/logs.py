"""The practice log under /me/logs/: the list, logging any sequence, and today's edits.

Pages with JavaScript log through the API (/api/me/logs); these views are the same
actions for a browser without it, through the same services.
"""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from homestretch.accounts.models import User
from homestretch.custom.models import CustomSequenceVersion
from homestretch.lib.http import private_page
from homestretch.library.models import Sequence
from homestretch.practice.services import NOT_YOURS, NoAccess, practice_log
from homestretch.programs import services
from homestretch.programs.forms import LogForm
from homestretch.programs.models import PracticeLog
from homestretch.programs.progress import SAFETY_MESSAGE
from homestretch.programs.reports import needs_safety_reminder


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required has run
    return request.user


class SentLogForm(LogForm):
    """A new log sent from a page: now, or kept offline by practice-log.js and sent later."""

    # Empty unless practice-log.js kept the log offline: then the time it was made, ISO
    # 8601 with its offset (a naive time is refused by the service, not guessed at).
    practised_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_practised_at(self) -> datetime | None:
        text = self.cleaned_data["practised_at"].strip()
        if not text:
            return None
        try:
            value = parse_datetime(text)
        except ValueError:
            value = None
        if value is None:
            raise forms.ValidationError("Not a date and time (ISO 8601).")
        return value


class AnySequenceLogForm(SentLogForm):
    sequence = forms.ModelChoiceField(
        label="Sequence",
        queryset=Sequence.objects.published().order_by("title"),
        to_field_name="slug",
        empty_label="Choose a sequence",
    )
    field_order = ["sequence"]


class CustomLogForm(SentLogForm):
    """A log of a custom sequence, named as the API names it: its id and version number."""

    custom_sequence = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def custom_version(self) -> CustomSequenceVersion | None:
        return CustomSequenceVersion.objects.named(
            self.cleaned_data["custom_sequence"], self.cleaned_data["version"]
        )


@login_required
@require_http_methods(["GET"])
@private_page
def logs(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(
        PracticeLog.objects.filter(user=user).select_related(
            "sequence", "custom_version__custom_sequence", "enrollment__program"
        ),
        50,
    ).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": user.local_today(),
        "form": AnySequenceLogForm(),
    }
    return render(request, "practice/logs.html", context)


@login_required
@require_POST
@private_page
def log(request: HttpRequest) -> HttpResponse:
    """Save a log from any of the log forms (watch page, program day, /me/logs/)."""
    user = _user(request)
    form: SentLogForm
    if "custom_sequence" in request.POST:
        form = CustomLogForm(request.POST)
    else:
        form = AnySequenceLogForm(request.POST)
    error = ""
    if form.is_valid():
        day = request.POST.get("day", "")
        try:
            if isinstance(form, CustomLogForm):
                version = form.custom_version()
                if version is None:  # as for one not theirs: ids reveal nothing
                    raise NoAccess(NOT_YOURS)
                saved, _ = practice_log(
                    user=user,
                    custom_version=version,
                    entry=form.entry(),
                    practised_at=form.cleaned_data["practised_at"],
                )
            else:
                saved, _ = practice_log(
                    user=user,
                    sequence=form.cleaned_data["sequence"],
                    entry=form.entry(),
                    program=request.POST.get("program", ""),
                    day=int(day) if day.isdigit() else None,
                    practised_at=form.cleaned_data["practised_at"],
                )
        except services.ProgramError as e:
            error = e.message
        else:
            messages.success(request, f"Logged: {saved.title}.")
            if needs_safety_reminder(user):
                messages.warning(request, SAFETY_MESSAGE)
            target = request.POST.get("next", "")
            if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
                return redirect(target)
            return redirect("practice:logs")
    context = {"form": form, "error": error}
    return render(request, "practice/log_error.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@private_page
def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    log = get_object_or_404(
        PracticeLog.objects.select_related("sequence", "custom_version", "user"),
        pk=pk,
        user=_user(request),
    )
    form = LogForm(request.POST or None, initial=LogForm.initial_for(log))
    if request.method == "POST" and form.is_valid():
        try:
            services.log_edit(log=log, entry=form.entry())
        except services.ProgramError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "Your log is updated.")
            return redirect("practice:logs")
    status = 400 if form.errors else 200
    return render(request, "practice/log_edit.html", {"form": form, "log": log}, status=status)
