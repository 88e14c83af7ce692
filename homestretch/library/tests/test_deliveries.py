"""The three deliveries: URLs that name their viewer, playlists checked on every fetch,
segments from nginx or the bucket with a short life. nginx's own check runs in
tests/production/; the bucket's here, against a real S3 server (tests/s3.py)."""

import base64
import hashlib
import re
import time
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.billing.models import AccessGrant
from homestretch.billing.testing import give_access
from homestretch.library.testing import make_encoded

pytestmark = pytest.mark.also_s3

SECRET = "nginx-and-django-share-this-secret-0123456789"
MEDIA_URL = re.compile(r"/library/[\w-]+/media/[^\s\"]+")


def _master(client: Client, slug: str) -> str:
    page = client.get(f"/library/{slug}/").content.decode()
    match = re.search(r'data-master="([^"]+)"', page)
    assert match, "no player on the page"
    return match.group(1).replace("&amp;", "&")


def _variant(client: Client, slug: str) -> tuple[str, str]:
    """The variant playlist's URL and text, as a player gets them."""
    master = client.get(_master(client, slug))
    assert master.status_code == 200
    found = MEDIA_URL.search(master.content.decode())
    assert found
    variant = client.get(found.group(0))
    assert variant.status_code == 200
    assert variant["Cache-Control"] == "private, no-store"
    return found.group(0), variant.content.decode()


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's server
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


@pytest.fixture
def alice_plays(client: Client):
    alice = make_alice()
    give_access(alice)
    client.force_login(alice)
    return alice


# -- Any delivery: the viewer is in the URL ----------------------------------------------


@pytest.mark.django_db
def test_a_receiver_without_cookies_plays_what_the_viewer_may_watch(
    client: Client, alice_plays
) -> None:
    sequence = make_encoded()
    variant_url, _ = _variant(client, sequence.slug)
    receiver = Client()  # AirPlay, Chromecast: the URL, no session
    assert receiver.get(variant_url).status_code == 200
    AccessGrant.objects.filter(user=alice_plays).update(ends_at=timezone.now())
    assert receiver.get(variant_url).status_code == 403


@pytest.mark.django_db
def test_a_url_signed_for_one_viewer_does_not_play_for_another(client: Client, alice_plays) -> None:
    sequence = make_encoded()
    variant_url, _ = _variant(client, sequence.slug)
    charlie = make_charlie()
    give_access(charlie)
    other = Client()
    other.force_login(charlie)
    refused = other.get(variant_url)
    assert refused.status_code == 403
    assert "made for someone else" in refused.content.decode()
    as_charlie = re.sub(r"v=\d+", f"v={charlie.pk}", variant_url)
    assert other.get(as_charlie).status_code == 403  # the token names alice


# -- nginx --------------------------------------------------------------------------------


@pytest.fixture
def nginx_delivery(settings) -> None:
    settings.LIBRARY_DELIVERY = "homestretch.library.delivery.NginxSecureLinkDelivery"
    settings.LIBRARY_NGINX_SECRET = SECRET
    settings.LIBRARY_SEGMENT_TTL_SECONDS = 30


@pytest.mark.django_db
def test_nginx_signs_segments_the_way_its_secure_link_checks_them(
    client: Client, alice_plays, nginx_delivery
) -> None:
    sequence = make_encoded()
    assert sequence.encoding is not None
    before = int(time.time())
    _, variant = _variant(client, sequence.slug)
    segments = re.findall(r"^/media/hls/\S+$", variant, re.M)
    init = re.search(r'URI="(/media/hls/[^"]+)"', variant)
    assert init
    assert len(segments) == 2
    for url in [init.group(1), *segments]:
        parts = urlsplit(url)
        assert parts.path.startswith(f"/media/hls/{sequence.encoding.folder}/360p/")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        assert query["v"] == str(alice_plays.pk)
        assert before + 30 <= int(query["e"]) <= int(time.time()) + 30
        # nginx: secure_link_md5 "$secure_link_expires$uri$arg_v <secret>", base64url, no "="
        expected = hashlib.md5(  # noqa: S324 - nginx's secure_link is MD5
            f"{query['e']}{parts.path}{query['v']} {SECRET}".encode()
        ).digest()
        assert query["s"] == base64.urlsafe_b64encode(expected).decode().rstrip("=")


@pytest.mark.django_db
def test_nginx_playlists_stop_when_access_ends(client: Client, alice_plays, nginx_delivery) -> None:
    sequence = make_encoded()
    variant_url, _ = _variant(client, sequence.slug)
    AccessGrant.objects.filter(user=alice_plays).update(ends_at=timezone.now())
    assert client.get(variant_url).status_code == 403


@pytest.mark.django_db
def test_playlists_live_longer_than_segments_and_still_expire(
    client: Client, alice_plays, nginx_delivery, settings
) -> None:
    settings.LIBRARY_PLAYLIST_TTL_SECONDS = 600
    sequence = make_encoded()
    variant_url, _ = _variant(client, sequence.slug)
    with freeze_time(timezone.now() + timedelta(minutes=5)):
        assert client.get(variant_url).status_code == 200
    with freeze_time(timezone.now() + timedelta(minutes=11)):
        assert client.get(variant_url).status_code == 403


# -- Object storage ----------------------------------------------------------------------


@pytest.fixture
def bucket_delivery(settings, s3_media) -> Any:
    settings.LIBRARY_DELIVERY = "homestretch.library.delivery.ObjectStorageDelivery"
    settings.LIBRARY_SEGMENT_TTL_SECONDS = 3
    return s3_media


@pytest.mark.django_db
def test_the_bucket_serves_segments_by_presigned_url_and_refuses_tampering(
    client: Client, alice_plays, bucket_delivery
) -> None:
    sequence = make_encoded()
    _, variant = _variant(client, sequence.slug)
    urls = re.findall(rf"^{re.escape(bucket_delivery.endpoint_url)}/\S+$", variant, re.M)
    assert len(urls) == 2
    status, body, headers = _get(urls[0])
    assert status == 200
    assert body == bytes(range(256)) * 4
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert f"viewer={alice_plays.pk}" in urls[0]
    other_viewer = urls[0].replace(f"viewer={alice_plays.pk}", "viewer=999")
    assert _get(other_viewer)[0] == 403
    other_file = urls[0].replace("seg_00001", "seg_00002")
    assert _get(other_file)[0] == 403


@pytest.mark.django_db
def test_a_copied_bucket_url_stops_working_once_it_expires(
    client: Client, alice_plays, bucket_delivery
) -> None:
    sequence = make_encoded()
    _, variant = _variant(client, sequence.slug)
    url = re.findall(rf"^{re.escape(bucket_delivery.endpoint_url)}/\S+$", variant, re.M)[0]
    assert _get(url)[0] == 200
    # A link copied two minutes ago (signed then, so its lifetime of at most a minute is
    # over): the bucket, on its own clock, refuses it.
    copied_at = timezone.now() - timedelta(minutes=2)
    AccessGrant.objects.filter(user=alice_plays).update(starts_at=copied_at)
    with freeze_time(copied_at):
        _, variant = _variant(client, sequence.slug)
    url = re.findall(rf"^{re.escape(bucket_delivery.endpoint_url)}/\S+$", variant, re.M)[0]
    assert _get(url)[0] == 403


@pytest.mark.django_db
def test_the_seek_bar_thumbnails_come_from_the_bucket_too(
    client: Client, alice_plays, bucket_delivery
) -> None:
    sequence = make_encoded()
    page = client.get(f"/library/{sequence.slug}/")
    assert page.status_code == 200
    # The page's CSP allows the bucket's origin: tests/test_settings.py, which needs a
    # fresh interpreter (settings.py derives it from MEDIA_S3_ENDPOINT_URL).
    vtt_url = re.search(r'data-thumbnails="([^"]+)"', page.content.decode())
    assert vtt_url
    vtt = client.get(vtt_url.group(1).replace("&amp;", "&")).content.decode()
    assert f"{bucket_delivery.endpoint_url}/" in vtt
    assert "#xywh=0,0,160,90" in vtt
