import pytest
from django.test import Client

from homestretch.accounts.testing import make_alice
from homestretch.articles.models import Comment
from homestretch.articles.services import comment_edit, comment_submit
from homestretch.articles.testing import make_article, make_comment, post_comment


def _with_history(approved: int, spam: int = 0):
    article = make_article()
    alice = make_alice()
    for n in range(approved):
        make_comment(article, f"Good {n}", user=alice)
    for n in range(spam):
        make_comment(article, f"Bad {n}", user=alice, status=Comment.Status.SPAM)
    return article, alice


@pytest.mark.django_db
def test_auto_approval_is_off_by_default() -> None:
    article, alice = _with_history(approved=10)
    comment = comment_submit(article=article, user=alice, body="Hello again")
    assert comment.status == Comment.Status.PENDING


@pytest.mark.django_db
def test_a_member_with_enough_approved_comments_is_auto_approved(settings) -> None:
    settings.COMMENT_AUTO_APPROVE_AFTER = 3
    article, alice = _with_history(approved=3)
    comment = comment_submit(article=article, user=alice, body="Hello again")
    assert comment.status == Comment.Status.APPROVED
    assert comment.published_at is not None


@pytest.mark.django_db
def test_too_few_approved_comments_or_any_spam_mark_means_the_queue(settings) -> None:
    settings.COMMENT_AUTO_APPROVE_AFTER = 3
    article, alice = _with_history(approved=2)
    assert comment_submit(article=article, user=alice, body="x").status == Comment.Status.PENDING
    make_comment(article, "Good 3", user=alice)
    make_comment(article, "Bad", user=alice, status=Comment.Status.SPAM)
    assert comment_submit(article=article, user=alice, body="y").status == Comment.Status.PENDING


@pytest.mark.django_db
def test_typing_a_trusted_members_email_does_not_auto_approve(client: Client, settings) -> None:
    settings.COMMENT_AUTO_APPROVE_AFTER = 1
    article, _alice = _with_history(approved=5)
    # Her old comments also left visitor records under her address and name.
    make_comment(article, "As a visitor", name="Alice", email="alice@example.com")
    post_comment(client, article, name="Alice", email="alice@example.com", body="Impostor")
    comment = Comment.objects.get(body="Impostor")
    assert comment.status == Comment.Status.PENDING
    assert comment.user is None
    assert "Impostor" not in Client().get(f"/articles/{article.slug}/").content.decode()


@pytest.mark.django_db
def test_auto_approval_never_overrides_the_link_limit_or_an_edit(settings) -> None:
    settings.COMMENT_AUTO_APPROVE_AFTER = 1
    article, alice = _with_history(approved=5)
    many = "https://a.example https://b.example https://c.example"
    assert comment_submit(article=article, user=alice, body=many).status == Comment.Status.PENDING
    approved = comment_submit(article=article, user=alice, body="Fine")
    assert approved.status == Comment.Status.APPROVED
    edited = comment_edit(comment=approved, body="Fine, edited")
    assert edited.status == Comment.Status.PENDING
