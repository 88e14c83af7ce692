"""The site's own name and address, from SITE_NAME and SITE_URL: one place, for page
titles (the context processor), emails (allauth's through the adapter) and feeds."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class Site:
    """What allauth's email templates read as `current_site` (`name`, `domain`)."""

    name: str
    domain: str


def current_site() -> Site:
    return Site(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


def site(request: HttpRequest) -> dict[str, str]:
    """Context processor: `SITE_NAME` and `SITE_URL` in every template."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL.rstrip("/")}
