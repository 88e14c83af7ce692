"""The watch page and the per-viewer playlists of a custom sequence."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from homestretch.accounts.testing import log_in, make_alice, make_bob, make_charlie, make_user
from homestretch.billing.testing import give_access
from homestretch.custom import playback
from homestretch.custom.models import CustomSequence
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.testing import make_teacher
from homestretch.library.models import Sequence

pytestmark = [pytest.mark.django_db, pytest.mark.also_s3]
LINK = re.compile(r"^/\S+$", re.M)


def _built(renditions: tuple[str, ...] = ("360p", "540p")):
    bob = make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")
    bridges = make_source("bridges", chapters=((0, "Bridge"), (5, "Ribs")), renditions=renditions)
    version = make_custom(
        bob, [item(clock, 6, reps=10), item(bridges, 5, hold_seconds=20), item(clock, 0)]
    )
    version.custom_sequence.status = CustomSequence.Status.PUBLISHED
    version.custom_sequence.save()
    return bob, version


def _master_url(client: Client, page_url: str) -> str:
    page = client.get(page_url).content.decode()
    match = re.search(r'data-master="([^"]+)"', page)
    assert match, "no player on the page"
    return match.group(1).replace("&amp;", "&")


def test_a_member_with_access_plays_the_moves_as_one_stream() -> None:
    _, version = _built()
    alice = make_alice()
    give_access(alice)
    client = log_in(alice)
    page = client.get(version.custom_sequence.get_absolute_url())
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    assert html.count("data-seek-to=") == 3
    assert "10 reps" in html
    assert "hold 20 s" in html
    assert 'data-start="2.000"' in html  # the first move starts 2 s into its segment
    master = client.get(_master_url(client, version.custom_sequence.get_absolute_url()))
    assert master.status_code == 200
    links = LINK.findall(master.content.decode())
    assert len(links) == 2  # 360p and 540p
    variant = client.get(links[0])
    assert variant.status_code == 200
    text = variant.content.decode()
    assert text.count("#EXT-X-DISCONTINUITY") == 2
    assert "#EXT-X-START:TIME-OFFSET=2.000,PRECISE=YES" in text
    segments = LINK.findall(text)
    assert len(segments) == 4 + 4 + 2  # 6-18 s of clock, 5-18 s of bridges, 0-6 s of clock
    # Each segment comes from its own source sequence's signed media URL.
    assert segments[0].startswith("/library/pelvic-clock/media/")
    assert segments[4].startswith("/library/bridges/media/")
    assert client.get(segments[4]).status_code == 200
    init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', text)
    assert init
    assert client.get(init.group(1)).status_code == 200


def test_the_stream_uses_only_the_renditions_all_sources_have() -> None:
    _, version = _built(renditions=("360p",))
    alice = make_alice()
    give_access(alice)
    client = log_in(alice)
    master = client.get(_master_url(client, version.custom_sequence.get_absolute_url()))
    links = LINK.findall(master.content.decode())
    assert [link.split("?")[0].rsplit("/", 1)[1] for link in links] == ["360p.m3u8"]
    refused = links[0].replace("/360p.m3u8", "/540p.m3u8")
    assert client.get(refused).status_code == 403  # signed for 360p only


def test_a_viewer_without_access_to_every_source_is_refused() -> None:
    _, version = _built()
    alice = make_alice()
    give_access(alice)
    url = _master_url(log_in(alice), version.custom_sequence.get_absolute_url())
    charlie = make_charlie()
    client = log_in(charlie)
    page = client.get(version.custom_sequence.get_absolute_url()).content.decode()
    assert "data-master" not in page
    assert "made from the full library" in page
    assert client.get(url).status_code == 403  # alice's link, charlie's session
    # One free preview among the sources is not enough.
    Sequence.objects.filter(slug="pelvic-clock").update(is_free_preview=True)
    assert (
        "data-master" not in client.get(version.custom_sequence.get_absolute_url()).content.decode()
    )
    assert client.get(f"/custom/{version.custom_sequence_id}/v1/playback").status_code == 403


def test_access_that_ends_stops_the_playlists() -> None:
    _, version = _built()
    alice = make_alice()
    give_access(alice)
    client = log_in(alice)
    url = _master_url(client, version.custom_sequence.get_absolute_url())
    alice.access_grants.all().delete()
    assert client.get(url).status_code == 403


def test_a_draft_is_seen_by_its_owner_and_staff_only() -> None:
    bob, version = _built()
    custom = version.custom_sequence
    custom.status = CustomSequence.Status.DRAFT
    custom.save()
    dana = make_user("dana@example.com", display_name="Dana")
    make_teacher(dana)
    assert log_in(dana).get(custom.get_absolute_url()).status_code == 404
    assert Client().get(custom.get_absolute_url()).status_code == 404
    assert log_in(bob).get(custom.get_absolute_url()).status_code == 200


def test_a_changed_or_expired_link_is_refused() -> None:
    _, version = _built()
    alice = make_alice()
    give_access(alice)
    client = log_in(alice)
    url = _master_url(client, version.custom_sequence.get_absolute_url())
    assert client.get(url.replace("tok=", "tok=0")).status_code == 403
    assert client.get(re.sub(r"exp=\d+", "exp=1", url)).status_code == 403


def test_a_twenty_move_stream_takes_the_same_queries_as_a_two_move_one(
    django_assert_num_queries,
) -> None:
    bob = make_bob()
    make_teacher(bob)
    sources = [
        make_source(f"source-{n}", chapters=((0, "A"), (3, "B"), (9, "C"), (13, "D")))
        for n in range(5)
    ]
    starts = (0, 3, 9, 13)
    twenty = make_custom(
        bob, [item(sources[n % 5], starts[n % 4]) for n in range(20)], title="Twenty"
    )
    two = make_custom(bob, [item(sources[0], 3), item(sources[1], 9)], title="Two")

    def count(version) -> int:
        with CaptureQueriesContext(connection) as queries:
            joined = playback.Joined(playback.items_of(version))
            joined.master(viewer=bob.pk, version=version)
            joined.variant(viewer=bob.pk, rendition="360p")
            joined.timeline()
        return len(queries)

    assert count(two) == count(twenty)
    with django_assert_num_queries(1):
        joined = playback.Joined(playback.items_of(twenty))
        playlist = joined.variant(viewer=bob.pk, rendition="540p")
    assert playlist.count("#EXT-X-DISCONTINUITY") == 19


def test_a_source_re_encoded_shorter_says_which_move_is_past_its_end() -> None:
    _, version = _built()
    alice = make_alice()
    give_access(alice)
    client = log_in(alice)
    url = _master_url(client, version.custom_sequence.get_absolute_url())
    short = make_source("short", durations=(4,), chapters=((0, "Only"),))
    encoding = short.encoding
    short.encoding = None
    short.save()
    Sequence.objects.filter(slug="pelvic-clock").update(encoding=encoding)
    page = client.get(version.custom_sequence.get_absolute_url()).content.decode()
    assert "move 1 (“Pelvic clock”) is past the end of its video" in page
    assert "data-master" not in page
    variant = LINK.findall(client.get(url).content.decode())[0]
    assert client.get(variant).status_code == 404
