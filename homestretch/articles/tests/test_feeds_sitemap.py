from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from homestretch.articles.models import Article, Comment, Tag
from homestretch.articles.testing import make_article, make_comment
from homestretch.library.testing import make_sequence

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def site(settings) -> None:
    settings.SITE_URL = "https://homestretch.example.org"


@pytest.mark.django_db
def test_the_atom_feed_parses_and_links_its_rss_twin(client: Client, site) -> None:
    article = make_article("si-joint", title="SI joint pain", summary="What may help.")
    article.tags.add(Tag.objects.create(name="SI joint", slug="si-joint"))
    make_article("draft", title="Secret draft", status=Article.Status.DRAFT, published_at=None)
    make_comment(article, "A pending secret", status=Comment.Status.PENDING)

    response = client.get("/articles/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Homestretch articles"
    [entry] = feed.entries
    assert entry.title == "SI joint pain"
    assert entry.link == "https://homestretch.example.org/articles/si-joint/"
    assert entry.summary == "What may help."
    assert [tag.term for tag in entry.tags] == ["SI joint"]
    rss_links = [link for link in feed.feed.links if link.type == "application/rss+xml"]
    assert [link.href for link in rss_links] == [
        "https://homestretch.example.org/articles/feed/rss/"
    ]
    assert b"Secret draft" not in response.content
    assert b"pending secret" not in response.content


@pytest.mark.django_db
def test_the_rss_feed_parses(client: Client, site) -> None:
    make_article("si-joint", title="SI joint pain")
    response = client.get("/articles/feed/rss/")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert [e.link for e in feed.entries] == ["https://homestretch.example.org/articles/si-joint/"]


@pytest.mark.django_db
def test_the_feed_is_served_from_cache_until_an_article_changes(
    client: Client, django_assert_num_queries
) -> None:
    make_article("one", title="One")
    first = client.get("/articles/feed/").content
    with django_assert_num_queries(1):  # the freshness check only
        assert client.get("/articles/feed/").content == first

    later = make_article(
        "two",
        title="Two",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert client.get("/articles/feed/").content == first  # not public yet
    Article.objects.filter(pk=later.pk).update(published_at=timezone.now())
    assert [e.title for e in feedparser.parse(client.get("/articles/feed/").content).entries] == [
        "Two",
        "One",
    ]


@pytest.mark.django_db
def test_the_sitemap_is_valid_xml_listing_public_articles(client: Client, site) -> None:
    make_article("si-joint")
    make_article("draft", status=Article.Status.DRAFT, published_at=None)
    make_sequence("pelvic-clock")
    make_sequence("unfinished", status="draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == f"{SITEMAP_NS}urlset"
    locations = [url.findtext(f"{SITEMAP_NS}loc") for url in root.iter(f"{SITEMAP_NS}url")]
    assert locations == [
        "https://homestretch.example.org/",
        "https://homestretch.example.org/library/",
        "https://homestretch.example.org/programs/",
        "https://homestretch.example.org/articles/",
        "https://homestretch.example.org/articles/si-joint/",
        "https://homestretch.example.org/library/pelvic-clock/",
    ]
    lastmods = [url.findtext(f"{SITEMAP_NS}lastmod") for url in root.iter(f"{SITEMAP_NS}url")]
    assert lastmods[4]  # the article
    assert lastmods[5]  # the sequence
