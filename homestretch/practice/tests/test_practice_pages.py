"""The practice log pages under /me/ and the log on the watch page."""

from datetime import timedelta

import pytest
from django.test import Client

from homestretch.accounts.testing import log_in, make_alice, make_charlie
from homestretch.billing.testing import give_access
from homestretch.library.models import Sequence
from homestretch.programs.models import PracticeLog
from homestretch.programs.testing import make_enrollment, make_log, make_program

pytestmark = pytest.mark.django_db


def _sequence() -> Sequence:
    return Sequence.objects.get(slug="si-stability-practice-1")


def test_the_log_form_without_javascript_saves_and_returns_to_the_page() -> None:
    make_program()
    alice = make_alice()
    give_access(alice)
    client = log_in(alice)
    data = {
        "sequence": "si-stability-practice-1",
        "done": "true",
        "pain_before": "6",
        "pain_after": "4",
        "next": "/me/",
    }
    response = client.post("/me/logs/new/", data)
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    log = PracticeLog.objects.get(user=alice)
    assert (log.pain_before, log.pain_after) == (6, 4)
    assert "pain 6 → 4" in client.get("/me/").content.decode()


def test_a_bad_log_says_why_and_saves_nothing() -> None:
    make_program()
    alice = make_alice()
    give_access(alice)
    client = log_in(alice)
    data = {"sequence": "si-stability-practice-1", "done": "true", "pain_before": "16"}
    response = client.post("/me/logs/new/", data)
    assert response.status_code == 400
    assert "Pain before" in response.content.decode()
    assert not PracticeLog.objects.exists()


def test_an_offsite_next_is_ignored() -> None:
    make_program()
    alice = make_alice()
    give_access(alice)
    data = {"sequence": "si-stability-practice-1", "done": "false", "next": "https://evil.example/"}
    response = log_in(alice).post("/me/logs/new/", data)
    assert response["Location"] == "/me/logs/"


def test_the_log_list_is_mine_alone_and_never_cached() -> None:
    make_program()
    alice = make_alice()
    make_log(alice, _sequence(), alice.local_today(), before=7, after=2)
    charlie = log_in(make_charlie())
    page = charlie.get("/me/logs/")
    assert page["Cache-Control"] == "private, no-store"
    assert "7 → 2" not in page.content.decode()
    assert "7 → 2" in log_in(alice).get("/me/logs/").content.decode()


def test_another_members_log_is_404_to_edit() -> None:
    make_program()
    alice = make_alice()
    log = make_log(alice, _sequence(), alice.local_today())
    charlie = log_in(make_charlie())
    assert charlie.get(f"/me/logs/{log.pk}/").status_code == 404
    assert (
        charlie.post(f"/me/logs/{log.pk}/", {"done": "true", "pain_after": "9"}).status_code == 404
    )
    log.refresh_from_db()
    assert log.pain_after == 4


def test_yesterdays_log_cannot_be_edited() -> None:
    make_program()
    alice = make_alice()
    log = make_log(alice, _sequence(), alice.local_today() - timedelta(days=1))
    response = log_in(alice).post(f"/me/logs/{log.pk}/", {"done": "true", "pain_after": "1"})
    assert response.status_code == 400
    assert "on the day it was made only" in response.content.decode()


@pytest.mark.parametrize("path", ["/me/", "/me/logs/", "/programs/si-stability/"])
def test_private_pages_are_never_stored_by_caches(path: str) -> None:
    make_program()
    response = log_in(make_alice()).get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_watch_page_asks_for_a_log_from_a_program_day() -> None:
    program = make_program()
    alice = make_alice()
    give_access(alice)
    make_enrollment(alice, program)
    html = (
        log_in(alice)
        .get("/library/si-stability-practice-1/?program=si-stability&day=1")
        .content.decode()
    )
    assert "data-log-prompt" in html
    assert 'name="program" value="si-stability"' in html
    assert "(day 1 of Si Stability)" in html
    # A day that isn't open is not offered as the log's program day.
    html = (
        log_in(alice)
        .get("/library/si-stability-practice-1/?program=si-stability&day=3")
        .content.decode()
    )
    assert 'name="program"' not in html


def test_the_watch_page_asks_no_log_of_a_visitor_or_behind_the_paywall() -> None:
    make_program()
    assert (
        "data-log-prompt" not in Client().get("/library/si-stability-practice-1/").content.decode()
    )
    charlie = log_in(make_charlie())
    assert (
        "data-log-prompt" not in charlie.get("/library/si-stability-practice-1/").content.decode()
    )


def test_my_practice_page_has_a_plain_title_and_logs_through_the_api() -> None:
    html = log_in(make_alice()).get("/me/").content.decode()
    assert "<title>My practice · Homestretch</title>" in html
    assert "js/practice-log" in html
