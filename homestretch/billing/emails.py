"""Billing emails, each as plain text and HTML, handed to the task queue by `queue_email`."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from homestretch.accounts.models import User
from homestretch.accounts.tasks import queue_email

SUBJECTS = {
    "welcome": "Welcome to the {site} library",
    "trial_ending": "Your trial ends in 3 days",
    "payment_failed": "Your payment didn't go through",
    "subscription_ended": "Your subscription has ended",
    "code_redeemed": "Your access code is redeemed",
}


def send(*, user: User, kind: str, **context: Any) -> None:
    context |= {
        "user": user,
        "site_url": settings.SITE_URL,
        "library_url": settings.SITE_URL + reverse("library:index"),
        "manage_url": settings.SITE_URL + reverse("me:index") + "#subscription",
        "subscribe_url": settings.SITE_URL + reverse("billing:subscribe"),
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] " + SUBJECTS[kind].format(site=settings.SITE_NAME),
        body=render_to_string(f"billing/email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string(f"billing/email/{kind}.html", context), "text/html")
    queue_email(message)
