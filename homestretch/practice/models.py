"""The member's practice reminders: when to be reminded, which local days were sent, and
the private calendar feed. Moved from programs when reminders came to cover homework too;
the tables were renamed with them."""

import secrets
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.urls import reverse


class Reminder(models.Model):
    """When a member wants a practice reminder: weekdays and a local time in their zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder"
    )
    # ISO weekdays, Monday = 1 … Sunday = 7.
    weekdays = models.JSONField(default=list)
    at = models.TimeField("local time")
    is_enabled = models.BooleanField("on", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Reminder for {self.user} at {self.at:%H:%M}"

    def due_at(self, day: date, tz: zoneinfo.ZoneInfo) -> datetime:
        """The instant the reminder of local `day` is due. A time that a DST change skips
        (02:30 on the spring-forward night) comes an hour later, as a wall clock shows it."""
        naive = datetime.combine(day, self.at)
        aware = naive.replace(tzinfo=tz)
        # Round-trip through UTC: a skipped wall time normalises to the time after the gap.
        return aware.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(tz)


class ReminderSent(models.Model):
    """The reminder of one local day went out; the unique row makes sending idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "local_date"], name="practice_one_reminder_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.user} for {self.local_date}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A private iCal feed of upcoming practice days. The token is the only key: revoking
    replaces it, and the old URL answers 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=40, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("calendar_feed", args=[self.token])


class PushSubscription(models.Model):
    """A browser that asked for practice reminders as notifications (the Push API's
    subscription). The endpoint is the push service's address for that browser, and with
    the keys it is a secret: whoever has them can notify the device. One browser has one
    endpoint, so it belongs to whoever subscribed it last."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    # The browser's public key (P-256, base64url) and auth secret: messages are encrypted
    # to them (RFC 8291), so the push service cannot read them.
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    client = models.CharField(max_length=200, blank=True, help_text="The browser's User-Agent.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Push to {self.client or 'a browser'} ({self.user})"

    def subscription_info(self) -> dict[str, object]:
        """What pywebpush sends to: the browser's PushSubscription, as its JSON had it."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
