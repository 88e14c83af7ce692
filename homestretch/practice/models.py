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
