from collections.abc import Callable
from functools import cache
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from homestretch.accounts.models import User
from homestretch.accounts.site import current_site
from homestretch.accounts.tasks import queue_email

LoginRedirect = Callable[[User], str | None]


@cache
def _rules(paths: tuple[str, ...]) -> tuple[LoginRedirect, ...]:
    return tuple(import_string(path) for path in paths)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Queue allauth's emails, naming the site from SITE_NAME and SITE_URL: without
        django.contrib.sites, allauth would name it after the request's host, or nothing
        when there is no request ("Hello from !")."""
        context = {**context, "email": email, "current_site": current_site()}
        queue_email(self.render_mail(template_prefix, email, context))

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """After logging in (an explicit `next` still wins): the first of
        LOGIN_REDIRECT_RULES with somewhere to go (apps above this floor offer them, e.g. a
        pending homework invitation), else the member's page."""
        user = request.user
        if isinstance(user, User):
            for rule in _rules(tuple(settings.LOGIN_REDIRECT_RULES)):
                url = rule(user)
                if url:
                    return url
        return super().get_login_redirect_url(request)
