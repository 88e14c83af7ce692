import pytest

from homestretch.lib.ratelimit import Rate, limited


def test_rates_parse_from_short_text() -> None:
    assert Rate.parse("3/m") == Rate(3, 60)
    assert Rate.parse("20/d") == Rate(20, 86400)
    assert Rate.parse("5/30s") == Rate(5, 30)
    for bad in ("three/m", "3/w", "3", "/m"):
        with pytest.raises(ValueError, match="not a rate"):
            Rate.parse(bad)


def test_it_refuses_the_attempt_after_the_limit_per_identity() -> None:
    rates = [Rate(2, 60)]
    assert [limited("t", ["ip:1"], rates) for _ in range(3)] == [False, False, True]
    assert limited("t", ["ip:2"], rates) is False  # another identity has its own count
    assert limited("other", ["ip:1"], rates) is False  # and another scope too


def test_any_identity_over_any_rate_limits_the_attempt() -> None:
    rates = [Rate(10, 60), Rate(2, 86400)]
    assert limited("t", ["ip:1", "user:7"], rates) is False
    assert limited("t", ["ip:2", "user:7"], rates) is False
    assert limited("t", ["ip:3", "user:7"], rates) is True  # the account's daily count
