import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from homestretch.accounts.testing import make_alice, make_bob, make_staff
from homestretch.audit.models import AuditEntry
from homestretch.finder import services
from homestretch.finder.models import ContactMessage, Instructor, InstructorRevision
from homestretch.finder.testing import make_class, make_instructor


def _bob_published() -> Instructor:
    bob = make_bob()
    instructor = make_instructor("Bob", user=bob)
    make_class(instructor)
    return instructor


def _profile_post(**overrides: object) -> dict[str, object]:
    return {
        "action": "profile",
        "display_name": "Bob the Builder",
        "bio": "New *bio*",
        "specialties": ["hip"],
        "languages": ["en"],
        "teaches_in_person": "on",
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/studio/", "/studio/profile/"])
def test_the_studio_is_for_instructors_only(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(make_alice())
    assert client.get(url).status_code == 403
    client.force_login(make_bob())
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_inbox_lists_only_my_messages_and_others_are_not_found(
    client: Client, django_assert_max_num_queries
) -> None:
    instructor = _bob_published()
    other = make_instructor("Someone Else")
    for n in range(5):
        ContactMessage.objects.create(
            instructor=instructor,
            sender_name=f"Sender {n}",
            sender_email="s@example.org",
            body="Hi",
        )
    theirs = ContactMessage.objects.create(
        instructor=other, sender_name="Private", sender_email="p@example.org", body="Secret"
    )
    client.force_login(instructor.user)
    # Session, user, groups and permissions for the header, then a count and one page.
    with django_assert_max_num_queries(19):
        page = client.get("/studio/").content.decode()
    assert page.count('class="card unread"') == 5
    assert "Private" not in page
    assert client.get(f"/studio/messages/{theirs.pk}/").status_code == 404
    mine = instructor.messages.first()
    assert mine is not None
    assert client.get(f"/studio/messages/{mine.pk}/").status_code == 200
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.django_db
def test_an_edit_waits_for_a_moderator_and_the_live_profile_stays(client: Client) -> None:
    instructor = _bob_published()
    client.force_login(instructor.user)
    response = client.post("/studio/profile/", _profile_post())
    assert response.status_code == 302
    revision = InstructorRevision.objects.get()
    assert revision.status == "pending"
    assert revision.data["display_name"] == "Bob the Builder"
    live = Client().get(instructor.get_absolute_url()).content.decode()
    assert "Bob the Builder" not in live
    # A second edit amends the same pending revision.
    client.post(
        "/studio/profile/",
        {"action": "add_location", "name": "Hall", "city": "Hamburg", "country": "de"},
    )
    assert InstructorRevision.objects.count() == 1
    revision.refresh_from_db()
    assert revision.data["locations"][-1]["city"] == "Hamburg"
    assert revision.data["locations"][-1]["latitude"] == pytest.approx(53.55, abs=0.05)


@pytest.mark.django_db
def test_a_moderator_approves_a_revision_and_it_goes_live(client: Client) -> None:
    instructor = _bob_published()
    bob = Client()
    bob.force_login(instructor.user)
    bob.post("/studio/profile/", _profile_post())
    bob.post("/studio/profile/", {"action": "remove_class", "index": "0"})
    staff = make_staff()
    client.force_login(staff)
    queue = client.get("/moderation/").content.decode()
    assert "Instructor profiles" in queue
    assert "Bob the Builder" in queue
    revision = InstructorRevision.objects.get()
    response = client.post("/moderation/revisions/", {"id": revision.pk, "action": "approve"})
    assert response.status_code == 302
    instructor.refresh_from_db()
    assert instructor.display_name == "Bob the Builder"
    assert instructor.bio_html == "<p>New <em>bio</em></p>\n"
    assert instructor.specialty_list == ["hip"]
    assert instructor.classes.count() == 0
    assert AuditEntry.objects.get().action == "profile.approve"
    again = client.post("/moderation/revisions/", {"id": revision.pk, "action": "approve"})
    assert again.status_code == 302  # already decided: a message, no change


@pytest.mark.django_db
def test_a_rejected_revision_changes_nothing(client: Client) -> None:
    instructor = _bob_published()
    revision = services.revision_submit(
        instructor=instructor, data={**services.snapshot(instructor), "display_name": "Spam"}
    )
    client.force_login(make_staff())
    client.post("/moderation/revisions/", {"id": revision.pk, "action": "reject"})
    instructor.refresh_from_db()
    assert instructor.display_name == "Bob"
    assert InstructorRevision.objects.get().status == "rejected"


@pytest.mark.django_db
def test_only_moderators_decide_revisions(client: Client) -> None:
    instructor = _bob_published()
    revision = services.revision_submit(instructor=instructor, data=services.snapshot(instructor))
    assert client.post("/moderation/revisions/", {"id": revision.pk, "action": "approve"})[
        "Location"
    ].startswith("/accounts/login/")
    client.force_login(instructor.user)
    response = client.post("/moderation/revisions/", {"id": revision.pk, "action": "approve"})
    assert response.status_code == 403
    assert InstructorRevision.objects.get().status == "pending"


@pytest.mark.django_db
def test_a_first_profile_is_published_only_when_approved(client: Client) -> None:
    bob = make_bob()
    client.force_login(bob)
    client.post("/studio/profile/", _profile_post())
    instructor = Instructor.objects.get(user=bob)
    assert instructor.status == "pending"
    assert Client().get(instructor.get_absolute_url()).status_code == 404
    services.revision_approve(revision=instructor.revisions.get(), moderator=make_staff())
    assert Client().get(instructor.get_absolute_url()).status_code == 200


def _png(size: tuple[int, int] = (1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_a_photo_is_resized_to_two_sizes_and_shown_after_approval(client: Client) -> None:
    instructor = _bob_published()
    client.force_login(instructor.user)
    photo = SimpleUploadedFile("me.png", _png(), content_type="image/png")
    assert client.post("/studio/profile/", _profile_post(photo=photo)).status_code == 302
    revision = InstructorRevision.objects.get()
    assert Image.open(revision.photo).size == (800, 600)
    assert Image.open(revision.photo_small).size == (200, 150)
    services.revision_approve(revision=revision, moderator=make_staff())
    response = Client().get(f"/finder/{instructor.slug}/photo/large/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert Image.open(io.BytesIO(body)).size == (800, 600)


@pytest.mark.django_db
def test_a_non_image_or_oversized_photo_is_refused_with_the_reason(client: Client) -> None:
    instructor = _bob_published()
    client.force_login(instructor.user)
    text = SimpleUploadedFile("me.png", b"not an image", content_type="image/png")
    page = client.post("/studio/profile/", _profile_post(photo=text)).content.decode()
    assert "This file is not an image we can read." in page
    big = SimpleUploadedFile("big.png", b"\0" * (services.MAX_PHOTO_BYTES + 1))
    page = client.post("/studio/profile/", _profile_post(photo=big)).content.decode()
    assert "the limit is 5 MB" in page
    assert not InstructorRevision.objects.exists()


@pytest.mark.django_db
def test_an_unknown_city_is_a_form_error(client: Client) -> None:
    instructor = _bob_published()
    client.force_login(instructor.user)
    response = client.post(
        "/studio/profile/",
        {"action": "add_location", "name": "X", "city": "Xqzzy", "country": "DE"},
    )
    assert response.status_code == 400
    assert "We couldn&#x27;t find Xqzzy" in response.content.decode()
