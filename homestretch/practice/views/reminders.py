"""The member's reminder settings, notification devices and calendar feed (/me/reminders/),
and the feed itself (/programs/calendar/<token>.ics), which the token alone opens:
calendars cannot log in. A browser opts in to notifications through the API
(`POST /api/me/push-subscriptions`, static/js/push.js); removing one is a form here."""

from collections.abc import Callable
from datetime import time
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.accounts.models import User
from homestretch.practice.models import (
    CalendarFeed,
    PushSubscription,
    Reminder,
    ReminderSent,
    new_feed_token,
)
from homestretch.practice.push import push_offered
from homestretch.practice.reminders import feed_calendar, next_reminder
from homestretch.practice.services import push_subscription_delete
from homestretch.programs.models import Enrollment

WEEKDAYS = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
]
DEFAULT_TIME = time(8, 0)


class ReminderForm(forms.ModelForm[Reminder]):
    is_enabled = forms.BooleanField(label="Send me practice reminders", required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label="On these days",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    at = forms.TimeField(
        label="At",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Your local time, hours and minutes.",
        error_messages={"invalid": "Enter a time like 07:30."},
    )

    class Meta:
        model = Reminder
        fields = ["is_enabled", "weekdays", "at"]

    def clean_weekdays(self) -> list[int]:
        return sorted(set(self.cleaned_data["weekdays"]))

    def clean_at(self) -> time:
        # Reminders go out on the minute; seconds would only delay one by a run.
        return self.cleaned_data["at"].replace(second=0, microsecond=0)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("is_enabled") and not data.get("weekdays"):
            self.add_error("weekdays", "Choose at least one day, or turn reminders off.")
        return data


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required has run
    return request.user


def _private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Health-adjacent pages and the feed: never kept by a proxy or the browser's cache."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _feed_url(feed: CalendarFeed) -> str:
    return settings.SITE_URL + feed.get_absolute_url()


@login_required
@_private
@require_http_methods(["GET", "POST"])
def reminders(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reminder = Reminder.objects.filter(user=user).first()
    initial = (
        {}
        if reminder
        else {"is_enabled": True, "weekdays": [1, 2, 3, 4, 5, 6, 7], "at": DEFAULT_TIME}
    )
    form = ReminderForm(request.POST or None, instance=reminder, initial=initial)
    if request.method == "POST" and form.is_valid():
        # update_or_create, not form.save(): two first saves at once make one row.
        Reminder.objects.update_or_create(user=user, defaults=form.cleaned_data)
        messages.success(request, "Your reminders are saved.")
        return redirect("practice:reminders")

    zone = user.zone
    now = timezone.now()
    sent = set(
        ReminderSent.objects.filter(user=user, local_date__gte=user.local_today(now)).values_list(
            "local_date", flat=True
        )
    )
    feed = CalendarFeed.objects.filter(user=user).first()
    context = {
        "form": form,
        "reminder": reminder,
        "zone": zone,
        "next_at": next_reminder(reminder, zone, now, sent=sent) if reminder else None,
        "has_program": Enrollment.objects.filter(
            user=user, status=Enrollment.Status.ACTIVE
        ).exists(),
        "feed": feed,
        "feed_url": _feed_url(feed) if feed else "",
        # webcal:// makes a phone or desktop offer to subscribe rather than download once.
        "webcal_url": "webcal://" + _feed_url(feed).split("://", 1)[1] if feed else "",
        "push_offered": push_offered(),
        "vapid_public_key": settings.WEBPUSH_VAPID_PUBLIC_KEY,
        "push_subscriptions": PushSubscription.objects.filter(user=user),
    }
    return render(request, "practice/reminders.html", context, status=400 if form.errors else 200)


@login_required
@_private
@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    _, created = CalendarFeed.objects.get_or_create(user=_user(request))
    if created:
        messages.success(request, "Your calendar feed is ready. Add its address to your calendar.")
    return redirect("practice:reminders")


@login_required
@_private
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    """A new address for the feed; the old one stops working at once."""
    if CalendarFeed.objects.filter(user=_user(request)).update(token=new_feed_token()):
        messages.success(
            request,
            "Your calendar feed has a new address; the old one no longer works. "
            "Add the new one to your calendar.",
        )
    return redirect("practice:reminders")


@login_required
@_private
@require_POST
def calendar_feed_delete(request: HttpRequest) -> HttpResponse:
    if CalendarFeed.objects.filter(user=_user(request)).delete()[0]:
        messages.success(request, "Your calendar feed is turned off; its address no longer works.")
    return redirect("practice:reminders")


@login_required
@_private
@require_POST
def push_subscription_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """No more notifications in that browser; another member's is a 404."""
    if not push_subscription_delete(user=_user(request), pk=pk):
        raise Http404("No such device.")
    messages.success(request, "That device gets no more notifications.")
    return redirect(reverse("practice:reminders") + "#push")


@_private
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the 32-character random token is the key. An unknown or revoked token is
    one indexed lookup and a 404."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No calendar feed has this address.")
    response = HttpResponse(
        feed_calendar(feed).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="homestretch.ics"'
    # The address is a secret: keep it out of search engines if it ever leaks.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
