"""The safety self-check page: red flags stop the program, on the server, whatever is sent."""

from typing import Any

import pytest
from django.test import Client

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.billing.testing import give_access
from homestretch.programs.models import Enrollment, OutcomeCheck, SelfCheck
from homestretch.programs.safety import active_red_flags
from homestretch.programs.testing import make_enrollment, make_program

pytestmark = pytest.mark.django_db


def _answers(yes: set[str] = frozenset()) -> dict[str, str]:  # type: ignore[assignment]
    """Form data answering every active red flag; questions containing a `yes` word get yes."""
    return {
        f"flag_{flag.pk}": "yes" if any(word in flag.question for word in yes) else "no"
        for flag in active_red_flags()
    }


BASELINE = {
    "pain_now": "6",
    "pain_week": "5",
    "activity_1": "Climbing stairs",
    "score_1": "4",
    "pain_areas": ["one_side"],
}


def _member() -> tuple[Client, User]:
    alice = make_alice()
    give_access(alice)
    return log_in(alice), alice


def _start(client: Client, user: User, data: dict[str, object], path: str = "start") -> Any:
    payload = {"start_date": user.local_today().isoformat(), **data}
    return client.post(f"/programs/si-stability/{path}/", payload)


def test_the_page_asks_every_red_flag_with_no_answer_preselected() -> None:
    make_program()
    client, _ = _member()
    response = client.get("/programs/si-stability/start/")
    assert response.status_code == 200
    html = response.content.decode()
    for flag in active_red_flags():
        assert flag.question in html
    assert "checked" not in html.split("1. Safety questions")[1].split("2. Where")[0]
    assert response["Cache-Control"] == "private, no-store"


def test_all_no_and_a_baseline_enroll_the_member() -> None:
    program = make_program()
    client, alice = _member()
    response = _start(client, alice, {**_answers(), **BASELINE})
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(user=alice)
    assert enrollment.program == program
    assert enrollment.status == "active"
    baseline = OutcomeCheck.objects.get(enrollment=enrollment, day=0)
    assert (baseline.pain_now, baseline.pain_week) == (6, 5)
    assert baseline.psfs == [{"activity": "Climbing stairs", "score": 4}]
    page = client.get(response["Location"]).content.decode()
    assert "may be consistent with the sacroiliac joint" in page
    assert "Day 1 of 28" in page


@pytest.mark.parametrize(
    ("word", "urgent"),
    [("bladder", True), ("saddle", True), ("fever", False), ("cancer", False)],
)
def test_any_red_flag_stops_with_no_enrollment(word: str, urgent: bool) -> None:
    make_program()
    client, alice = _member()
    response = _start(client, alice, {**_answers({word}), **BASELINE})
    assert response.status_code == 200
    html = response.content.decode()
    assert "clinician" in html
    assert ("urgent" in html.lower()) is urgent
    assert not Enrollment.objects.filter(user=alice).exists()
    check = SelfCheck.objects.get(user=alice)
    assert check.has_red_flag
    assert check.is_urgent is urgent
    assert any(word in question for question in check.red_flags_answered_yes)


def test_a_red_flag_stops_even_when_the_rest_of_the_form_is_empty() -> None:
    make_program()
    client, _alice = _member()
    response = client.post("/programs/si-stability/start/", _answers({"fever"}))
    assert response.status_code == 200
    assert "Please see a clinician before you start" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_an_unanswered_red_flag_is_a_form_error_and_nothing_is_stored() -> None:
    make_program()
    client, alice = _member()
    answers = _answers()
    answers.pop(next(iter(answers)))
    response = _start(client, alice, {**answers, **BASELINE})
    assert response.status_code == 400
    assert "Please answer yes or no." in response.content.decode()
    assert not SelfCheck.objects.exists()
    assert not Enrollment.objects.exists()


def test_a_baseline_out_of_range_is_a_form_error() -> None:
    make_program()
    client, alice = _member()
    response = _start(client, alice, {**_answers(), **BASELINE, "pain_now": "11"})
    assert response.status_code == 400
    assert "less than or equal to 10" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_a_rated_activity_needs_a_name() -> None:
    make_program()
    client, alice = _member()
    response = _start(client, alice, {**_answers(), **BASELINE, "activity_1": "", "score_1": "3"})
    assert response.status_code == 400
    assert "Name the activity you rated." in response.content.decode()


def test_visitors_are_sent_to_log_in_and_non_members_to_the_paywall() -> None:
    make_program()
    assert Client().get("/programs/si-stability/start/").status_code == 302
    charlie = log_in(make_charlie())
    response = charlie.post("/programs/si-stability/start/", {**_answers(), **BASELINE})
    assert response.status_code == 302
    assert response["Location"] == "/programs/si-stability/"
    page = charlie.get("/programs/si-stability/").content.decode()
    assert "/subscribe/" in page
    assert "Day 1" in page
    assert not Enrollment.objects.exists()


def test_one_current_program_per_condition() -> None:
    make_program()
    other = make_program("si-gentle", days=7, checkpoints=())
    client, alice = _member()
    make_enrollment(alice, other)
    response = _start(client, alice, {**_answers(), **BASELINE})
    assert response.status_code == 400
    assert "You already follow" in response.content.decode()
    assert Enrollment.objects.filter(user=alice).count() == 1


def test_restarting_asks_again_and_starts_a_new_run() -> None:
    program = make_program()
    client, alice = _member()
    first = make_enrollment(alice, program)
    response = _start(client, alice, {**_answers(), **BASELINE}, path="restart")
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "restarted"
    current = Enrollment.objects.current().get(user=alice)
    assert current.pk != first.pk
    assert current.self_check.purpose == "restart"


def test_a_red_flag_on_restart_pauses_the_current_run_and_it_cannot_resume() -> None:
    program = make_program()
    client, alice = _member()
    first = make_enrollment(alice, program)
    response = client.post("/programs/si-stability/restart/", _answers({"weight"}))
    assert "clinician" in response.content.decode()
    assert "paused the program" in response.content.decode()
    first.refresh_from_db()
    # The red flag stops the run it was found in: it does not carry on either.
    assert first.status == "paused"
    assert Enrollment.objects.filter(user=alice).count() == 1
    client.post("/programs/si-stability/resume/")
    first.refresh_from_db()
    assert first.status == "paused"
