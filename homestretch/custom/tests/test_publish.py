"""Staff publish a custom sequence into the library: a button on the builder (POST, CSRF),
a slug and its own page, an entry in the library's list and search, the library's rules
for playing every source; unpublishing takes it out. Nobody but staff publishes."""

import pytest
from django.test import Client

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_bob, make_charlie, make_staff
from homestretch.audit.models import AuditEntry
from homestretch.billing.testing import give_access
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.testing import make_teacher
from homestretch.library.models import Sequence
from homestretch.library.services import sequence_reindex

pytestmark = pytest.mark.django_db


def _staff_client() -> tuple[User, Client]:
    staff = make_staff()
    client = Client()
    client.force_login(staff)
    return staff, client


def _collection(owner: User, *, free: bool = False) -> CustomSequence:
    clock = make_source("pelvic-clock", is_free_preview=free)
    bridges = make_source("bridges", chapters=((0, "Bridge"),), is_free_preview=free)
    version = make_custom(
        owner, [item(clock, 6, reps=10), item(bridges, 0)], note="For a day the hip complains."
    )
    return version.custom_sequence


def test_staff_publish_from_the_builder_and_it_is_in_the_library() -> None:
    staff, client = _staff_client()
    custom = _collection(staff)
    builder = client.get(f"/studio/sequences/{custom.pk}/edit/").content.decode()
    assert f'action="/studio/sequences/{custom.pk}/publish/"' in builder
    response = client.post(f"/studio/sequences/{custom.pk}/publish/")
    assert response.status_code == 302
    custom.refresh_from_db()
    assert custom.is_published
    assert custom.slug == "si-joint-rescue"
    assert custom.get_absolute_url() == "/library/custom/si-joint-rescue/"
    assert AuditEntry.objects.filter(action="custom.publish").exists()

    member = make_charlie()
    give_access(member)
    reader = log_in(member)
    page = reader.get("/library/custom/si-joint-rescue/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "SI joint rescue" in html
    assert "data-master=" in html  # the member may play every source
    listed = reader.get("/library/").content.decode()
    assert 'href="/library/custom/si-joint-rescue/"' in listed
    found = reader.get("/library/?q=rescue").content.decode()
    assert 'href="/library/custom/si-joint-rescue/">SI joint rescue</a>' in found
    by_move = reader.get("/library/?q=bridge").content.decode()
    assert "/library/custom/si-joint-rescue/" in by_move  # a move's title finds it too
    assert "/library/custom/" not in reader.get("/library/?q=shoulder").content.decode()


def test_a_visitor_meets_the_paywall_of_its_sources_unless_all_are_free_previews() -> None:
    staff, client = _staff_client()
    custom = _collection(staff)
    client.post(f"/studio/sequences/{custom.pk}/publish/")
    html = Client().get("/library/custom/si-joint-rescue/").content.decode()
    assert "Bridge" in html  # its moves are listed for anyone
    assert "data-master=" not in html
    assert 'class="paywall' in html


def test_a_custom_sequence_of_free_previews_plays_for_a_visitor() -> None:
    staff, client = _staff_client()
    custom = _collection(staff, free=True)
    client.post(f"/studio/sequences/{custom.pk}/publish/")
    html = Client().get("/library/custom/si-joint-rescue/").content.decode()
    assert "data-master=" in html
    assert "Free preview" in Client().get("/library/").content.decode()


def test_unpublishing_takes_it_out_and_publishing_again_keeps_its_address() -> None:
    staff, client = _staff_client()
    custom = _collection(staff)
    client.post(f"/studio/sequences/{custom.pk}/publish/")
    client.post(f"/studio/sequences/{custom.pk}/unpublish/")
    custom.refresh_from_db()
    assert not custom.is_published
    assert Client().get("/library/custom/si-joint-rescue/").status_code == 404
    assert "/library/custom/" not in Client().get("/library/").content.decode()
    client.post(f"/studio/sequences/{custom.pk}/publish/")
    custom.refresh_from_db()
    assert custom.slug == "si-joint-rescue"


def test_only_staff_publish() -> None:
    bob = make_bob()
    make_teacher(bob)
    custom = _collection(bob)
    instructor = log_in(bob)
    assert (
        "/publish/" not in instructor.get(f"/studio/sequences/{custom.pk}/edit/").content.decode()
    )
    assert instructor.post(f"/studio/sequences/{custom.pk}/publish/").status_code == 403
    assert instructor.post(f"/studio/sequences/{custom.pk}/unpublish/").status_code == 403
    assert Client().post(f"/studio/sequences/{custom.pk}/publish/").status_code == 302  # log in
    custom.refresh_from_db()
    assert not custom.is_published
    _, staff = _staff_client()
    assert staff.get(f"/studio/sequences/{custom.pk}/publish/").status_code == 405
    # Without the CSRF token, a browser's POST is refused.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(User.objects.get(is_staff=True))
    assert forged.post(f"/studio/sequences/{custom.pk}/publish/").status_code == 403
    custom.refresh_from_db()
    assert not custom.is_published


def test_the_results_count_a_custom_sequence_that_alone_matches() -> None:
    staff, client = _staff_client()
    custom = _collection(staff)
    client.post(f"/studio/sequences/{custom.pk}/publish/")
    reader = Client()
    found = reader.get("/library/?q=rescue").content.decode()
    assert "0 sequences and 1 custom sequence for “rescue”" in found
    assert "Nothing matches" not in found
    assert 'href="/library/custom/si-joint-rescue/">SI joint rescue</a>' in found
    # Beside sequences that match too, both are counted.
    sequence_reindex(sequence=Sequence.objects.get(slug="bridges"))
    both = reader.get("/library/?q=bridge").content.decode()
    assert "1 sequence and 1 custom sequence for “bridge”" in both
    # When nothing matches at all, the page says so.
    nothing = reader.get("/library/?q=shoulder").content.decode()
    assert "0 sequences for “shoulder”" in nothing
    assert "Nothing matches" in nothing
