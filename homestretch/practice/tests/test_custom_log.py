"""Logging a custom sequence: the client logs the version assigned to them through the same
practice log (the page's form and the API), the log names the custom sequence and its
version everywhere it is shown, and nobody logs one that is not theirs to practise."""

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_bob, make_charlie
from homestretch.billing.testing import give_access
from homestretch.custom.models import CustomSequence, CustomSequenceVersion
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.models import Assignment
from homestretch.homework.testing import assign_custom, make_consent, make_teacher
from homestretch.me.privacy import export_data
from homestretch.programs.models import PracticeLog

pytestmark = pytest.mark.django_db
PLAYS = ["homestretch.homework.access.plays_as_homework"]


def _post(client: Client, payload: dict[str, object]) -> Any:
    return client.post("/api/me/logs", json.dumps(payload), content_type="application/json")


def _assigned() -> tuple[User, Assignment, CustomSequenceVersion]:
    bob = make_bob()
    alice = make_alice()
    consent = make_consent(make_teacher(bob), alice)
    clock = make_source("pelvic-clock")
    bridges = make_source("bridges", chapters=((0, "Bridge"),))
    version = make_custom(bob, [item(clock, 6, reps=10), item(bridges, 0)])
    assignment = assign_custom(consent, version)
    return alice, assignment, version


def _named(version: CustomSequenceVersion) -> dict[str, object]:
    return {"custom_sequence": version.custom_sequence_id, "version": version.number}


def test_the_client_logs_their_custom_homework_from_its_page() -> None:
    alice, assignment, version = _assigned()
    client = log_in(alice)
    with override_settings(LIBRARY_PLAY_RULES=PLAYS):
        page = client.get(f"/me/homework/{assignment.pk}/custom/").content.decode()
    # The same log prompt as the library's watch page, naming the custom sequence.
    assert "data-log-prompt" in page
    assert f'name="custom_sequence" value="{version.custom_sequence_id}"' in page
    assert 'name="version" value="1"' in page
    form = {**_named(version), "done": "true", "pain_before": "5", "pain_after": "3"}
    response = client.post("/me/logs/new/", {**form, "next": "/me/logs/"})
    assert response.status_code == 302
    log = PracticeLog.objects.get(user=alice)
    assert log.custom_version == version
    assert log.sequence is None
    assert (log.pain_before, log.pain_after) == (5, 3)
    # Again the same day: today's log changes, no second one.
    client.post("/me/logs/new/", {**form, "pain_after": "2"})
    assert PracticeLog.objects.get(user=alice).pain_after == 2
    listed = client.get("/me/logs/").content.decode()
    assert "SI joint rescue (version 1)" in listed
    assert "SI joint rescue (version 1)" in client.get("/me/").content.decode()
    exported = export_data(alice)["data"]["programs.PracticeLog"]
    assert exported[0]["title"] == "SI joint rescue (version 1)"
    assert exported[0]["custom_version_id"] == version.pk


def test_the_api_logs_a_custom_sequence_by_its_id_and_version() -> None:
    alice, _, version = _assigned()
    client = log_in(alice)
    created = _post(client, {**_named(version), "pain_before": 4, "pain_after": 2})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["custom_sequence"] == version.custom_sequence_id
    assert body["version"] == 1
    assert body["sequence"] is None
    assert body["sequence_title"] == "SI joint rescue (version 1)"
    again = _post(client, {**_named(version), "pain_after": 1})
    assert again.status_code == 200
    listed = client.get("/api/me/logs").json()["items"]
    assert [(i["custom_sequence"], i["version"]) for i in listed] == [
        (version.custom_sequence_id, 1)
    ]


def test_a_later_version_is_logged_as_itself() -> None:
    alice, _, version = _assigned()
    # The instructor edits it; the client's homework stays version 1, and only that is theirs.
    from homestretch.custom.services import custom_sequence_save

    clock = version.items.get(position=1).sequence
    assert clock is not None
    custom_sequence_save(
        owner=version.custom_sequence.owner,
        title="SI joint rescue",
        items=[item(clock, 0)],
        custom_sequence=version.custom_sequence,
    )
    client = log_in(alice)
    refused = _post(client, {"custom_sequence": version.custom_sequence_id, "version": 2})
    assert refused.status_code == 403
    assert "assigned" in refused.json()["error"]["message"]
    assert _post(client, _named(version)).status_code == 201


def test_nobody_else_logs_a_custom_sequence_that_is_not_theirs() -> None:
    _, _, version = _assigned()
    charlie = make_charlie()
    give_access(charlie)  # library access is not enough: it is someone's homework
    client = log_in(charlie)
    refused = _post(client, _named(version))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    page = client.post("/me/logs/new/", {**_named(version), "done": "true"})
    assert page.status_code == 400
    assert "assigned" in page.content.decode()
    # A made-up version is refused the same way: ids reveal nothing.
    made_up: dict[str, object] = {"custom_sequence": version.custom_sequence_id, "version": 9}
    assert _post(client, made_up).status_code == 403
    assert not PracticeLog.objects.filter(user=charlie).exists()


def test_a_log_names_one_thing_in_full() -> None:
    alice, _, version = _assigned()
    client = log_in(alice)
    both = _post(client, {**_named(version), "sequence": "pelvic-clock"})
    assert both.status_code == 422
    assert both.json()["error"]["fields"][0]["field"] == "sequence"
    half = _post(client, {"custom_sequence": version.custom_sequence_id})
    assert half.status_code == 422
    assert half.json()["error"]["fields"][0]["field"] == "version"
    assert _post(client, {}).status_code == 422
    assert not PracticeLog.objects.exists()


def test_a_published_custom_sequence_is_logged_by_whoever_may_play_it() -> None:
    _, _, version = _assigned()
    CustomSequence.objects.filter(pk=version.custom_sequence_id).update(
        status=CustomSequence.Status.PUBLISHED
    )
    charlie = make_charlie()
    client = log_in(charlie)
    assert _post(client, _named(version)).status_code == 403  # no library access
    give_access(charlie)
    assert _post(client, _named(version)).status_code == 201
    page = client.get(f"/custom/{version.custom_sequence_id}/").content.decode()
    assert "data-log-prompt" in page
