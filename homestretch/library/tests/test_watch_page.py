from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homestretch.accounts.testing import make_alice, make_charlie, make_staff
from homestretch.billing.models import AccessGrant
from homestretch.billing.testing import give_access
from homestretch.library.models import Favorite, WatchProgress
from homestretch.library.testing import make_encoded

pytestmark = pytest.mark.also_s3


@pytest.mark.django_db
def test_a_visitor_sees_the_paywall_and_no_playable_url(client: Client) -> None:
    make_encoded()
    response = client.get("/library/pelvic-clock/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This sequence is part of the full library" in page
    assert 'href="/subscribe/"' in page
    assert "/media/" not in page
    assert ".m3u8" not in page
    assert "/captions/" not in page


@pytest.mark.django_db
def test_a_member_without_access_sees_the_paywall_too(client: Client) -> None:
    make_encoded()
    client.force_login(make_charlie())
    page = client.get("/library/pelvic-clock/").content.decode()
    assert "This sequence is part of the full library" in page
    assert "/media/" not in page


@pytest.mark.django_db
def test_a_free_preview_plays_for_a_visitor(client: Client) -> None:
    make_encoded(is_free_preview=True)
    page = client.get("/library/pelvic-clock/").content.decode()
    assert "data-master=" in page
    assert "full library" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["granted", "staff"])
def test_people_with_access_get_the_player(client: Client, who: str) -> None:
    sequence = make_encoded()
    user = make_alice() if who == "granted" else make_staff()
    if who == "granted":
        give_access(user)
    client.force_login(user)
    response = client.get(sequence.get_absolute_url())
    assert "data-master=" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_an_expired_grant_gives_no_access(client: Client) -> None:
    alice = make_alice()
    AccessGrant.objects.create(
        user=alice, ends_at=timezone.now() - timedelta(minutes=1), reason="t"
    )
    make_encoded()
    client.force_login(alice)
    assert "data-master=" not in client.get("/library/pelvic-clock/").content.decode()


@pytest.mark.django_db
def test_it_resumes_where_i_stopped_and_t_overrides(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    sequence = make_encoded(duration_seconds=600)
    WatchProgress.objects.create(user=alice, sequence=sequence, position_seconds=123.4)
    client.force_login(alice)
    assert 'data-start="123.4"' in client.get("/library/pelvic-clock/").content.decode()
    assert 'data-start="42.0"' in client.get("/library/pelvic-clock/?t=42").content.decode()
    assert 'data-start="123.4"' in client.get("/library/pelvic-clock/?t=nonsense").content.decode()


@pytest.mark.django_db
def test_a_scheduled_sequence_shows_title_and_poster_only(client: Client) -> None:
    make_encoded(publish_at=timezone.now() + timedelta(days=3), is_free_preview=True)
    response = client.get("/library/pelvic-clock/")
    page = response.content.decode()
    assert "Coming " in page
    assert "/poster.jpg" in page
    assert "data-master" not in page
    assert "/media/" not in page


@pytest.mark.django_db
def test_a_draft_is_hidden_from_everyone_but_staff(client: Client) -> None:
    make_encoded(status="draft")
    assert client.get("/library/pelvic-clock/").status_code == 404
    client.force_login(make_staff())
    assert client.get("/library/pelvic-clock/").status_code == 200


@pytest.mark.django_db
def test_captions_need_access(client: Client) -> None:
    sequence = make_encoded()
    sequence.captions.create(
        language="en", label="English", vtt="WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n"
    )
    assert client.get("/library/pelvic-clock/captions/en.vtt").status_code == 403
    alice = make_alice()
    give_access(alice)
    client.force_login(alice)
    response = client.get("/library/pelvic-clock/captions/en.vtt")
    assert response.status_code == 200
    assert response.content.decode().startswith("WEBVTT")


@pytest.mark.django_db
def test_favorites_toggle_for_the_signed_in_member_only(client: Client) -> None:
    make_encoded()
    assert client.post("/library/pelvic-clock/favorite/").status_code == 302
    alice = make_alice()
    client.force_login(alice)
    response = client.post("/library/pelvic-clock/favorite/", HTTP_HX_REQUEST="true")
    assert "In your favorites" in response.content.decode()
    assert Favorite.objects.filter(user=alice).count() == 1
    client.post("/library/pelvic-clock/favorite/", HTTP_HX_REQUEST="true")
    assert Favorite.objects.filter(user=alice).count() == 0


@pytest.mark.django_db
def test_my_favorites_have_a_shelf_of_their_own(client: Client) -> None:
    alice = make_alice()
    make_encoded("liked", title="The one I like")
    make_encoded("other", title="Another one")
    client.force_login(alice)
    client.post("/library/liked/favorite/")
    page = client.get("/library/").content.decode()
    shelf = page[page.index("Your favorites") : page.index("New this week")]
    assert "The one I like" in shelf
    assert "Another one" not in shelf
    client.force_login(make_charlie())
    assert "Your favorites" not in client.get("/library/").content.decode()
