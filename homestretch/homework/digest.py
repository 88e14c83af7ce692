"""The daily email of alerts an instructor may opt in to (`manage.py send_homework_digests`)."""

from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from homestretch.accounts.tasks import queue_email
from homestretch.homework.adherence import ALERT_TEXT
from homestretch.homework.dashboard import client_rows
from homestretch.homework.models import AlertDigest


def digests_send(now: datetime | None = None) -> int:
    """Send each opted-in instructor today's alerts, at most once per their local day.

    1. For each enabled digest, the instructor's local day; skip it if already sent.
    2. Gather the alerts from the dashboard rows (only what clients share).
    3. Claim the day with one conditional UPDATE (`last_sent_on`): of two runs at once only
       one wins, and a second run the same day sends nothing.
    4. Queue the email after the claim commits. No alerts: the day is claimed, no email.
    Returns how many emails were queued.
    """
    now = now or timezone.now()
    sent = 0
    digests = AlertDigest.objects.filter(is_enabled=True).select_related("instructor__user")
    for digest in digests.iterator():
        user = digest.instructor.user
        day = user.local_today(now)
        if digest.last_sent_on == day:
            continue
        alerted = [
            (row.client.name, [ALERT_TEXT[alert] for alert in row.alerts])
            for row in client_rows(digest.instructor, now=now)
            if row.alerts
        ]
        with transaction.atomic():
            claimed = (
                AlertDigest.objects.filter(pk=digest.pk)
                .exclude(last_sent_on=day)
                .update(last_sent_on=day)
            )
            if not claimed or not alerted:
                continue
            context = {
                "instructor": digest.instructor,
                "alerted": alerted,
                "day": day,
                "url": settings.SITE_URL.rstrip("/") + reverse("studio:clients"),
            }
            message = EmailMessage(
                subject=f"[{settings.SITE_NAME}] {len(alerted)} client(s) may need you",
                body=render_to_string("homework/email/digest.txt", context),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
            transaction.on_commit(partial(queue_email, message), robust=True)
            sent += 1
    return sent
