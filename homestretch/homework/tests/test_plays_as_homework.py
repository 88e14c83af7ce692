"""Assigned homework plays without a subscription only when the studio says so
(HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION puts `plays_as_homework` in LIBRARY_PLAY_RULES), on
the watch page, the video files, the captions and the API alike; and it stops at the
next request once consent is revoked or the homework ends."""

import re
from datetime import timedelta

import pytest
from django.test import Client, override_settings

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_bob
from homestretch.homework.models import Assignment
from homestretch.homework.services import assignment_end, consent_revoke
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.library.access import may_play
from homestretch.library.models import Caption, Sequence
from homestretch.library.testing import make_encoded

pytestmark = pytest.mark.django_db

ON = ["homestretch.homework.access.plays_as_homework"]
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nBreathe in.\n"


def _homework() -> tuple[User, Sequence, Assignment]:
    """Alice, with no library access, has a paywalled sequence as homework today."""
    alice = make_alice()
    sequence = make_encoded("pelvic-clock")
    Caption.objects.create(sequence=sequence, language="en", label="English", vtt=VTT)
    consent = make_consent(make_teacher(make_bob()), alice)
    today = alice.local_today()
    assignment = make_assignment(
        consent,
        sequences=[sequence],
        starts_on=today - timedelta(days=2),
        ends_on=today + timedelta(days=9),
    )
    return alice, sequence, assignment


def _plays(client: Client) -> dict[str, int]:
    """What each way of playing answers: the page's player, a file, captions, the API."""
    page = client.get("/library/pelvic-clock/").content.decode()
    master = re.search(r'data-master="([^"]+)"', page)
    return {
        "page": int(master is not None),
        "master": client.get(master.group(1).replace("&amp;", "&")).status_code if master else 0,
        "captions": client.get("/library/pelvic-clock/captions/en.vtt").status_code,
        "api": client.get("/api/library/sequences/pelvic-clock/playback").status_code,
    }


@override_settings(LIBRARY_PLAY_RULES=[])
def test_by_default_homework_meets_the_paywall() -> None:
    alice, sequence, _ = _homework()
    assert not may_play(alice, sequence)
    assert _plays(log_in(alice)) == {"page": 0, "master": 0, "captions": 403, "api": 403}


@override_settings(LIBRARY_PLAY_RULES=ON)
def test_with_the_setting_on_homework_plays_everywhere_and_stops_on_revoke() -> None:
    alice, _sequence, assignment = _homework()
    client = log_in(alice)
    assert _plays(client) == {"page": 1, "master": 200, "captions": 200, "api": 200}
    page = client.get("/library/pelvic-clock/").content.decode()
    master_url = re.search(r'data-master="([^"]+)"', page).group(1).replace("&amp;", "&")  # type: ignore[union-attr]

    consent_revoke(consent=assignment.consent)
    # The very next request of the same player is refused.
    assert client.get(master_url).status_code == 403
    assert _plays(client) == {"page": 0, "master": 0, "captions": 403, "api": 403}


@override_settings(LIBRARY_PLAY_RULES=ON)
def test_homework_that_ended_stops_playing_and_other_sequences_never_played() -> None:
    alice, sequence, assignment = _homework()
    other = make_encoded("hip-circles")
    client = log_in(alice)
    assert may_play(alice, sequence)
    assert not may_play(alice, other)  # not in the homework
    assert client.get("/api/library/sequences/hip-circles/playback").status_code == 403
    assignment_end(assignment=assignment)
    assert not may_play(alice, sequence)
    assert _plays(client)["api"] == 403


@override_settings(LIBRARY_PLAY_RULES=ON)
def test_the_rule_is_one_query() -> None:
    alice, sequence, _ = _homework()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homestretch.homework.access import plays_as_homework

    with CaptureQueriesContext(connection) as queries:
        assert plays_as_homework(alice, sequence)
    assert len(queries) == 1
    assert "EXISTS" in queries[0]["sql"].upper() or "LIMIT 1" in queries[0]["sql"].upper()
