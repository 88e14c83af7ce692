import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.articles.models import Comment, DigestState, EmailOptOut
from homestretch.articles.notifications import (
    read_unsubscribe_token,
    send_moderation_digest,
    unsubscribe_token,
)
from homestretch.articles.services import comment_approve, comment_submit
from homestretch.articles.tasks import moderation_digest_request
from homestretch.articles.testing import make_article, make_comment, make_moderator


def _unsubscribe_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/articles/unsubscribe/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_the_commenter_is_told_once_when_their_comment_is_published(
    django_capture_on_commit_callbacks, settings
) -> None:
    settings.SITE_URL = "https://homestretch.example.org"
    article = make_article(title="Sleeping well")
    comment = make_comment(article, status=Comment.Status.PENDING, email="vera@example.net")
    moderator = make_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(moderator=moderator, comment=comment)
    [message] = mail.outbox
    assert message.to == ["vera@example.net"]
    assert message.subject == "[Homestretch] Your comment is published"
    assert "Sleeping well" in message.body
    assert f"https://homestretch.example.org/articles/si-joint-basics/#comment-{comment.pk}" in (
        message.body
    )
    assert "https://homestretch.example.org/articles/unsubscribe/" in message.body

    # Re-approved after an edit: no second "published" email.
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(moderator=moderator, comment=comment)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_reply_notifies_the_parent_author_only_if_they_opted_in(
    django_capture_on_commit_callbacks,
) -> None:
    article = make_article()
    alice = make_alice()
    opted_in = make_comment(article, "Asked", user=alice, notify_replies=True)
    not_opted = make_comment(article, "Quiet", name="Quinn", email="quinn@example.net")
    moderator = make_moderator()
    charlie = make_charlie()
    with django_capture_on_commit_callbacks(execute=True):
        reply_one = comment_submit(article=article, user=charlie, body="Answer", parent=opted_in)
        reply_two = comment_submit(article=article, user=charlie, body="Other", parent=not_opted)
    mail.outbox.clear()  # the moderators' digest
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(moderator=moderator, comment=reply_one)
        comment_approve(moderator=moderator, comment=reply_two)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["alice@example.com", "charlie@example.com", "charlie@example.com"]
    reply_mail = next(m for m in mail.outbox if m.to == ["alice@example.com"])
    assert reply_mail.subject == "[Homestretch] Charlie replied to your comment"
    assert "Answer" in reply_mail.body
    assert "/articles/unsubscribe/" in reply_mail.body


@pytest.mark.django_db
def test_the_unsubscribe_link_works_in_one_click_and_cannot_be_forged(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING, email="vera@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(moderator=make_moderator(), comment=comment)
    path = _unsubscribe_path(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "vera@example.net" in page.content.decode()
    assert not EmailOptOut.objects.exists()  # a link scanner's GET changes nothing
    done = client.post(path)
    assert "You are unsubscribed" in done.content.decode()
    assert EmailOptOut.has("vera@example.net", EmailOptOut.Topic.PUBLISHED)

    token = path.rstrip("/").rsplit("/", 1)[1]
    payload = token.split(":", 1)[0]
    eve = unsubscribe_token("eve@example.net", EmailOptOut.Topic.PUBLISHED).split(":", 1)[0]
    forged = path.replace(payload, eve)  # Eve's address under Vera's signature
    assert client.get(forged).status_code == 400
    assert client.post(forged).status_code == 400
    assert EmailOptOut.objects.count() == 1

    # Opted out: the next published comment sends nothing to that address.
    mail.outbox.clear()
    second = make_comment(article, status=Comment.Status.PENDING, email="vera@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(moderator=make_moderator("mod2@example.com"), comment=second)
    assert mail.outbox == []


@pytest.mark.django_db
def test_moderators_get_at_most_one_digest_an_hour(django_capture_on_commit_callbacks) -> None:
    article = make_article()
    make_moderator()
    make_alice()  # not a moderator: gets nothing
    with django_capture_on_commit_callbacks(execute=True):
        comment_submit(article=article, body="First", name="A", email="a@example.net")
        comment_submit(article=article, body="Second", name="B", email="b@example.net")
    [digest] = mail.outbox
    assert digest.to == ["mod@example.com"]
    assert digest.subject == "[Homestretch] 2 comments awaiting moderation"
    assert "/moderation/" in digest.body
    assert "/articles/unsubscribe/" in digest.body

    # An hour later, the next pending comment brings a digest of everything waiting.
    DigestState.objects.update(last_sent_at=timezone.now() - timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        comment_submit(article=article, body="Third", name="C", email="c@example.net")
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "[Homestretch] 3 comments awaiting moderation"
    assert "Second" in mail.outbox[1].body


@pytest.mark.django_db
def test_within_the_hour_a_digest_is_booked_for_later_where_the_backend_can(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    last = timezone.now() - timedelta(minutes=20)
    DigestState.objects.create(pk=1, last_sent_at=last)
    make_comment(make_article(), status=Comment.Status.PENDING)

    moderation_digest_request()
    moderation_digest_request()  # a second comment finds the booking and adds nothing

    [result] = default_task_backend.results  # type: ignore[attr-defined]
    assert result.task.run_after == last + timedelta(hours=1)
    assert DigestState.objects.get().scheduled_for == last + timedelta(hours=1)
    default_task_backend.clear()  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_a_digest_task_that_runs_early_or_finds_nothing_sends_nothing() -> None:
    make_moderator()
    assert send_moderation_digest() == 0  # nothing pending
    make_comment(make_article(), status=Comment.Status.PENDING)
    DigestState.objects.update(last_sent_at=timezone.now() - timedelta(minutes=5))
    assert send_moderation_digest() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_moderator_can_turn_the_digest_off(django_capture_on_commit_callbacks) -> None:
    moderator = make_moderator()
    EmailOptOut.objects.create(email=moderator.email, topic=EmailOptOut.Topic.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        comment_submit(article=make_article(), body="Hi", name="A", email="a@example.net")
    assert mail.outbox == []


def test_tokens_name_their_topic() -> None:
    token = unsubscribe_token("Vera@Example.net", EmailOptOut.Topic.REPLIES)
    assert read_unsubscribe_token(token) == ("vera@example.net", EmailOptOut.Topic.REPLIES)
