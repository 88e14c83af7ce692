"""`{% site_name %}`: the site's name (SITE_NAME) in templates rendered without a request
(emails, the 500 page), where the context processor does not run. A builtin (settings)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    return settings.SITE_NAME
