"""The articles feed: Atom at /articles/feed/, RSS at /articles/feed/rss/.

A feed is rebuilt only when what it shows changes: the cache key is the count and the
latest publication and edit times of the published articles, which one small query
reads. A scheduled article changes that key the moment its time comes, so it appears
without anything having to run.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_GET

from homestretch.articles.models import Article

FEED_SIZE = 20
CACHE_SECONDS = 3600


class AtomWithRssFeed(Atom1Feed):
    """Atom that also links to its RSS twin, for readers that prefer RSS."""

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        handler.addQuickElement(
            "link",
            "",
            {"rel": "alternate", "type": "application/rss+xml", "href": self.feed["rss_url"]},
        )


class ArticlesAtomFeed(Feed):
    feed_type: type[SyndicationFeed] = AtomWithRssFeed

    def title(self) -> str:
        return f"{settings.SITE_NAME} articles"

    def subtitle(self) -> str:
        return f"Self-care for SI joint and pelvic pain, from the {settings.SITE_NAME} studio."

    def link(self) -> str:
        return settings.SITE_URL + reverse("articles:list")

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("articles:feed")

    def feed_extra_kwargs(self, obj: Any) -> dict[str, Any]:
        return {"rss_url": settings.SITE_URL + reverse("articles:feed_rss")}

    def items(self) -> list[Article]:
        return list(
            Article.objects.published()
            .select_related("author")
            .prefetch_related("tags")[:FEED_SIZE]
        )

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return settings.SITE_URL + item.get_absolute_url()

    def item_author_name(self, item: Article) -> str:
        return item.author.get_full_name()

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class ArticlesRssFeed(ArticlesAtomFeed):
    feed_type = Rss201rev2Feed

    def description(self) -> str:
        return self.subtitle()

    def feed_url(self) -> str:
        return settings.SITE_URL + reverse("articles:feed_rss")


def _cached(feed: Feed, name: str) -> Callable[[HttpRequest], HttpResponse]:
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        state = Article.objects.published().aggregate(
            count=Count("pk"), published=Max("published_at"), updated=Max("updated_at")
        )
        key = "articles:feed:{}:{}:{}:{}".format(
            name,
            state["count"],
            state["published"].timestamp() if state["published"] else 0,
            state["updated"].timestamp() if state["updated"] else 0,
        )
        cached = cache.get(key)
        if cached is None:
            response = feed(request)
            cached = (response.content, response["Content-Type"])
            cache.set(key, cached, CACHE_SECONDS)
        response = HttpResponse(cached[0], content_type=cached[1])
        response["Cache-Control"] = "public, max-age=300"
        return response

    return view


atom_feed = _cached(ArticlesAtomFeed(), "atom")
rss_feed = _cached(ArticlesRssFeed(), "rss")
