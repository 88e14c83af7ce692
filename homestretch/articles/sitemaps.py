from datetime import datetime

from homestretch.articles.models import Article, ArticleQuerySet
from homestretch.lib.sitemaps import SiteSitemap


class ArticleSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> ArticleQuerySet:
        return Article.objects.published().order_by("pk")

    def lastmod(self, item: Article) -> datetime:
        return item.updated_at
