import pytest
from django.core import mail
from django.test import Client

from homestretch.accounts.testing import make_alice, make_charlie, make_user
from homestretch.articles.models import Article, Comment
from homestretch.articles.testing import (
    comment_form,
    make_article,
    make_comment,
    make_moderator,
    post_comment,
)


@pytest.mark.django_db
def test_a_visitor_comment_is_held_and_only_its_writer_sees_it(client: Client) -> None:
    article = make_article()
    response = post_comment(client, article, body="My *first* comment")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{article.slug}/#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert (comment.name, comment.email) == ("Vera", "vera@example.net")

    mine = client.get(f"/articles/{article.slug}/").content.decode()
    assert "<em>first</em>" in mine
    assert "awaiting moderation" in mine
    assert "Comments (0)" in mine  # the public count does not include it

    other = Client().get(f"/articles/{article.slug}/").content.decode()
    assert "first" not in other
    assert "Comments (0)" in other
    assert "vera@example.net" not in mine + other  # the email is never shown


@pytest.mark.django_db
def test_a_pending_comment_is_invisible_to_other_members(client: Client) -> None:
    article = make_article()
    alice_client = Client()
    alice_client.force_login(make_alice())
    post_comment(alice_client, article, body="Alice's pending thought")
    client.force_login(make_charlie())
    assert (
        "Alice's pending thought" not in client.get(f"/articles/{article.slug}/").content.decode()
    )
    assert "pending thought" in alice_client.get(f"/articles/{article.slug}/").content.decode()


@pytest.mark.django_db
def test_a_member_comments_as_themselves_without_name_or_email(client: Client) -> None:
    article = make_article()
    alice = make_alice()
    client.force_login(alice)
    page = client.get(f"/articles/{article.slug}/").content.decode()
    assert 'name="email"' not in page
    assert "You are commenting as Alice" in page
    post_comment(client, article, name="", email="", body="From my account")
    comment = Comment.objects.get()
    assert comment.user == alice
    assert (comment.name, comment.email) == ("", "")
    assert comment.display_name == "Alice"


@pytest.mark.django_db
def test_a_visitor_must_give_a_name_and_a_valid_email(client: Client) -> None:
    article = make_article()
    response = post_comment(client, article, name="", email="not-an-email")
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_replies_go_one_level_deep(client: Client) -> None:
    article = make_article()
    top = make_comment(article, "Top")
    reply = make_comment(article, "Reply", parent=top)
    post_comment(client, article, body="Reply to the reply", parent=reply.pk)
    newest = Comment.objects.latest("pk")
    assert newest.parent == top

    page = client.get(f"/articles/{article.slug}/?reply_to={top.pk}").content.decode()
    assert "Reply to Visitor" in page
    assert f'name="parent" value="{top.pk}"' in page


@pytest.mark.django_db
def test_one_cannot_reply_to_a_comment_that_is_not_public(client: Client) -> None:
    article = make_article()
    held = make_comment(article, "Held", status=Comment.Status.PENDING)
    response = post_comment(client, article, parent=held.pk)
    assert response.status_code == 400
    assert "not available" in response.content.decode()
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_comments_cannot_be_posted_to_closed_or_unpublished_articles(client: Client) -> None:
    closed = make_article("closed", comments_open=False)
    assert post_comment(client, closed).status_code == 400
    draft = make_article("draft", status=Article.Status.DRAFT, published_at=None)
    assert post_comment(client, draft).status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_rejects_the_comment(client: Client) -> None:
    article = make_article()
    response = post_comment(client, article, website="https://spam.example")
    assert response.status_code == 400
    assert "couldn&#x27;t accept this comment" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_too_fast_submission_is_rejected(client: Client, settings) -> None:
    settings.COMMENT_MIN_SECONDS = 3
    article = make_article()
    response = post_comment(client, article, waited=0.5)
    assert response.status_code == 400
    assert "quicker than we expected" in response.content.decode()
    assert not Comment.objects.exists()
    assert post_comment(client, article, waited=4).status_code == 302


@pytest.mark.django_db
def test_a_forged_or_borrowed_timestamp_is_rejected(client: Client) -> None:
    article = make_article()
    other = make_article("other")
    assert post_comment(client, article, started="1:forged").status_code == 400
    borrowed = post_comment(client, other, waited=60)  # a valid form for another article
    assert borrowed.status_code == 302
    data = comment_form(other)
    response = client.post(f"/articles/{article.slug}/comments/", data)
    assert response.status_code == 400
    assert Comment.objects.filter(article=article).count() == 0


@pytest.mark.django_db
def test_the_rate_limit_answers_429_per_address(client: Client, settings) -> None:
    settings.COMMENT_RATE_PER_MINUTE = 3
    article = make_article()
    for n in range(3):
        assert post_comment(client, article, body=f"Comment {n}").status_code == 302
    response = post_comment(client, article, body="One too many")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Slow down a little" in response.content.decode()
    assert Comment.objects.count() == 3
    # Someone at another address is not affected.
    assert post_comment(Client(REMOTE_ADDR="198.51.100.4"), article).status_code == 302


@pytest.mark.django_db
def test_the_rate_limit_follows_the_account_across_addresses(settings) -> None:
    settings.COMMENT_RATE_PER_MINUTE = 50
    settings.COMMENT_RATE_PER_DAY = 2
    article = make_article()
    alice = make_alice()
    for n, address in enumerate(["203.0.113.1", "203.0.113.2", "203.0.113.3"]):
        client = Client(REMOTE_ADDR=address)
        client.force_login(alice)
        response = post_comment(client, article, body=f"From {address}")
        assert response.status_code == (302 if n < 2 else 429)


@pytest.mark.django_db
def test_more_than_two_links_hold_the_comment_with_a_reason(client: Client) -> None:
    article = make_article()
    body = "See https://a.example and [b](https://b.example) and www.c.example"
    post_comment(client, article, body=body)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "3 links (more than 2)"


@pytest.mark.django_db
def test_a_blocked_word_sends_the_comment_to_spam(
    client: Client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.COMMENT_BLOCKED_WORDS = ["casino"]
    article = make_article()
    make_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, article, body="Best CASINO bonus here")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.hold_reason == "blocked word: casino"
    assert response.status_code == 302
    assert mail.outbox == []  # spam wakes no moderator
    # A word merely containing it is fine, and that one does wake them.
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article, body="Occasional casinos? No: occasionally I rest.")
    assert Comment.objects.latest("pk").status == Comment.Status.PENDING
    assert [m.to for m in mail.outbox] == [["mod@example.com"]]


@pytest.mark.django_db
def test_comment_posting_needs_the_csrf_token() -> None:
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    assert post_comment(client, article).status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_a_hostile_name_is_shown_as_text(client: Client) -> None:
    article = make_article()
    top = make_comment(article, "Hi", name='<img src=x onerror="alert(1)">')
    make_comment(article, "Reply", parent=top)
    page = client.get(f"/articles/{article.slug}/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert 'aria-label="Replies to &lt;img' in page


@pytest.mark.django_db
def test_a_member_without_a_display_name_is_not_shown_by_their_email(client: Client) -> None:
    article = make_article()
    make_comment(article, "Hello", user=make_user("maria.lopez@example.com"))
    page = client.get(f"/articles/{article.slug}/").content.decode()
    assert "A member" in page
    assert "maria.lopez" not in page
