"""Rate limits of the API, per address and per signed-in person, in the cache (Redis in
production, so every worker counts together). Past one, the answer is a 429 with
Retry-After. The rates are read on each request, so a test can change them."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from homestretch.lib.http import client_ip


class _SettingRate(SimpleRateThrottle):
    setting = ""

    def __init__(self) -> None:
        super().__init__(getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class PerAddress(_SettingRate):
    scope = "api-address"
    setting = "API_RATE_PER_ADDRESS"

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}


class PerUser(_SettingRate):
    scope = "api-user"
    setting = "API_RATE_PER_USER"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = request.user
        if not user.is_authenticated:
            return None  # a visitor is counted by address only
        return self.cache_format % {"scope": self.scope, "ident": user.pk}
