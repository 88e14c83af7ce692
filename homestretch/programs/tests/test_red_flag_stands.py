"""A red flag that stopped a program stands: retaking the self-check at once, a crafted
request, the API, a restart or another program for the same condition cannot undo it.
Only the member's statement that a clinician has seen them since opens the condition
again, and then the self-check is answered anew."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_bob
from homestretch.billing.testing import give_access
from homestretch.homework.testing import make_consent, make_teacher
from homestretch.me.privacy import export_data
from homestretch.programs import services
from homestretch.programs.models import ClinicianClearance, Enrollment, SelfCheck
from homestretch.programs.safety import URGENT_ADVICE, active_red_flags
from homestretch.programs.testing import clean_answers, make_enrollment, make_program

pytestmark = pytest.mark.django_db

BASELINE = {"pain_now": "6", "pain_week": "5", "activity_1": "Stairs", "score_1": "4"}


def _form(yes: str = "") -> dict[str, str]:
    """The start form with every red flag answered; those containing `yes` answered yes."""
    answers = {
        f"flag_{flag.pk}": "yes" if yes and yes in flag.question else "no"
        for flag in active_red_flags()
    }
    return {**answers, **BASELINE, "start_date": timezone.localdate().isoformat()}


def _post(client: Client, path: str, payload: dict[str, object]) -> Any:
    return client.post(path, json.dumps(payload), content_type="application/json")


def _member() -> tuple[User, Client]:
    alice = make_alice()
    give_access(alice)
    return alice, log_in(alice)


def _stopped(client: Client, slug: str = "si-stability", yes: str = "weight") -> SelfCheck:
    response = client.post(f"/programs/{slug}/start/", _form(yes))
    assert "see a clinician" in response.content.decode()
    return SelfCheck.objects.get(has_red_flag=True)


def test_retaking_the_self_check_at_once_shows_the_stop_and_records_nothing() -> None:
    make_program()
    alice, client = _member()
    stop = _stopped(client)

    page = client.get("/programs/si-stability/start/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "That answer stands" in html
    assert "Has a clinician seen you since?" in html
    assert active_red_flags()[0].question not in html  # no questions to answer again
    assert page["Cache-Control"] == "private, no-store"

    # A crafted POST of all "no" changes nothing.
    crafted = client.post("/programs/si-stability/start/", _form())
    assert crafted.status_code == 403
    assert SelfCheck.objects.filter(user=alice).count() == 1
    assert not Enrollment.objects.filter(user=alice).exists()
    assert services.standing_stop(alice, "SI joint") == stop


def test_the_service_refuses_a_new_self_check_and_an_older_clean_one() -> None:
    program = make_program()
    alice, _ = _member()
    clean = services.selfcheck_record(
        user=alice, program=program, answers=clean_answers(), pain_areas=[]
    )
    yes = dict.fromkeys(clean_answers(), True)
    services.selfcheck_record(user=alice, program=program, answers=yes, pain_areas=[])
    with pytest.raises(services.StopStands):
        services.selfcheck_record(
            user=alice, program=program, answers=clean_answers(), pain_areas=[]
        )
    # The clean self-check from before the red flag cannot be used to start either.
    with pytest.raises(services.RedFlagStop):
        services.program_enroll(
            user=alice,
            program=program,
            self_check=clean,
            start_date=alice.local_today(),
            baseline=services.Measures(pain_now=5, pain_week=5, psfs=()),
        )
    assert not Enrollment.objects.exists()


def test_another_program_for_the_same_condition_is_stopped_too() -> None:
    make_program()
    make_program("si-gentle", days=3, condition="SI joint")
    make_program("breathing", days=3, condition="Breathing")
    _, client = _member()
    _stopped(client)
    same = client.get("/programs/si-gentle/start/")
    assert "That answer stands" in same.content.decode()
    assert client.post("/programs/si-gentle/start/", _form()).status_code == 403
    # A program for another condition is not affected.
    other = client.get("/programs/breathing/start/")
    assert "1. Safety questions" in other.content.decode()


def test_a_restart_and_a_resume_stay_stopped() -> None:
    program = make_program()
    alice, client = _member()
    enrollment = make_enrollment(alice, program)
    response = client.post("/programs/si-stability/restart/", _form("weight"))
    assert "paused the program" in response.content.decode()
    assert "That answer stands" in client.get("/programs/si-stability/restart/").content.decode()
    assert client.post("/programs/si-stability/restart/", _form()).status_code == 403
    client.post("/programs/si-stability/resume/")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.PAUSED
    with pytest.raises(services.StopStands):
        services.enrollment_resume(enrollment=enrollment)


def test_an_urgent_stop_shows_the_urgent_advice_before_anything_else() -> None:
    make_program()
    _, client = _member()
    urgent = next(flag for flag in active_red_flags() if flag.is_urgent)
    _stopped(client, yes=urgent.question[:30])
    html = client.get("/programs/si-stability/start/").content.decode()
    main = html.split('<main id="main"')[1]
    assert "Please get medical help first" in main
    assert main.index(URGENT_ADVICE) < main.index("Has a clinician seen you since?")


def test_the_api_refuses_and_then_opens_after_the_clinician_statement() -> None:
    make_program()
    alice, client = _member()
    yes = {str(pk): True for pk in clean_answers()}
    no = {str(pk): False for pk in clean_answers()}
    first = _post(client, "/api/programs/si-stability/self-checks", {"answers": yes})
    assert first.status_code == 201
    assert first.json()["stopped"]

    again = _post(client, "/api/programs/si-stability/self-checks", {"answers": no})
    assert again.status_code == 403
    assert again.json()["error"]["message"].startswith(URGENT_ADVICE)  # urgent questions were yes
    stop = client.get("/api/programs/si-stability/stop").json()
    assert stop["stopped"]
    assert stop["urgent"]
    assert stop["message"].startswith(URGENT_ADVICE)

    today = alice.local_today()
    bad = [
        ({"seen_on": (today + timedelta(days=1)).isoformat(), "confirmed": True}, "to come"),
        ({"seen_on": (today - timedelta(days=3)).isoformat(), "confirmed": True}, "since"),
        ({"seen_on": today.isoformat(), "confirmed": False}, "Tick the box"),
    ]
    for payload, words in bad:
        refused = _post(client, "/api/programs/si-stability/clearances", payload)
        assert refused.status_code == 400
        assert words in refused.json()["error"]["message"]
    assert not ClinicianClearance.objects.exists()
    stated = _post(
        client,
        "/api/programs/si-stability/clearances",
        {"seen_on": today.isoformat(), "confirmed": True},
    )
    assert stated.status_code == 201
    assert client.get("/api/programs/si-stability/stop").json()["stopped"] is False

    check = _post(client, "/api/programs/si-stability/self-checks", {"answers": no})
    assert check.status_code == 201
    assert not check.json()["stopped"]
    enroll = _post(
        client,
        "/api/programs/si-stability/enrollments",
        {
            "self_check": check.json()["id"],
            "start_date": today.isoformat(),
            "baseline": {"pain_now": 5, "pain_week": 5},
        },
    )
    assert enroll.status_code == 201


def test_the_statement_page_checks_the_date_then_opens_the_self_check_again() -> None:
    make_program()
    alice, client = _member()
    _stopped(client)
    today = alice.local_today()
    future = client.post(
        "/programs/si-stability/clearance/",
        {"seen_on": (today + timedelta(days=2)).isoformat(), "confirmed": "on"},
    )
    assert future.status_code == 400
    assert "still to come" in future.content.decode()
    unticked = client.post("/programs/si-stability/clearance/", {"seen_on": today.isoformat()})
    assert "Tick the box" in unticked.content.decode()
    assert not ClinicianClearance.objects.exists()

    done = client.post(
        "/programs/si-stability/clearance/", {"seen_on": today.isoformat(), "confirmed": "on"}
    )
    assert done.status_code == 302
    assert "1. Safety questions" in client.get("/programs/si-stability/start/").content.decode()
    # Shown back to the member later, with its date.
    me = client.get("/me/").content.decode()
    assert "you told us a clinician saw you on" in me
    assert (
        "you told us a clinician saw you on"
        in client.get("/programs/si-stability/").content.decode()
    )
    # A new red flag stands again, and the old statement does not answer it.
    assert client.post("/programs/si-stability/start/", _form("fever")).status_code == 200
    assert services.standing_stop(alice, "SI joint") is not None


def test_the_statement_is_exported_and_shared_only_with_the_self_checks_consent() -> None:
    make_program()
    alice, client = _member()
    stop = _stopped(client)
    services.clearance_record(user=alice, stop=stop, seen_on=alice.local_today(), confirmed=True)
    exported = export_data(alice)["data"]["programs.ClinicianClearance"]
    assert [row["self_check_id"] for row in exported] == [stop.pk]

    bob = make_bob()
    instructor = make_teacher(bob)
    consent = make_consent(instructor, alice, logs=True, checks=False)
    teacher = log_in(bob)
    page = teacher.get(f"/studio/clients/{consent.pk}/").content.decode()
    assert "clinician saw them" not in page
    consent.share_checks = True
    consent.save()
    page = teacher.get(f"/studio/clients/{consent.pk}/").content.decode()
    assert "later stated that a clinician saw them on" in page
