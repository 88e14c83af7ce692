from collections.abc import Callable, Iterator
from typing import Any

import pytest
import stripe
from django.http import HttpResponse
from django.test import Client

from homestretch.billing.tests.stripe_fakes import (
    WEBHOOK_SECRET,
    FakeStripe,
    post_webhook,
    start_fake_stripe,
)


@pytest.fixture
def fake_stripe(settings: Any) -> Iterator[FakeStripe]:
    """Stripe configured, its API answered by a local fake that records every request."""
    fake, server = start_fake_stripe()
    original = stripe.api_base
    stripe.api_base = f"http://127.0.0.1:{server.server_port}"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield fake
    stripe.api_base = original
    server.shutdown()
    server.server_close()


@pytest.fixture
def send_webhook(
    client: Client, fake_stripe: FakeStripe, django_capture_on_commit_callbacks: Any
) -> Callable[..., HttpResponse]:
    """Post a signed event and run what it queues after commit (the task, its emails)."""

    def send(body: dict[str, Any], *, signature: str | None = None) -> HttpResponse:
        with django_capture_on_commit_callbacks(execute=True):
            return post_webhook(client, body, signature=signature)

    return send
