"""A log kept offline and sent later is saved for the time it was made (`practised_at`), on
the member's local day of that instant; a time in the future or over a week ago is
refused with a 400 that names the field, and nothing is saved."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice
from homestretch.billing.testing import give_access
from homestretch.programs.models import PracticeLog
from homestretch.programs.testing import make_practice_sequence

pytestmark = pytest.mark.django_db


def _member() -> tuple[User, Client]:
    alice = make_alice()
    alice.timezone = "Pacific/Auckland"
    alice.save(update_fields=["timezone"])
    give_access(alice)
    make_practice_sequence()
    return alice, log_in(alice)


def _post(client: Client, practised_at: str | None, **fields: object) -> Any:
    payload: dict[str, object] = {"sequence": "si-joint-basics", "pain_before": 5, **fields}
    if practised_at is not None:
        payload["practised_at"] = practised_at
    return client.post("/api/me/logs", json.dumps(payload), content_type="application/json")


def _evening_two_days_ago() -> datetime:
    # 20:00 UTC is the next morning in Auckland: the UTC day and the member's day differ.
    return (timezone.now() - timedelta(days=3)).replace(
        hour=20, minute=0, second=0, microsecond=0, tzinfo=UTC
    ) + timedelta(days=1)


def test_a_log_sent_later_keeps_the_time_it_was_made_and_the_members_day() -> None:
    alice, client = _member()
    made = _evening_two_days_ago()
    response = _post(client, made.astimezone(alice.zone).isoformat())
    assert response.status_code == 201, response.json()
    log = PracticeLog.objects.get(user=alice)
    assert log.logged_at == made
    assert log.local_date == made.astimezone(alice.zone).date()
    assert log.local_date == made.date() + timedelta(days=1)
    body = response.json()
    assert body["local_date"] == log.local_date.isoformat()
    assert body["editable"] is False  # another day's log: changed on its day only


def test_without_practised_at_a_log_is_saved_now() -> None:
    alice, client = _member()
    before = timezone.now()
    assert _post(client, None).status_code == 201
    log = PracticeLog.objects.get(user=alice)
    assert log.logged_at >= before
    assert log.local_date == alice.local_today()


def test_a_phone_clock_a_little_ahead_is_saved_as_now() -> None:
    alice, client = _member()
    ahead = timezone.now() + timedelta(minutes=3)
    assert _post(client, ahead.isoformat()).status_code == 201
    assert PracticeLog.objects.get(user=alice).logged_at <= timezone.now()


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (lambda now: (now + timedelta(minutes=10)).isoformat(), "in the future"),
        (lambda now: (now - timedelta(days=7, minutes=5)).isoformat(), "more than 7 days ago"),
        (lambda now: (now - timedelta(hours=1)).replace(tzinfo=None).isoformat(), "UTC offset"),
    ],
    ids=["future", "over-a-week", "no-offset"],
)
def test_a_time_out_of_bounds_is_a_400_naming_the_field(when: Any, words: str) -> None:
    _, client = _member()
    response = _post(client, when(timezone.now()))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request"
    assert words in error["message"]
    assert error["fields"] == [{"field": "practised_at", "message": error["message"]}]
    assert not PracticeLog.objects.exists()


def test_a_time_that_is_not_one_is_a_422() -> None:
    _, client = _member()
    response = _post(client, "yesterday morning")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "practised_at"


# Early afternoon in Auckland: half an hour before is the same day there (it is not in the
# first half hour after Auckland's midnight, when this test would log a different day).
@freeze_time("2026-03-02 01:00", tick=True)
def test_a_log_made_offline_never_overwrites_a_change_saved_since() -> None:
    alice, client = _member()
    made = timezone.now() - timedelta(minutes=30)
    # From another device, after the phone lost its connection:
    assert _post(client, None, pain_after=2).status_code == 201
    response = _post(client, made.isoformat(), pain_after=4)
    assert response.status_code == 200
    log = PracticeLog.objects.get(user=alice)
    assert log.pain_after == 2
    assert response.json()["pain_after"] == 2


def test_the_page_form_takes_the_time_too_and_refuses_a_bad_one() -> None:
    alice, client = _member()
    made = _evening_two_days_ago()
    data = {"sequence": "si-joint-basics", "done": "true", "practised_at": made.isoformat()}
    assert client.post("/me/logs/new/", data).status_code == 302
    assert PracticeLog.objects.get(user=alice).logged_at == made
    data["practised_at"] = (timezone.now() + timedelta(hours=1)).isoformat()
    data["sequence"] = "si-joint-basics"
    PracticeLog.objects.all().delete()
    response = client.post("/me/logs/new/", data)
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    data["practised_at"] = "soon"
    response = client.post("/me/logs/new/", data)
    assert response.status_code == 400
    assert "Practised at: Not a date and time" in response.content.decode()
    assert not PracticeLog.objects.exists()
