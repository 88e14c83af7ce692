from typing import Any

import pytest
from django.test import Client

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.billing.testing import give_access
from homestretch.library.models import PlayerPreference
from homestretch.library.testing import make_encoded

URL = "/api/library/player-preference"


def _put(client: Client, speed: Any, captions: Any, **extra: Any):
    return client.put(
        URL, {"speed": speed, "captions": captions}, content_type="application/json", **extra
    )


@pytest.mark.django_db
def test_speed_and_captions_are_remembered_per_member(client: Client) -> None:
    alice, charlie = make_alice(), make_charlie()
    client.force_login(alice)
    assert client.get(URL).json() == {"speed": 1.0, "captions": ""}
    assert _put(client, 1.25, "en").json() == {"speed": 1.25, "captions": "en"}
    assert _put(client, 0.75, "").json() == {"speed": 0.75, "captions": ""}

    other = Client()
    other.force_login(charlie)
    assert other.get(URL).json() == {"speed": 1.0, "captions": ""}
    assert PlayerPreference.objects.get().user == alice


@pytest.mark.django_db
def test_preferences_need_login_and_csrf() -> None:
    assert Client().get(URL).status_code == 401
    assert _put(Client(), 1.5, "").status_code == 401

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_alice())
    assert _put(strict, 1.5, "").status_code == 403
    strict.get("/me/")
    token = strict.cookies["csrftoken"].value
    assert _put(strict, 1.5, "", HTTP_X_CSRFTOKEN=token).status_code == 200


@pytest.mark.django_db
def test_a_speed_or_language_the_player_does_not_offer_is_refused(client: Client) -> None:
    client.force_login(make_alice())
    _put(client, 1.5, "en")
    response = _put(client, 7, "en")
    assert response.status_code == 400
    assert "Speed must be one of" in response.json()["error"]["message"]
    assert _put(client, 1, "<script>").status_code == 400
    assert _put(client, 1, "x" * 17).status_code == 422
    assert _put(client, "fast", "en").status_code == 422
    preference = PlayerPreference.objects.get()
    assert (preference.speed, preference.captions) == (1.5, "en")  # nothing lost


@pytest.mark.django_db
def test_the_watch_page_starts_with_the_members_choices(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    make_encoded()
    client.force_login(alice)
    assert "data-speed-choice" not in client.get("/library/pelvic-clock/").content.decode()
    _put(client, 1.5, "en")
    page = client.get("/library/pelvic-clock/").content.decode()
    assert 'data-speed-choice="1.5" data-captions-choice="en"' in page
    assert 'data-preference-url="/api/library/player-preference"' in page
