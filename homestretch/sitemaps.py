"""The sitemap at /sitemap.xml, one section per app.

An app with public pages adds its Sitemap class to SITEMAPS; subclass
`homestretch.lib.sitemaps.SiteSitemap` so the addresses use SITE_URL.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from homestretch.articles.sitemaps import ArticleSitemap
from homestretch.finder.sitemaps import InstructorSitemap
from homestretch.lib.sitemaps import SiteSitemap
from homestretch.library.sitemaps import SequenceSitemap
from homestretch.programs.sitemaps import ProgramSitemap


class PagesSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["home", "library:index", "programs:index", "articles:list"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "sequences": SequenceSitemap,
    "programs": ProgramSitemap,
    "instructors": InstructorSitemap,
}
