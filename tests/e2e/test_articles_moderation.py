"""The whole path of a visitor's comment, in real Chromium: held, invisible to others,
approved from the keyboard in the queue, then public, with the commenter told by email."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from homestretch.accounts.testing import PASSWORD
from homestretch.articles.models import Comment
from homestretch.articles.testing import make_article, make_comment, make_moderator

pytestmark = pytest.mark.e2e


@contextmanager
def _fresh_page(browser: Browser) -> Iterator[Page]:
    """Another person's browser: no cookies shared; console errors fail the test."""
    context = browser.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert problems == []


def test_a_visitor_comment_is_held_then_approved_with_the_keyboard(
    page: Page, browser: Browser, live_server, settings
) -> None:
    settings.COMMENT_MIN_SECONDS = 1
    article = make_article(title="Sleeping with SI pain")
    make_comment(article, "Someone else's earlier question", status=Comment.Status.PENDING)
    make_moderator()
    url = f"{live_server.url}/articles/{article.slug}/"

    # 1. A visitor writes a comment and sees it held for moderation.
    page.goto(url)
    page.get_by_label("Your name").fill("Vera")
    page.get_by_label("Your email").fill("vera@example.net")
    page.get_by_label("Comment", exact=True).fill("A pillow between the knees *really* helps.")
    page.wait_for_timeout(1100)  # people take a moment; the form refuses instant posts
    page.get_by_role("button", name="Send for moderation").click()
    mine = page.locator("article.comment", has_text="A pillow between the knees")
    expect(mine).to_be_visible()
    expect(mine).to_contain_text("awaiting moderation")
    expect(mine.locator("em")).to_have_text("really")

    # 2. Nobody else can see it.
    with _fresh_page(browser) as stranger:
        stranger.goto(url)
        expect(stranger.get_by_role("heading", name="Comments (0)")).to_be_visible()
        expect(stranger.get_by_text("A pillow between the knees")).to_have_count(0)

    # 3. A moderator approves it from the keyboard: j to the second item, a to approve.
    with _fresh_page(browser) as moderator:
        moderator.goto(f"{live_server.url}/accounts/login/")
        moderator.get_by_label("Email").fill("mod@example.com")
        moderator.get_by_label("Password", exact=True).fill(PASSWORD)
        moderator.get_by_role("button", name="Log in").click()
        moderator.goto(f"{live_server.url}/moderation/")
        expect(moderator.get_by_role("heading", level=1)).to_have_text("Moderation")
        expect(moderator.get_by_text("next / previous comment")).to_be_visible()
        items = moderator.locator(".queue-item")
        expect(items).to_have_count(2)
        moderator.evaluate("window.beforeActing = 'still here'")

        moderator.keyboard.press("j")
        expect(items.nth(1)).to_be_focused()
        expect(items.nth(1)).to_contain_text("A pillow between the knees")
        moderator.keyboard.press("k")
        expect(items.nth(0)).to_be_focused()
        moderator.keyboard.press("j")
        moderator.keyboard.press("a")

        expect(
            moderator.get_by_role("status").filter(has_text="Approved: 1 comment.")
        ).to_be_visible()
        expect(items).to_have_count(1)
        expect(items.nth(0)).to_contain_text("Someone else's earlier question")
        expect(items.nth(0)).to_be_focused()
        assert moderator.evaluate("window.beforeActing") == "still here"  # htmx, no reload

    # 4. It is public now, and Vera has her email.
    with _fresh_page(browser) as stranger:
        stranger.goto(url)
        expect(stranger.get_by_role("heading", name="Comments (1)")).to_be_visible()
        public = stranger.locator("article.comment", has_text="A pillow between the knees")
        expect(public).to_be_visible()
        expect(public).not_to_contain_text("awaiting moderation")
        expect(stranger.get_by_text("Someone else's earlier question")).to_have_count(0)

    comment = Comment.objects.get(name="Vera")
    assert comment.status == Comment.Status.APPROVED
    published = [m for m in mail.outbox if m.to == ["vera@example.net"]]
    assert [m.subject for m in published] == ["[Homestretch] Your comment is published"]
    assert f"#comment-{comment.pk}" in published[0].body


def test_spam_and_reject_keys_and_bulk_selection_work_in_place(page: Page, live_server) -> None:
    article = make_article()
    for n in range(4):
        make_comment(article, f"Held comment {n}", status=Comment.Status.PENDING)
    make_moderator()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mod@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/moderation/")
    items = page.locator(".queue-item")

    page.keyboard.press("s")
    expect(page.get_by_role("status").filter(has_text="Marked as spam: 1 comment.")).to_be_visible()
    page.keyboard.press("r")
    expect(page.get_by_role("status").filter(has_text="Rejected: 1 comment.")).to_be_visible()
    expect(items).to_have_count(2)

    page.locator(".queue-item input[type=checkbox]").nth(0).check()
    page.locator(".queue-item input[type=checkbox]").nth(1).check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_role("status").filter(has_text="Approved: 2 comments.")).to_be_visible()
    expect(items).to_have_count(0)
    statuses = sorted(Comment.objects.values_list("status", flat=True))
    assert statuses == ["approved", "approved", "rejected", "spam"]
    expect(page.get_by_role("link", name="Spam (1)")).to_be_visible()


def test_the_pending_count_follows_each_decision(page: Page, live_server) -> None:
    from homestretch.finder import services as finder_services
    from homestretch.finder.testing import make_instructor

    article = make_article()
    for n in range(3):
        make_comment(article, f"Held comment {n}", status=Comment.Status.PENDING)
    instructor = make_instructor("Lena")
    data = {**finder_services.snapshot(instructor), "display_name": "Lena Berg"}
    finder_services.revision_submit(instructor=instructor, data=data)
    make_moderator()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mod@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/moderation/")
    summary = page.locator("#pending-summary")
    expect(summary).to_have_text("Waiting: 3 comments, 1 profile change.")
    page.evaluate("window.beforeActing = 'still here'")

    page.locator("#queue .queue-item").first.get_by_role("button", name="Approve").click()
    expect(summary).to_have_text("Waiting: 2 comments, 1 profile change.")
    expect(page.get_by_role("link", name="Pending (2)")).to_be_visible()
    page.keyboard.press("s")
    expect(summary).to_have_text("Waiting: 1 comment, 1 profile change.")

    page.locator("#revisions").get_by_role("button", name="Approve").click()
    expect(page.locator("#revisions").get_by_role("status")).to_have_text(
        "Approved: profile of Lena Berg."
    )
    expect(summary).to_have_text("Waiting: 1 comment, 0 profile changes.")
    assert page.evaluate("window.beforeActing") == "still here"  # htmx, no reload
