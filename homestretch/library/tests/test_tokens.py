"""A segment's token is Django's salted HMAC of what it is bound to, its key derived once."""

from django.test import override_settings
from django.utils.crypto import salted_hmac

from homestretch.library import delivery


def test_a_token_is_djangos_salted_hmac_and_follows_the_secret_key() -> None:
    def expected() -> str:
        message = "7:3:hls/abc/360p/seg_00001.ts:1800000000"
        return salted_hmac(delivery._MEDIA_SALT, message, algorithm="sha256").hexdigest()[:40]

    made = delivery._token(7, 3, "hls/abc/360p/seg_00001.ts", 1800000000)
    assert made == expected()
    with override_settings(SECRET_KEY="another-secret-key-that-is-long-enough-0123456789abc"):
        rotated = delivery._token(7, 3, "hls/abc/360p/seg_00001.ts", 1800000000)
        assert rotated == expected()
    assert rotated != made
