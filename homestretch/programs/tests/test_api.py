"""The programs and practice-log API: a member's own data only, clear errors, and the
red-flag stop enforced on the server."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.billing.testing import give_access
from homestretch.library.models import Sequence
from homestretch.programs.models import Enrollment, PracticeLog, Program, RedFlag
from homestretch.programs.testing import clean_answers, make_enrollment, make_log, make_program

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, payload: dict[str, object]) -> Any:
    return client.post(path, json.dumps(payload), content_type="application/json")


def _patch(client: Client, path: str, payload: dict[str, object]) -> Any:
    return client.patch(path, json.dumps(payload), content_type="application/json")


@pytest.fixture
def program() -> Program:
    return make_program()


def _member() -> tuple[User, Client]:
    alice = make_alice()
    give_access(alice)
    return alice, log_in(alice)


def test_logging_twice_the_same_day_edits_one_log(program: Program) -> None:
    alice, client = _member()
    first = _post(
        client,
        "/api/me/logs",
        {"sequence": "si-stability-practice-1", "pain_before": 6, "pain_after": 4},
    )
    assert first.status_code == 201
    assert first["Cache-Control"] == "private, no-store"
    second = _post(
        client,
        "/api/me/logs",
        {
            "sequence": "si-stability-practice-1",
            "pain_before": 6,
            "pain_after": 3,
            "difficulty": "hard",
            "note": "tight hip",
        },
    )
    assert second.status_code == 200
    log = PracticeLog.objects.get(user=alice)
    assert (log.pain_before, log.pain_after, log.difficulty, log.note) == (
        6,
        3,
        "hard",
        "tight hip",
    )
    assert log.local_date == alice.local_today()
    assert second.json()["id"] == first.json()["id"]


def test_a_log_from_a_program_day_belongs_to_the_enrollment(program: Program) -> None:
    alice, client = _member()
    enrollment = make_enrollment(alice, program)
    response = _post(
        client,
        "/api/me/logs",
        {"sequence": "si-stability-practice-1", "program": "si-stability", "day": 1},
    )
    assert response.status_code == 201
    assert response.json()["program"] == "si-stability"
    assert PracticeLog.objects.get().enrollment == enrollment


def test_a_day_not_open_yet_cannot_be_logged(program: Program) -> None:
    alice, client = _member()
    make_enrollment(alice, program)
    response = _post(
        client,
        "/api/me/logs",
        {"sequence": "si-stability-practice-1", "program": "si-stability", "day": 5},
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "That program day is not open."
    assert not PracticeLog.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"sequence": "si-stability-practice-1", "pain_before": 11},
        {"sequence": "si-stability-practice-1", "pain_after": -1},
        {"sequence": "si-stability-practice-1", "difficulty": "brutal"},
        {"sequence": "si-stability-practice-1", "note": "x" * 1001},
        {"pain_before": 3},
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    program: Program, payload: dict[str, object]
) -> None:
    _, client = _member()
    response = _post(client, "/api/me/logs", payload)
    assert response.status_code == 422
    assert response.json()["error"]["message"]
    assert not PracticeLog.objects.exists()


def test_an_unknown_sequence_is_404_and_a_paywalled_one_403(program: Program) -> None:
    charlie = log_in(make_charlie())
    assert _post(charlie, "/api/me/logs", {"sequence": "nope"}).status_code == 404
    response = _post(charlie, "/api/me/logs", {"sequence": "si-stability-practice-1"})
    assert response.status_code == 403
    assert not PracticeLog.objects.exists()


def test_visitors_get_401() -> None:
    assert Client().get("/api/me/logs").status_code == 401
    assert _post(Client(), "/api/me/logs", {"sequence": "x"}).status_code == 401


def test_another_members_log_is_404_to_read_and_to_change(program: Program) -> None:
    alice, _ = _member()
    log = make_log(alice, Sequence.objects.get(slug="si-stability-practice-1"), alice.local_today())
    charlie = log_in(make_charlie())
    assert charlie.get(f"/api/me/logs/{log.pk}").status_code == 404
    assert _patch(charlie, f"/api/me/logs/{log.pk}", {"pain_after": 9}).status_code == 404
    assert charlie.get("/api/me/logs").json()["items"] == []
    log.refresh_from_db()
    assert log.pain_after == 4


def test_a_log_can_be_changed_that_day_only(program: Program) -> None:
    alice, client = _member()
    sequence = Sequence.objects.get(slug="si-stability-practice-1")
    today = make_log(alice, sequence, alice.local_today())
    response = _patch(client, f"/api/me/logs/{today.pk}", {"pain_after": 2})
    assert response.status_code == 200
    assert response.json()["pain_before"] == 6  # fields not sent are kept
    assert response.json()["pain_after"] == 2
    old = make_log(alice, sequence, alice.local_today() - timedelta(days=1))
    response = _patch(client, f"/api/me/logs/{old.pk}", {"pain_after": 2})
    assert response.status_code == 400
    assert (
        response.json()["error"]["message"] == "A log can be changed on the day it was made only."
    )
    old.refresh_from_db()
    assert old.pain_after == 4


def test_the_list_filters_by_date_and_marks_todays_logs_editable(program: Program) -> None:
    alice, client = _member()
    sequence = Sequence.objects.get(slug="si-stability-practice-1")
    today = alice.local_today()
    for back in range(5):
        make_log(alice, sequence, today - timedelta(days=back))
    logs = client.get(f"/api/me/logs?since={today - timedelta(days=2)}").json()["items"]
    assert [log["local_date"] for log in logs] == [str(today - timedelta(days=n)) for n in range(3)]
    assert [log["editable"] for log in logs] == [True, False, False]


def test_the_self_check_api_stops_at_a_red_flag_and_enrolling_with_it_is_refused(
    program: Program,
) -> None:
    alice, client = _member()
    answers = clean_answers()
    bladder = RedFlag.objects.get(question__contains="bladder")
    answers[bladder.pk] = True
    response = _post(client, "/api/programs/si-stability/self-checks", {"answers": answers})
    assert response.status_code == 201
    body = response.json()
    assert body["stopped"] is True
    assert body["urgent"] is True
    assert "urgent" in body["message"]
    enroll = {
        "self_check": body["id"],
        "start_date": str(alice.local_today()),
        "baseline": {"pain_now": 5, "pain_week": 5},
    }
    response = _post(client, "/api/programs/si-stability/enrollments", enroll)
    assert response.status_code == 403
    assert not Enrollment.objects.exists()


def test_a_clean_self_check_enrolls_once(program: Program) -> None:
    alice, client = _member()
    check = _post(
        client,
        "/api/programs/si-stability/self-checks",
        {"answers": clean_answers(), "pain_areas": ["one_side"]},
    ).json()
    assert check["stopped"] is False
    enroll = {
        "self_check": check["id"],
        "start_date": str(alice.local_today()),
        "baseline": {"pain_now": 5, "pain_week": 6, "psfs": [["Sitting", 3]]},
    }
    response = _post(client, "/api/programs/si-stability/enrollments", enroll)
    assert response.status_code == 201
    assert response.json()["day"] == 1
    again = _post(client, "/api/programs/si-stability/enrollments", enroll)
    assert again.status_code == 400
    assert Enrollment.objects.count() == 1


def test_a_self_check_with_a_missing_answer_is_refused(program: Program) -> None:
    _, client = _member()
    answers = clean_answers()
    answers.popitem()
    response = _post(client, "/api/programs/si-stability/self-checks", {"answers": answers})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Answer every safety question, yes or no."


def test_someone_elses_self_check_cannot_enroll_me(program: Program) -> None:
    _alice, alice_client = _member()
    check = _post(
        alice_client, "/api/programs/si-stability/self-checks", {"answers": clean_answers()}
    ).json()
    charlie = make_charlie()
    give_access(charlie)
    enroll = {
        "self_check": check["id"],
        "start_date": str(charlie.local_today()),
        "baseline": {"pain_now": 5, "pain_week": 5},
    }
    response = _post(log_in(charlie), "/api/programs/si-stability/enrollments", enroll)
    assert response.status_code == 400
    assert not Enrollment.objects.exists()


def test_enrolling_needs_library_access(program: Program) -> None:
    charlie = make_charlie()
    client = log_in(charlie)
    check = _post(
        client, "/api/programs/si-stability/self-checks", {"answers": clean_answers()}
    ).json()
    enroll = {
        "self_check": check["id"],
        "start_date": str(charlie.local_today()),
        "baseline": {"pain_now": 5, "pain_week": 5},
    }
    assert _post(client, "/api/programs/si-stability/enrollments", enroll).status_code == 403


def test_high_pain_twice_in_a_row_brings_the_safety_message_back(program: Program) -> None:
    alice, client = _member()
    sequence = Sequence.objects.get(slug="si-stability-practice-1")
    make_log(alice, sequence, alice.local_today() - timedelta(days=1), before=8, after=9)
    calm = _post(client, "/api/me/logs", {"sequence": "si-stability-practice-2", "pain_after": 3})
    assert calm.json()["safety_message"] is None
    high = _post(client, "/api/me/logs", {"sequence": "si-stability-practice-2", "pain_after": 8})
    assert "see a clinician" in high.json()["safety_message"]
    make_enrollment(alice, program)
    assert "twice in a row" in client.get("/programs/si-stability/").content.decode()


def test_my_programs_say_which_day_is_open_and_which_check_is_due(program: Program) -> None:
    alice, client = _member()
    make_enrollment(alice, program, start_date=alice.local_today() - timedelta(days=13))
    response = client.get("/api/me/programs")
    assert response["Cache-Control"] == "private, no-store"
    [mine] = response.json()["items"]
    assert (mine["program"], mine["day"], mine["days"], mine["checkpoint_due"]) == (
        "si-stability",
        14,
        28,
        14,
    )
    assert log_in(make_charlie()).get("/api/me/programs").json()["items"] == []
