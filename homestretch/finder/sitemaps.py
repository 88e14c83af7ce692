from datetime import datetime

from homestretch.finder.models import Instructor, InstructorQuerySet
from homestretch.lib.sitemaps import SiteSitemap


class InstructorSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self) -> InstructorQuerySet:
        return Instructor.objects.published().order_by("pk")

    def lastmod(self, item: Instructor) -> datetime:
        return item.updated_at
