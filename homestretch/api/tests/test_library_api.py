from typing import Any

import pytest
from django.test import Client

from homestretch.accounts.testing import make_alice, make_charlie, make_staff
from homestretch.billing.testing import give_access
from homestretch.library.models import Encoding, WatchProgress
from homestretch.library.testing import make_encoded


def _put(client: Client, slug: str, position: float, **extra: Any):
    return client.put(
        f"/api/library/sequences/{slug}/progress",
        {"position": position},
        content_type="application/json",
        **extra,
    )


@pytest.mark.django_db
def test_progress_is_saved_per_member(client: Client) -> None:
    alice, charlie = make_alice(), make_charlie()
    give_access(alice)
    give_access(charlie)
    make_encoded(duration_seconds=600)
    client.force_login(alice)
    assert _put(client, "pelvic-clock", 42.5).json() == {"position": 42.5, "finished": False}
    assert _put(client, "pelvic-clock", 598).json()["finished"] is True

    other = Client()
    other.force_login(charlie)
    assert other.get("/api/library/sequences/pelvic-clock/progress").json() == {
        "position": 0,
        "finished": False,
    }
    assert WatchProgress.objects.get(user=alice).position_seconds == 598


@pytest.mark.django_db
def test_progress_needs_login_access_and_csrf() -> None:
    make_encoded()
    assert _put(Client(), "pelvic-clock", 10).status_code == 401

    no_access = Client()
    no_access.force_login(make_charlie())
    assert _put(no_access, "pelvic-clock", 10).status_code == 403

    alice = make_alice()
    give_access(alice)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert _put(strict, "pelvic-clock", 10).status_code == 403
    strict.get("/me/")
    token = strict.cookies["csrftoken"].value
    assert _put(strict, "pelvic-clock", 10, HTTP_X_CSRFTOKEN=token).status_code == 200


@pytest.mark.django_db
def test_a_bad_position_gets_422(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    make_encoded()
    client.force_login(alice)
    assert _put(client, "pelvic-clock", -3).status_code == 422
    assert _put(client, "no-such-thing", 3).status_code == 404


@pytest.mark.django_db
def test_playback_urls_only_for_those_who_may_watch(client: Client) -> None:
    make_encoded()
    assert client.get("/api/library/sequences/pelvic-clock/playback").status_code == 403
    alice = make_alice()
    give_access(alice)
    client.force_login(alice)
    body = client.get("/api/library/sequences/pelvic-clock/playback").json()
    assert "/library/pelvic-clock/media/" in body["master_url"]
    assert "tok=" in body["master_url"]


@pytest.mark.django_db
def test_encoding_progress_is_for_staff_only(client: Client) -> None:
    sequence = make_encoded()
    encoding = Encoding.objects.get(sequence=sequence)
    url = f"/api/library/encodings/{encoding.pk}"
    assert client.get(url).status_code == 401
    client.force_login(make_alice())
    assert client.get(url).status_code == 403
    client.force_login(make_staff())
    assert client.get(url).json()["state"] == "ready"
