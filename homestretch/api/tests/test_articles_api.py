import pytest
from django.test import Client

from homestretch.accounts.testing import make_alice
from homestretch.articles.models import Article, Comment
from homestretch.articles.testing import make_article, make_comment, post_comment


@pytest.mark.django_db
def test_the_api_lists_published_articles_with_public_comment_counts(client: Client) -> None:
    article = make_article("si-joint", title="SI joint pain", finder_badge="NS")
    make_article("draft", status=Article.Status.DRAFT, published_at=None)
    make_comment(article, "Public")
    make_comment(article, "Held", status=Comment.Status.PENDING)
    make_comment(article, "Junk", status=Comment.Status.SPAM)

    listed = client.get("/api/articles").json()["items"]
    assert [(a["slug"], a["comment_count"]) for a in listed] == [("si-joint", 1)]
    detail = client.get("/api/articles/si-joint").json()
    assert detail["comment_count"] == 1
    assert detail["finder_badge"] == "NS"
    assert detail["toc"][0]["anchor"] == "h-why-it-hurts"
    assert client.get("/api/articles/draft").status_code == 404


@pytest.mark.django_db
def test_the_api_never_shows_a_pending_comment_not_even_to_its_writer(client: Client) -> None:
    article = make_article()
    alice = make_alice()
    client.force_login(alice)
    make_comment(article, "Approved words")
    post_comment(client, article, body="My pending words")
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 1

    for who in (client, Client()):
        bodies = [
            c["body_html"]
            for c in who.get(f"/api/articles/{article.slug}/comments").json()["items"]
        ]
        assert bodies == ["<p>Approved words</p>\n"]


@pytest.mark.django_db
def test_the_api_hides_replies_under_a_comment_that_went_back_to_the_queue(client: Client) -> None:
    article = make_article()
    parent = make_comment(article, "Edited, held again", status=Comment.Status.PENDING)
    make_comment(article, "A reply", parent=parent)
    assert client.get(f"/api/articles/{article.slug}/comments").json()["items"] == []


@pytest.mark.django_db
def test_the_openapi_description_includes_articles(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/articles/{slug}/comments" in paths
