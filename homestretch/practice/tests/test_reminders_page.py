"""/me/reminders/: the reminder form and the calendar feed's address, for its owner only."""

from datetime import time

import pytest
from django.conf import settings
from django.test import Client

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.practice.models import CalendarFeed, Reminder
from homestretch.practice.testing import make_reminder

pytestmark = pytest.mark.django_db

URL = "/me/reminders/"
GOOD = {"is_enabled": "on", "weekdays": ["1", "3", "5"], "at": "07:30"}


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_log_in(client: Client) -> None:
    for response in (
        client.get(URL),
        client.post(URL, GOOD),
        client.post("/me/reminders/calendar/create/"),
        client.post("/me/reminders/calendar/revoke/"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not Reminder.objects.exists()
    assert not CalendarFeed.objects.exists()


def test_the_page_shows_the_time_zone_and_is_never_cached() -> None:
    alice = make_alice()
    alice.timezone = "America/New_York"
    alice.save()
    response = _client_for(alice).get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "America/New_York" in page
    assert "None yet" in page
    assert "no active program" in page


def test_saving_the_form_sets_the_days_and_time() -> None:
    alice = make_alice()
    client = _client_for(alice)
    response = client.post(URL, {**GOOD, "at": "07:30:45"})
    assert response.status_code == 302
    reminder = Reminder.objects.get(user=alice)
    assert (reminder.weekdays, reminder.at, reminder.is_enabled) == ([1, 3, 5], time(7, 30), True)
    page = client.get(URL).content.decode()
    assert "Your reminders are saved." in page
    assert "07:30" in page
    # Turning it off keeps the days and time for later.
    client.post(URL, {"weekdays": ["1", "3", "5"], "at": "07:30"})
    reminder.refresh_from_db()
    assert reminder.is_enabled is False
    assert "reminders are off" in client.get(URL).content.decode()


def test_the_next_reminder_is_shown_in_the_members_zone() -> None:
    alice = make_alice()
    make_reminder(alice, at=time(6, 15), timezone="Asia/Tokyo")
    page = _client_for(alice).get(URL).content.decode()
    assert "06:15" in page
    assert "+09:00" in page  # the machine-readable time is in Tokyo's offset


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"is_enabled": "on", "at": "07:30"}, "weekdays", "Choose at least one day"),
        ({**GOOD, "weekdays": ["8"]}, "weekdays", "Select a valid choice"),
        ({**GOOD, "at": "25:00"}, "at", "Enter a time like 07:30."),
        ({**GOOD, "at": ""}, "at", "This field is required."),
    ],
)
def test_a_bad_form_says_why_and_saves_nothing(data: dict, field: str, message: str) -> None:
    alice = make_alice()
    make_reminder(alice, at=time(9, 0), weekdays=(2,))
    response = _client_for(alice).post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    reminder = Reminder.objects.get(user=alice)
    assert (reminder.weekdays, reminder.at) == ([2], time(9, 0))


def test_posts_need_the_csrf_token() -> None:
    alice = make_alice()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.post(URL, GOOD).status_code == 403
    assert client.post("/me/reminders/calendar/create/").status_code == 403
    assert not Reminder.objects.exists()
    assert not CalendarFeed.objects.exists()


def test_another_member_sees_and_changes_only_their_own() -> None:
    alice, charlie = make_alice(), make_charlie()
    make_reminder(alice, at=time(6, 45), weekdays=(6,))
    feed = CalendarFeed.objects.create(user=alice)
    client = _client_for(charlie)
    page = client.get(URL).content.decode()
    assert "06:45" not in page
    assert feed.token not in page
    client.post(URL, GOOD)
    client.post("/me/reminders/calendar/revoke/")
    client.post("/me/reminders/calendar/delete/")
    assert Reminder.objects.get(user=alice).at == time(6, 45)
    assert Reminder.objects.get(user=charlie).at == time(7, 30)
    assert CalendarFeed.objects.get(user=alice).token == feed.token


def test_a_member_creates_revokes_and_turns_off_their_calendar_feed() -> None:
    alice = make_alice()
    client = _client_for(alice)
    assert client.get("/me/reminders/calendar/create/").status_code == 405
    assert client.post("/me/reminders/calendar/create/").status_code == 302
    feed = CalendarFeed.objects.get(user=alice)
    url = f"{settings.SITE_URL}/programs/calendar/{feed.token}.ics"
    page = client.get(URL).content.decode()
    assert f'value="{url}"' in page
    assert "webcal://" in page
    # Creating again keeps the same address.
    client.post("/me/reminders/calendar/create/")
    assert CalendarFeed.objects.get(user=alice).token == feed.token

    client.post("/me/reminders/calendar/revoke/")
    new = CalendarFeed.objects.get(user=alice)
    assert new.token != feed.token
    assert len(new.token) == 32
    assert Client().get(f"/programs/calendar/{feed.token}.ics").status_code == 404
    assert Client().get(f"/programs/calendar/{new.token}.ics").status_code == 200

    client.post("/me/reminders/calendar/delete/")
    assert not CalendarFeed.objects.exists()
    assert Client().get(f"/programs/calendar/{new.token}.ics").status_code == 404
    assert "Create my calendar feed" in client.get(URL).content.decode()
