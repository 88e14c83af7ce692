"""Assigning homework through the API: the assign page's action (sequences and/or a custom
sequence, as its current version) through the same service, with the same refusals."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from homestretch.accounts.testing import log_in, make_alice, make_bob, make_user
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.models import Assignment, Consent
from homestretch.homework.testing import make_consent, make_teacher

pytestmark = pytest.mark.django_db


def _assign(client: Client, consent_id: int, body: dict[str, object]) -> Any:
    return client.post(
        f"/api/studio/clients/{consent_id}/assignments",
        json.dumps(body),
        content_type="application/json",
    )


def _setup() -> tuple[Client, Consent, int]:
    bob = make_bob()
    consent = make_consent(make_teacher(bob), make_alice())
    clock = make_source("pelvic-clock")
    version = make_custom(bob, [item(clock, 6, reps=10), item(clock, 0)])
    return log_in(bob), consent, version.custom_sequence_id


def _when(consent: Consent) -> dict[str, object]:
    today = consent.client.local_today()
    return {
        "weekdays": [1, 4],
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=13)).isoformat(),
    }


def test_an_instructor_assigns_their_custom_sequence_as_its_current_version() -> None:
    client, consent, custom_id = _setup()
    body = {"custom_sequence": custom_id, "sequences": ["pelvic-clock"], **_when(consent)}
    response = _assign(client, consent.pk, {**body, "note": "Slowly."})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["custom_sequence"] == {"id": custom_id, "version": 1, "title": "SI joint rescue"}
    assert [s["slug"] for s in data["sequences"]] == ["pelvic-clock"]
    assignment = Assignment.objects.get(pk=data["id"])
    assert assignment.custom_version is not None
    assert (assignment.custom_version.number, assignment.note) == (1, "Slowly.")
    # The client's own homework in the API names it too.
    mine = log_in(consent.client).get("/api/me/homework").json()["items"]
    assert mine[0]["custom_sequence"]["id"] == custom_id


def test_another_instructors_draft_is_404_until_it_is_published_in_the_library() -> None:
    client, consent, _ = _setup()
    dana = make_user("dana@example.com", display_name="Dana")
    make_teacher(dana)
    theirs = make_custom(dana, [item(make_source("bridges"), 0)], title="Dana's own")
    response = _assign(
        client, consent.pk, {"custom_sequence": theirs.custom_sequence_id, **_when(consent)}
    )
    assert response.status_code == 404
    assert "custom sequence" in response.json()["error"]["message"]
    assert not Assignment.objects.exists()
    # Once staff publish it in the library, any instructor may assign it, as on the page.
    CustomSequence.objects.filter(pk=theirs.custom_sequence_id).update(
        status=CustomSequence.Status.PUBLISHED
    )
    body = {"custom_sequence": theirs.custom_sequence_id, **_when(consent)}
    assert _assign(client, consent.pk, body).status_code == 201


def test_refusals_are_json_errors_in_the_api_shape() -> None:
    client, consent, custom_id = _setup()
    when = _when(consent)
    # Not this instructor's client (another's consent, or none): 404.
    other = make_consent(
        make_teacher(make_user("erin@example.com", display_name="Erin")),
        make_user("fay@example.com"),
    )
    assert _assign(client, other.pk, {"custom_sequence": custom_id, **when}).status_code == 404
    # A member who is no instructor: 403.
    member = _assign(log_in(consent.client), consent.pk, {"custom_sequence": custom_id, **when})
    assert member.status_code == 403
    assert member.json()["error"]["message"] == "For instructors."
    # The service's own rules, as 400 with its message.
    for body, reason in (
        ({**when}, "Choose at least one sequence."),
        ({"sequences": ["no-such"], **when}, "Choose sequences from the published library."),
        ({"custom_sequence": custom_id, **when, "weekdays": []}, "Choose days of the week"),
        ({"custom_sequence": custom_id, **when, "weekdays": [8]}, "Monday (1) to Sunday (7)"),
    ):
        response = _assign(client, consent.pk, body)
        assert response.status_code == 400, body
        assert reason in response.json()["error"]["message"]
    assert not Assignment.objects.exists()
    # Anonymous: signed in first.
    assert _assign(Client(), consent.pk, {"custom_sequence": custom_id, **when}).status_code == 401
