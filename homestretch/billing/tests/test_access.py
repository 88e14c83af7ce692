"""The access matrix, and playback stopping within a minute of access ending.

States are reached through `subscription_sync` with Stripe-shaped objects, as webhooks
reach them; each is checked on the watch page, the playlist and a segment."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

# The API's schemas are built when the URLs load; build them before any clock is frozen.
import homestretch.urls  # noqa: F401
from homestretch.accounts.models import User
from homestretch.accounts.testing import make_alice
from homestretch.billing import services
from homestretch.billing.access import has_library_access
from homestretch.billing.models import AccessGrant
from homestretch.billing.tests.stripe_fakes import (
    FakeStripe,
    charge_object,
    event,
    subscription_object,
)
from homestretch.library import playback
from homestretch.library.delivery import SEGMENT_TTL_SECONDS, delivery
from homestretch.library.models import Sequence
from homestretch.library.testing import make_encoded

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
DAY = 86400


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def _sync(user: User, status: str, *, at: datetime, **fields: object) -> None:
    fields.setdefault("period_end", _ts(at) + 30 * DAY)
    services.subscription_sync(
        data=subscription_object(user_id=user.pk, status=status, **fields),  # type: ignore[arg-type]
        event_created=_ts(at),
    )


def _trialing(user: User) -> None:
    _sync(user, "trialing", at=NOW, trial_end=_ts(NOW) + 7 * DAY)


def _active(user: User) -> None:
    _sync(user, "active", at=NOW)


def _past_due_in_grace(user: User) -> None:
    _sync(user, "active", at=NOW - timedelta(days=32))
    _sync(user, "past_due", at=NOW - timedelta(days=2))


def _past_due_after_grace(user: User) -> None:
    _sync(user, "active", at=NOW - timedelta(days=34))
    _sync(user, "past_due", at=NOW - timedelta(days=4))


def _canceled(user: User) -> None:
    _sync(user, "active", at=NOW - timedelta(days=10))
    _sync(user, "canceled", at=NOW - timedelta(hours=1), ended_at=_ts(NOW) - 3600)


def _unpaid(user: User) -> None:
    _sync(user, "unpaid", at=NOW - timedelta(hours=1))


def _grant_expired(user: User) -> None:
    AccessGrant.objects.create(
        user=user,
        starts_at=NOW - timedelta(days=30),
        ends_at=NOW - timedelta(minutes=1),
        reason="t",
    )


def _grant_current(user: User) -> None:
    AccessGrant.objects.create(user=user, ends_at=NOW + timedelta(days=1), reason="t")


MATRIX: list[tuple[str, Callable[[User], None] | None, bool]] = [
    ("visitor", None, False),
    ("trialing", _trialing, True),
    ("active", _active, True),
    ("past_due inside grace", _past_due_in_grace, True),
    ("past_due after grace", _past_due_after_grace, False),
    ("canceled", _canceled, False),
    ("unpaid", _unpaid, False),
    ("grant expired", _grant_expired, False),
    ("grant current", _grant_current, True),
]


def _files(sequence: Sequence, viewer: int) -> tuple[str, str]:
    """A playlist and a segment URL signed for this viewer, as the player would hold."""
    assert sequence.encoding is not None
    segment = delivery().url(
        viewer=viewer,
        sequence_id=sequence.pk,
        slug=sequence.slug,
        path=f"{sequence.encoding.folder}/360p/seg_00001.m4s",
        ttl=SEGMENT_TTL_SECONDS,
    )
    return playback.master_url(viewer=viewer, sequence=sequence), segment


@freeze_time(NOW)
@pytest.mark.parametrize(("state", "arrange", "allowed"), MATRIX, ids=[m[0] for m in MATRIX])
def test_the_access_matrix(
    client: Client, state: str, arrange: Callable[[User], None] | None, allowed: bool
) -> None:
    sequence = make_encoded()
    viewer = 0
    if arrange is not None:
        alice = make_alice()
        arrange(alice)
        client.force_login(alice)
        viewer = alice.pk
    page = client.get(f"/library/{sequence.slug}/").content.decode()
    assert ("data-master=" in page) is allowed
    assert ("This sequence is part of the full library" in page) is not allowed
    playlist, segment = _files(sequence, viewer)
    expected = 200 if allowed else 403
    assert client.get(playlist).status_code == expected
    assert client.get(segment).status_code == expected


def _cancel_at_period_end(user: User, ends: datetime) -> None:
    _sync(user, "active", at=NOW, period_end=_ts(ends), cancel_at_period_end=True)


def _grant_ending(user: User, ends: datetime) -> None:
    AccessGrant.objects.create(user=user, ends_at=ends, reason="t")


def _grace_ending(user: User, ends: datetime) -> None:
    _sync(user, "past_due", at=ends - timedelta(days=3))


ENDINGS = {
    "cancel at period end reached": _cancel_at_period_end,
    "grant expired": _grant_ending,
    "grace period over": _grace_ending,
}


@pytest.mark.parametrize("how", list(ENDINGS))
def test_playback_stops_within_a_minute_of_access_ending(client: Client, how: str) -> None:
    """1. While access lasts, the member holds a playlist and a segment URL that work.
    2. Access ends 30 seconds later; 60 seconds after that, the watch page shows the
       paywall, the held playlist and segment URLs are refused, and so is a new token."""
    alice = make_alice()
    client.force_login(alice)
    ends = NOW + timedelta(seconds=30)
    with freeze_time(NOW) as frozen:
        sequence = make_encoded()
        ENDINGS[how](alice, ends)
        page = client.get(f"/library/{sequence.slug}/").content.decode()
        assert "data-master=" in page
        playlist, segment = _files(sequence, alice.pk)
        assert client.get(playlist).status_code == 200
        assert client.get(segment).status_code == 200

        frozen.tick(timedelta(seconds=29))
        assert client.get(segment).status_code == 200

        frozen.tick(timedelta(seconds=31))  # 60 seconds after the start
        assert not has_library_access(alice)
        page = client.get(f"/library/{sequence.slug}/").content.decode()
        assert "data-master=" not in page
        assert client.get(playlist).status_code == 403
        assert client.get(segment).status_code == 403
        fresh_playlist, fresh_segment = _files(sequence, alice.pk)
        assert client.get(fresh_playlist).status_code == 403
        assert client.get(fresh_segment).status_code == 403


def test_a_webhook_ending_a_subscription_stops_playback_at_the_next_request(
    client: Client,
) -> None:
    sequence = make_encoded()
    alice = make_alice()
    client.force_login(alice)
    _sync(alice, "active", at=timezone.now() - timedelta(minutes=5))
    playlist, segment = _files(sequence, alice.pk)
    assert client.get(segment).status_code == 200
    _sync(alice, "canceled", at=timezone.now(), ended_at=_ts(timezone.now()))
    assert client.get(playlist).status_code == 403
    assert client.get(segment).status_code == 403


def test_a_full_refund_stops_playback_at_the_next_request(
    client: Client, send_webhook: Callable[..., object], fake_stripe: FakeStripe
) -> None:
    sequence = make_encoded()
    alice = make_alice()
    client.force_login(alice)
    _sync(alice, "active", at=timezone.now() - timedelta(minutes=5))
    fake_stripe.add_invoice("in_1", subscription="sub_1", payment_intent="pi_1")
    playlist, segment = _files(sequence, alice.pk)
    assert client.get(segment).status_code == 200
    send_webhook(event("evt_refund", "charge.refunded", charge_object(payment_intent="pi_1")))
    assert client.get(playlist).status_code == 403
    assert client.get(segment).status_code == 403


def test_access_is_one_query(django_assert_num_queries) -> None:
    alice = make_alice()
    _active(alice)
    with django_assert_num_queries(1):
        assert has_library_access(alice) is False  # NOW's period has long ended
