import pytest
from django.core import mail
from django.test import Client

from homestretch.finder.models import ContactMessage
from homestretch.finder.testing import make_instructor

MESSAGE = {"name": "Maya", "email": "maya@example.org", "body": "Do you have room on Tuesdays?"}


@pytest.mark.django_db
def test_a_message_is_emailed_with_reply_to_and_kept_in_the_inbox(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    instructor = make_instructor("Bob Teacher")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(instructor.get_absolute_url(), MESSAGE)
    assert response.status_code == 302
    assert response["Location"] == f"{instructor.get_absolute_url()}?sent=1#contact"
    [email] = mail.outbox
    assert email.to == [instructor.user.email]
    assert email.reply_to == ["maya@example.org"]
    assert "Do you have room on Tuesdays?" in email.body
    kept = ContactMessage.objects.get()
    assert (kept.instructor, kept.sender_email) == (instructor, "maya@example.org")
    page = client.get(response["Location"]).content.decode()
    assert "Your message is on its way" in page


@pytest.mark.django_db
def test_the_instructors_email_is_never_on_the_page(client: Client) -> None:
    instructor = make_instructor("Bob Teacher")
    assert instructor.user.email not in client.get(instructor.get_absolute_url()).content.decode()
    bad = client.post(instructor.get_absolute_url(), {**MESSAGE, "email": "nope"})
    assert bad.status_code == 400
    assert instructor.user.email not in bad.content.decode()


@pytest.mark.django_db
def test_the_honeypot_quietly_drops_a_bots_message(client: Client) -> None:
    instructor = make_instructor()
    response = client.post(instructor.get_absolute_url(), {**MESSAGE, "website": "http://spam"})
    assert response.status_code == 302
    assert mail.outbox == []
    assert not ContactMessage.objects.exists()


@pytest.mark.django_db
def test_messages_are_rate_limited_per_address(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    instructor = make_instructor()
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                instructor.get_absolute_url(), {**MESSAGE, "email": f"p{n}@example.org"}
            ).status_code
            for n in range(4)
        ]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_messages_are_rate_limited_per_sender_across_addresses() -> None:
    instructor = make_instructor()
    statuses = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(instructor.get_absolute_url(), MESSAGE).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.django_db
def test_an_unpublished_profile_is_not_found(client: Client) -> None:
    instructor = make_instructor(status="draft")
    assert client.get(instructor.get_absolute_url()).status_code == 404
    assert client.post(instructor.get_absolute_url(), MESSAGE).status_code == 404
    assert mail.outbox == []
