"""Fixed-window rate limits kept in Django's cache (Redis in production).

    rates = [Rate.parse("3/m"), Rate.parse("20/d")]
    if limited("comment", ["ip:" + client_ip(request), f"user:{user.pk}"], rates):
        return too_many_requests(request)

Every call counts as one attempt against each identity and each rate; the attempt is
refused when any counter is over its limit. Counters use `cache.add` then `cache.incr`,
which are atomic in Redis and in the local-memory cache, so parallel requests cannot both
slip under a limit. A fixed window lets a burst of up to twice the limit straddle a
window boundary; for spam control that is plenty.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# The clock the windows are counted on (tests pin it, so a window never rolls over in the
# middle of a test that counts attempts, however slow the machine).
clock = time.time


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """'3/m' is three a minute; '20/d' twenty a day; '5/30s' five in thirty seconds."""
        count, _, period = text.partition("/")
        number, unit = period[:-1] or "1", period[-1:]
        if not count.isdigit() or not number.isdigit() or unit not in _UNITS:
            raise ValueError(f"{text!r} is not a rate like 3/m or 20/d.")
        return cls(count=int(count), seconds=int(number) * _UNITS[unit])

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


def _hit(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def limited(scope: str, identities: Iterable[str], rates: Iterable[Rate]) -> bool:
    """Count one attempt; True when any identity is over any of the rates."""
    now = int(clock())
    over = False
    for identity in identities:
        for rate in rates:
            window = now // rate.seconds
            key = f"ratelimit:{scope}:{identity}:{rate.seconds}:{window}"
            if _hit(key, rate.seconds + 1) > rate.count:
                over = True
    return over
