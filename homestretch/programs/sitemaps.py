from homestretch.lib.sitemaps import SiteSitemap
from homestretch.programs.models import Program, ProgramQuerySet


class ProgramSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self) -> ProgramQuerySet:
        return Program.objects.published().order_by("pk")
