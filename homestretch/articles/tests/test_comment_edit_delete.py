from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.articles.models import Comment
from homestretch.articles.services import comment_edit
from homestretch.articles.testing import make_article, make_comment, post_comment


def _published_by(client: Client, article) -> Comment:
    post_comment(client, article, body="First words")
    comment = Comment.objects.latest("pk")
    Comment.objects.filter(pk=comment.pk).update(
        status=Comment.Status.APPROVED, published_at=timezone.now()
    )
    return comment


@pytest.mark.django_db
def test_an_edit_re_queues_a_published_comment(client: Client) -> None:
    article = make_article()
    comment = _published_by(client, article)
    assert "First words" in Client().get(f"/articles/{article.slug}/").content.decode()

    response = client.post(f"/articles/comments/{comment.pk}/edit/", {"body": "Second words"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "edited"
    assert comment.edited_at is not None
    public = Client().get(f"/articles/{article.slug}/").content.decode()
    assert "Second words" not in public
    assert "First words" not in public
    mine = client.get(f"/articles/{article.slug}/").content.decode()
    assert "Second words" in mine
    assert "awaiting moderation" in mine


@pytest.mark.django_db
def test_a_member_can_edit_their_own_comment_within_15_minutes_only(client: Client) -> None:
    article = make_article()
    alice = make_alice()
    comment = make_comment(article, "Mine", user=alice)
    client.force_login(alice)
    assert client.get(f"/articles/comments/{comment.pk}/edit/").status_code == 200

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    response = client.post(f"/articles/comments/{comment.pk}/edit/", {"body": "Changed"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Mine", Comment.Status.APPROVED)
    assert (
        "Edit"
        not in client.get(f"/articles/{article.slug}/").content.decode().split("comment-actions")[1]
    )


@pytest.mark.django_db
def test_others_cannot_edit_or_delete_a_comment_and_learn_nothing(client: Client) -> None:
    article = make_article()
    alice = make_alice()
    comment = make_comment(article, "Alice's", user=alice)
    visitor_comment = make_comment(article, "A visitor's")
    urls = [
        f"/articles/comments/{comment.pk}/edit/",
        f"/articles/comments/{comment.pk}/delete/",
        f"/articles/comments/{visitor_comment.pk}/edit/",
        f"/articles/comments/{visitor_comment.pk}/delete/",
    ]
    client.force_login(make_charlie())
    for as_who in (Client(), client):
        for url in urls:
            assert as_who.get(url).status_code == 404
            assert as_who.post(url, {"body": "Hacked"}).status_code == 404
    assert Comment.objects.filter(body="Hacked").count() == 0
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_a_visitor_can_delete_their_own_comment(client: Client) -> None:
    article = make_article()
    post_comment(client, article, body="Oops")
    comment = Comment.objects.get()
    assert client.get(f"/articles/comments/{comment.pk}/delete/").status_code == 200
    response = client.post(f"/articles/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_deleting_a_comment_with_replies_erases_it_but_keeps_the_thread(client: Client) -> None:
    article = make_article()
    alice = make_alice()
    top = make_comment(article, "Question", user=alice, notify_replies=True)
    make_comment(article, "Answer", parent=top)
    client.force_login(alice)
    client.post(f"/articles/comments/{top.pk}/delete/")
    top.refresh_from_db()
    assert top.removed
    assert (top.body, top.body_html, top.notify_replies) == ("", "", False)
    page = Client().get(f"/articles/{article.slug}/").content.decode()
    assert "deleted by its author" in page
    assert "Answer" in page
    assert "Comments (1)" in page


@pytest.mark.django_db
def test_editing_a_spam_comment_keeps_it_spam() -> None:
    article = make_article()
    comment = make_comment(article, "junk", status=Comment.Status.SPAM, hold_reason="blocked word")
    comment_edit(comment=comment, body="Now innocent")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM
