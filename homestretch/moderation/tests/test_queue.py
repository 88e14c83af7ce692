import re

import pytest
from django.core import mail
from django.test import Client

from homestretch.accounts.testing import make_alice, make_bob
from homestretch.articles.models import Comment
from homestretch.articles.services import CommentError, comment_approve
from homestretch.articles.testing import make_article, make_comment, make_moderator
from homestretch.audit.models import AuditEntry

ACT = "/moderation/comments/"


@pytest.mark.django_db
def test_the_queue_is_for_moderators_only(client: Client) -> None:
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING)

    response = client.get("/moderation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(ACT, {"ids": comment.pk, "action": "approve"}).status_code == 302

    for someone in (make_alice(), make_bob()):  # a member, an instructor
        client.force_login(someone)
        assert client.get("/moderation/").status_code == 403
        assert client.post(ACT, {"ids": comment.pk, "action": "approve"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING

    client.force_login(make_moderator())
    response = client.get("/moderation/")
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", response.content.decode())) == 1


@pytest.mark.django_db
def test_it_shows_pending_spam_and_rejected_with_context(client: Client) -> None:
    article = make_article(title="Sleeping with SI pain")
    parent = make_comment(article, "The parent comment", name="Pat", email="pat@example.net")
    make_comment(article, "Earlier good one", name="Pat", email="pat@example.net")
    make_comment(
        article, "Earlier junk", name="Pat", email="pat@example.net", status=Comment.Status.SPAM
    )
    make_comment(
        article,
        "Look at [this](https://odd.example/offer) please",
        name="Pat",
        email="pat@example.net",
        parent=parent,
        status=Comment.Status.PENDING,
        hold_reason="edited",
    )
    make_comment(article, "Rejected words", status=Comment.Status.REJECTED)
    client.force_login(make_moderator())

    page = client.get("/moderation/").content.decode()
    assert "Sleeping with SI pain" in page
    assert "In reply to Pat" in page
    assert "The parent comment" in page
    assert "visitor · 2 approved · 1 spam" in page
    assert "<mark>https://odd.example/offer</mark>" in page
    assert "held: edited" in page
    assert "Earlier junk" not in page
    assert 'Pending <span class="count">(1)</span>' in page

    spam = client.get("/moderation/?view=spam").content.decode()
    assert "Earlier junk" in spam
    assert "Rejected words" not in spam
    assert "Rejected words" in client.get("/moderation/?view=rejected").content.decode()
    # The keyboard legend is on the page.
    assert "<kbd>j</kbd>" in page
    assert 'data-key="a"' in page


@pytest.mark.django_db
def test_approving_publishes_logs_and_tells_the_commenter(
    client: Client, django_capture_on_commit_callbacks
) -> None:
    article = make_article()
    comment = make_comment(article, "Please publish me", status=Comment.Status.PENDING)
    moderator = make_moderator()
    client.force_login(moderator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACT, {"ids": comment.pk, "action": "approve", "view": "pending"})
    assert response.status_code == 302
    assert response["Location"] == "/moderation/?view=pending"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.published_at is not None
    assert "Please publish me" in Client().get(f"/articles/{article.slug}/").content.decode()

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.from_status, entry.to_status) == (
        moderator,
        "comment.approve",
        "pending",
        "approved",
    )
    assert entry.item == comment
    assert entry.created_at is not None
    assert [m.to for m in mail.outbox] == [["visitor@example.net"]]


@pytest.mark.django_db
def test_bulk_actions_over_htmx_return_the_updated_queue(client: Client) -> None:
    article = make_article()
    first = make_comment(article, "One", status=Comment.Status.PENDING)
    second = make_comment(article, "Two", status=Comment.Status.PENDING)
    third = make_comment(article, "Three", status=Comment.Status.PENDING)
    client.force_login(make_moderator())

    response = client.post(
        ACT,
        {"ids": [first.pk, second.pk], "action": "spam", "view": "pending"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<div id="queue"')
    assert "Marked as spam: 2 comments." in fragment
    assert "Three" in fragment
    assert "One" not in fragment
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "spam", second.pk: "spam", third.pk: "pending"}
    assert AuditEntry.objects.filter(action="comment.spam").count() == 2

    client.post(ACT, {"ids": [first.pk], "action": "reject", "view": "spam"})
    assert Comment.objects.get(pk=first.pk).status == Comment.Status.REJECTED


@pytest.mark.django_db
def test_an_unknown_action_or_no_selection_changes_nothing(client: Client) -> None:
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING)
    client.force_login(make_moderator())
    assert client.post(ACT, {"ids": comment.pk, "action": "delete"}).status_code == 400
    response = client.post(ACT, {"action": "approve"}, HTTP_HX_REQUEST="true")
    assert "Select at least one comment first." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_acting_twice_logs_once(django_capture_on_commit_callbacks) -> None:
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING)
    moderator = make_moderator()
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(moderator=moderator, comment=comment)
        comment_approve(moderator=moderator, comment=comment)
    assert AuditEntry.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_service_refuses_someone_without_the_permission() -> None:
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING)
    with pytest.raises(CommentError):
        comment_approve(moderator=make_alice(), comment=comment)


@pytest.mark.django_db
def test_moderation_posts_need_the_csrf_token() -> None:
    article = make_article()
    comment = make_comment(article, status=Comment.Status.PENDING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_moderator())
    assert client.post(ACT, {"ids": comment.pk, "action": "approve"}).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.django_db
def test_the_queue_makes_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    article = make_article()
    parent = make_comment(article, "Parent")
    alice = make_alice()
    for n in range(30):
        make_comment(article, f"Held {n}", status=Comment.Status.PENDING, parent=parent)
        make_comment(article, f"Member {n}", status=Comment.Status.PENDING, user=alice)
    client.force_login(make_moderator())
    client.get("/moderation/")
    with django_assert_max_num_queries(16):
        assert client.get("/moderation/").status_code == 200


@pytest.mark.django_db
def test_each_htmx_decision_updates_the_pending_counts_out_of_band(client: Client) -> None:
    from homestretch.finder import services as finder_services
    from homestretch.finder.testing import make_instructor

    article = make_article()
    first = make_comment(article, "One", status=Comment.Status.PENDING)
    make_comment(article, "Two", status=Comment.Status.PENDING)
    instructor = make_instructor("Lena")
    data = {**finder_services.snapshot(instructor), "display_name": "Lena B."}
    revision = finder_services.revision_submit(instructor=instructor, data=data)
    client.force_login(make_moderator())
    page = client.get("/moderation/").content.decode()
    assert 'data-pending="comments">2</span> comments' in page
    assert 'data-pending="profiles">1</span> profile change<' in page

    fragment = client.post(
        ACT, {"ids": [first.pk], "action": "approve", "view": "pending"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    summary = fragment.split('<p id="pending-summary"')[1]
    assert summary.startswith(' class="pending-summary" hx-swap-oob="true">')
    assert 'data-pending="comments">1</span> comment<' in summary

    fragment = client.post(
        "/moderation/revisions/", {"id": revision.pk, "action": "approve"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert fragment.lstrip().startswith('<section aria-labelledby="revisions-heading"')
    assert "Approved: profile of Lena B." in fragment or "Approved: profile of Lena" in fragment
    assert 'data-pending="profiles">0</span> profile changes' in fragment
