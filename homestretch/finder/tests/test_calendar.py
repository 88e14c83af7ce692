from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from icalendar import Calendar

from homestretch.accounts.testing import make_alice
from homestretch.finder.testing import make_class, make_instructor
from homestretch.finder.views import class_times


@pytest.mark.django_db
def test_the_feed_has_one_weekly_event_per_class(client: Client) -> None:
    instructor = make_instructor("Bob Teacher")
    make_class(instructor, title="Pelvic stability", weekday=0, start_time=time(18, 30))
    make_class(instructor, title="Online basics", location=None, timezone="America/New_York")
    response = client.get(f"/finder/{instructor.slug}/classes.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Pelvic stability", "Online basics"}
    start = events["Pelvic stability"].decoded("dtstart")
    assert (start.weekday(), start.hour, start.minute) == (0, 18, 30)
    assert str(start.tzinfo) == "Europe/Berlin"
    assert "RRULE:FREQ=WEEKLY" in events["Pelvic stability"].to_ical().decode()
    assert str(events["Online basics"]["location"]) == "Online"
    assert str(events["Online basics"].decoded("dtstart").tzinfo) == "America/New_York"


def test_next_class_is_shown_in_the_viewers_zone_across_daylight_saving() -> None:
    from homestretch.finder.models import Class

    cls = Class(weekday=0, start_time=time(18, 0), timezone="Europe/Berlin", duration_minutes=60)
    # Friday 28 March 2025; Berlin moves to summer time on Sunday 30 March.
    now = datetime(2025, 3, 28, 12, tzinfo=ZoneInfo("UTC"))
    [item] = class_times([cls], ZoneInfo("America/New_York"), now)
    assert item.start.isoformat() == "2025-03-31T12:00:00-04:00"
    [own] = class_times([cls], None, now)
    assert own.start.isoformat() == "2025-03-31T18:00:00+02:00"


@pytest.mark.django_db
def test_times_are_in_the_classs_own_zone_with_its_name_and_in_mine_on_request(
    client: Client,
) -> None:
    instructor = make_instructor()
    make_class(instructor)
    page = client.get(instructor.get_absolute_url()).content.decode()
    assert '18:00\u201319:00</time> <span class="zone">Europe/Berlin time (CE' in page
    page = client.get(instructor.get_absolute_url(), {"tz": "Asia/Tokyo"}).content.decode()
    assert "Times in Asia/Tokyo." in page
    assert "Asia/Tokyo time (JST)" in page
    alice = make_alice()
    alice.timezone = "America/Chicago"
    alice.save()
    client.force_login(alice)
    # Signed in, still the class's own zone first (a UTC account never turns it into UTC),
    # with a link to the account's zone.
    page = client.get(instructor.get_absolute_url()).content.decode()
    assert "Europe/Berlin time" in page
    assert "?tz=America/Chicago#classes" in page
    alice.timezone = "UTC"
    alice.save()
    page = client.get(instructor.get_absolute_url()).content.decode()
    assert "Europe/Berlin time" in page
    assert "UTC time" not in page
