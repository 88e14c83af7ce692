"""The paywall holds on the files: signed, expiring, per-viewer, per-sequence URLs."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from homestretch.accounts.testing import make_alice, make_charlie
from homestretch.billing.models import AccessGrant
from homestretch.billing.testing import give_access
from homestretch.library.delivery import delivery
from homestretch.library.testing import make_encoded

pytestmark = pytest.mark.also_s3

URL = re.compile(r"/library/[\w-]+/media/[^\s\"]+")


def _master(client: Client, slug: str) -> str:
    page = client.get(f"/library/{slug}/").content.decode()
    match = re.search(r'data-master="([^"]+)"', page)
    assert match, "no player on the page"
    return match.group(1).replace("&amp;", "&")


def _walk(client: Client, slug: str) -> dict[str, Any]:
    """Follow master -> variant -> init and segments, as a player does."""
    master = client.get(_master(client, slug))
    assert master.status_code == 200
    found = URL.search(master.content.decode())
    assert found
    variant_url = found.group(0)
    variant = client.get(variant_url)
    assert variant.status_code == 200
    urls = URL.findall(variant.content.decode())
    return {"master": master.content.decode(), "variant": variant.content.decode(), "urls": urls}


@pytest.mark.django_db
def test_a_member_with_access_can_fetch_every_file_of_the_ladder(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    sequence = make_encoded()
    client.force_login(alice)
    walked = _walk(client, sequence.slug)
    assert 'CODECS="avc1.64001e,mp4a.40.2"' in walked["master"]
    assert '#EXT-X-MAP:URI="/library/pelvic-clock/media/' in walked["variant"]
    init, first, _second = walked["urls"]
    assert client.get(init).status_code == 200
    response = client.get(first)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    assert response.getvalue() == bytes(range(256)) * 4


@pytest.mark.django_db
def test_segments_support_range_requests(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    sequence = make_encoded()
    client.force_login(alice)
    segment = _walk(client, sequence.slug)["urls"][1]
    response = client.get(segment, HTTP_RANGE="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == "bytes 10-19/1024"
    assert response.getvalue() == bytes(range(10, 20))
    assert client.get(segment, HTTP_RANGE="bytes=5000-").status_code == 416


@pytest.mark.django_db
def test_a_tampered_token_is_refused(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    sequence = make_encoded()
    client.force_login(alice)
    segment = _walk(client, sequence.slug)["urls"][1]
    tampered = re.sub(r"tok=(\w)", lambda m: "tok=" + ("a" if m.group(1) != "a" else "b"), segment)
    assert client.get(tampered).status_code == 403
    longer = re.sub(r"exp=(\d+)", lambda m: f"exp={int(m.group(1)) + 3600}", segment)
    assert client.get(longer).status_code == 403


@pytest.mark.django_db
def test_a_token_expires(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    sequence = make_encoded()
    client.force_login(alice)
    segment = _walk(client, sequence.slug)["urls"][1]
    with freeze_time(timezone.now() + timedelta(minutes=11)):
        assert client.get(segment).status_code == 403


@pytest.mark.django_db
def test_a_token_is_bound_to_its_viewer_and_its_sequence(client: Client) -> None:
    alice = make_alice()
    charlie = make_charlie()
    for user in (alice, charlie):
        give_access(user)
    first = make_encoded("pelvic-clock")
    make_encoded("knee-sway")
    client.force_login(alice)
    segment = _walk(client, first.slug)["urls"][1]

    other_viewer = Client()
    other_viewer.force_login(charlie)
    assert other_viewer.get(segment).status_code == 403

    other_sequence = segment.replace("/library/pelvic-clock/", "/library/knee-sway/")
    assert client.get(other_sequence).status_code == 403


@pytest.mark.django_db
def test_no_access_means_no_files_even_with_a_valid_signature(client: Client) -> None:
    charlie = make_charlie()
    sequence = make_encoded()
    assert sequence.encoding is not None
    path = f"{sequence.encoding.folder}/master.m3u8"
    for user, viewer in ((None, 0), (charlie, charlie.pk)):
        visitor = Client()
        if user:
            visitor.force_login(user)
        url = delivery().url(
            viewer=viewer, sequence_id=sequence.pk, slug=sequence.slug, path=path, ttl=60
        )
        assert visitor.get(url).status_code == 403


@pytest.mark.django_db
def test_access_that_ends_stops_the_files(client: Client) -> None:
    alice = make_alice()
    give_access(alice)
    sequence = make_encoded()
    client.force_login(alice)
    segment = _walk(client, sequence.slug)["urls"][1]
    AccessGrant.objects.filter(user=alice).update(ends_at=timezone.now())
    assert client.get(segment).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "../../secret_key",
        "..%2F..%2Fsecret_key",
        "%2e%2e/%2e%2e/sources/x.mp4",
        "00000000-0000-0000-0000-000000000000/../../sources/x.mp4",
        "00000000-0000-0000-0000-000000000000/360p/..%2f..%2fmaster.m3u8",
        "/etc/passwd",
    ],
)
def test_path_traversal_gets_404(client: Client, path: str) -> None:
    alice = make_alice()
    give_access(alice)
    make_encoded()
    client.force_login(alice)
    response = client.get(f"/library/pelvic-clock/media/{path}?exp=9999999999&tok=x")
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_segment_costs_a_few_reads_and_no_writes(
    client: Client, django_assert_max_num_queries
) -> None:
    alice = make_alice()
    give_access(alice)
    sequence = make_encoded()
    client.force_login(alice)
    segment = _walk(client, sequence.slug)["urls"][1]
    # session, user, sequence, access, encoding: nothing is written per segment
    with django_assert_max_num_queries(5) as queries:
        assert client.get(segment).status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
