"""WCAG 2.2 A/AA checks (axe-core) on the article pages and the moderation queue."""

from typing import Literal

import pytest
from playwright.sync_api import Browser

from homestretch.accounts.testing import PASSWORD
from homestretch.articles.models import Comment
from homestretch.articles.testing import make_article, make_comment, make_moderator
from tests.e2e.test_accessibility import _violations

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_article_pages_and_the_queue_pass_axe(
    browser: Browser, live_server, scheme: Literal["light", "dark"]
) -> None:
    article = make_article(finder_badge="NS")
    top = make_comment(article, "A [useful link](https://example.org) and *emphasis*.")
    make_comment(article, "A reply", parent=top)
    make_comment(article, "Held one https://a.example", status=Comment.Status.PENDING)
    make_moderator()
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    found = {}
    for path in [
        "/articles/",
        f"/articles/{article.slug}/",
        f"/articles/{article.slug}/?reply_to={top.pk}",
    ]:
        page.goto(f"{live_server.url}{path}")
        found[path] = _violations(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("mod@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/moderation/")
    found["/moderation/"] = _violations(page)
    context.close()
    assert {path: problems for path, problems in found.items() if problems} == {}
