from datetime import datetime

from homestretch.lib.sitemaps import SiteSitemap
from homestretch.library.models import Sequence, SequenceQuerySet


class SequenceSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> SequenceQuerySet:
        return Sequence.objects.published().order_by("pk")

    def lastmod(self, item: Sequence) -> datetime:
        return item.updated_at
