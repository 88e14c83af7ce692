"""A log sent again with the same Idempotency-Key (a phone back online, a retry) is saved
once and changes nothing; keys are per member."""

import json
from typing import Any

import pytest
from django.test import Client

from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.billing.testing import give_access
from homestretch.practice.services import practice_log
from homestretch.programs.models import PracticeLog
from homestretch.programs.services import LogEntry
from homestretch.programs.testing import make_practice_sequence

pytestmark = pytest.mark.django_db


def _post(client: Client, pain_after: int, key: str) -> Any:
    return client.post(
        "/api/me/logs",
        json.dumps({"sequence": "si-joint-basics", "pain_before": 6, "pain_after": pain_after}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_the_same_key_again_returns_the_first_log_unchanged() -> None:
    alice = make_alice()
    give_access(alice)
    make_practice_sequence()
    client = log_in(alice)
    first = _post(client, 4, "k-1")
    assert first.status_code == 201
    again = _post(client, 2, "k-1")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    log = PracticeLog.objects.get()
    assert (log.pain_after, log.idempotency_key) == (4, "k-1")
    # A new key is a new send: it edits today's log of that sequence, as always.
    assert _post(client, 3, "k-2").status_code == 200
    assert PracticeLog.objects.get().pain_after == 3


def test_keys_are_per_member_and_a_long_one_is_refused() -> None:
    alice, charlie = make_alice(), make_charlie()
    give_access(alice)
    give_access(charlie)
    sequence = make_practice_sequence()
    entry = LogEntry(done=True, pain_before=5, pain_after=4, difficulty="", note="")
    practice_log(user=alice, sequence=sequence, entry=entry, idempotency_key="same")
    _, created = practice_log(user=charlie, sequence=sequence, entry=entry, idempotency_key="same")
    assert created
    assert PracticeLog.objects.count() == 2
    response = _post(log_in(alice), 4, "x" * 65)
    assert response.status_code == 400
    assert PracticeLog.objects.filter(user=alice).count() == 1
