"""The stitcher's pure functions: cuts, joined playlists, the timeline, renditions."""

import pytest

from homestretch.custom import stitch
from homestretch.custom.testing import master_text, variant_text

FIVE = stitch.parse_variant(variant_text([4, 4, 4, 4, 2]))  # 18 s


def _piece(variant: stitch.Variant, start: float, end: float, tag: str) -> stitch.Piece:
    return stitch.Piece(variant=variant, start=start, end=end, sign=lambda uri: f"{tag}/{uri}")


def _entries(playlist: str) -> list[str]:
    return [line for line in playlist.splitlines() if line and not line.startswith("#EXT-X-V")]


def test_it_parses_a_variant_and_a_master() -> None:
    assert FIVE.init == "init.mp4"
    assert [s.duration for s in FIVE.segments] == [4, 4, 4, 4, 2]
    assert FIVE.segments[0].uri == "seg_00001.m4s"
    streams = stitch.parse_master(master_text(("360p", "540p")))
    assert [s.name for s in streams] == ["360p", "540p"]
    assert streams[0].bandwidth == 800_000
    assert streams[0].attributes["CODECS"] == '"avc1.64001e,mp4a.40.2"'


def test_a_cut_takes_the_segments_that_overlap_the_move() -> None:
    assert stitch.cut(FIVE, 0, 8) == stitch.Cut(first=0, last=2, lead_in=0, seconds=8)
    # 6-13 s starts 2 s into the second segment and ends inside the fourth.
    assert stitch.cut(FIVE, 6, 13) == stitch.Cut(first=1, last=4, lead_in=2, seconds=7)
    # A move to the video's end takes the short last segment.
    assert stitch.cut(FIVE, 13, 18) == stitch.Cut(first=3, last=5, lead_in=1, seconds=5)


def test_a_cut_past_the_end_is_cut_at_the_end_and_one_beyond_it_is_refused() -> None:
    assert stitch.cut(FIVE, 16, 30).seconds == 2
    with pytest.raises(ValueError, match="not inside the video"):
        stitch.cut(FIVE, 18, 20)


def test_moves_are_joined_with_a_discontinuity_and_their_own_init_segments() -> None:
    other = stitch.parse_variant(variant_text([4, 4, 3.5]))
    playlist = stitch.variant_playlist(
        [_piece(FIVE, 6, 13, "a"), _piece(other, 0, 4, "b"), _piece(FIVE, 0, 4, "a")]
    )
    lines = playlist.splitlines()
    assert lines[0] == "#EXTM3U"
    assert lines[-1] == "#EXT-X-ENDLIST"
    assert playlist.count("#EXT-X-DISCONTINUITY") == 2
    assert [line for line in lines if line.startswith("#EXT-X-MAP")] == [
        '#EXT-X-MAP:URI="a/init.mp4"',
        '#EXT-X-MAP:URI="b/init.mp4"',
        '#EXT-X-MAP:URI="a/init.mp4"',
    ]
    body = lines[lines.index('#EXT-X-MAP:URI="a/init.mp4"') :]
    assert body[:8] == [
        '#EXT-X-MAP:URI="a/init.mp4"',
        "#EXTINF:4.000000,",
        "a/seg_00002.m4s",
        "#EXTINF:4.000000,",
        "a/seg_00003.m4s",
        "#EXTINF:4.000000,",
        "a/seg_00004.m4s",
        "#EXT-X-DISCONTINUITY",
    ]
    assert body[8:12] == [
        '#EXT-X-MAP:URI="b/init.mp4"',
        "#EXTINF:4.000000,",
        "b/seg_00001.m4s",
        "#EXT-X-DISCONTINUITY",
    ]


def test_target_duration_is_the_longest_segment_rounded_up() -> None:
    odd = stitch.parse_variant(variant_text([4.2, 3.8, 2]))
    playlist = stitch.variant_playlist([_piece(FIVE, 0, 4, "a"), _piece(odd, 0, 8, "b")])
    assert "#EXT-X-TARGETDURATION:5" in playlist
    assert "#EXTINF:4.200000," in playlist
    assert "#EXT-X-TARGETDURATION:4" in stitch.variant_playlist([_piece(FIVE, 0, 18, "a")])


def test_the_first_move_starts_at_its_chapter_inside_its_segment() -> None:
    playlist = stitch.variant_playlist([_piece(FIVE, 6, 13, "a")])
    assert "#EXT-X-START:TIME-OFFSET=2.000,PRECISE=YES" in playlist
    on_a_boundary = stitch.variant_playlist([_piece(FIVE, 8, 13, "a")])
    assert "#EXT-X-START" not in on_a_boundary


def test_the_timeline_places_each_move_in_the_joined_stream() -> None:
    other = stitch.parse_variant(variant_text([4, 4, 3.5]))
    times = stitch.timeline([(FIVE, 6, 13), (other, 5, 11.5), (FIVE, 0, 4)])
    # Move 1: segments 2-4 (12 s) from 0; the chapter starts 2 s in and lasts 7 s.
    assert times[0] == stitch.MoveTime(begins=0, start=2, end=9)
    # Move 2: segments 2-3 of the other (7.5 s) from 12; starts 1 s in, to its end.
    assert times[1] == stitch.MoveTime(begins=12, start=13, end=19.5)
    assert times[2] == stitch.MoveTime(begins=19.5, start=19.5, end=23.5)
    # The timeline's segments are the playlist's: its EXTINFs add up to the same length.
    playlist = stitch.variant_playlist(
        [_piece(FIVE, 6, 13, "a"), _piece(other, 5, 11.5, "b"), _piece(FIVE, 0, 4, "a")]
    )
    total = sum(
        float(line.split(":")[1].rstrip(",")) for line in _entries(playlist) if "EXTINF" in line
    )
    assert total == pytest.approx(23.5)


def test_renditions_are_those_every_source_has_with_the_highest_bandwidth() -> None:
    full = stitch.parse_master(master_text(("360p", "540p", "720p")))
    richer = stitch.parse_master(master_text(("360p", "540p", "720p"), scale=1.5))
    short = stitch.parse_master(master_text(("360p", "540p")))
    common = stitch.common_renditions([full, short, richer])
    assert [s.name for s in common] == ["360p", "540p"]
    assert [s.bandwidth for s in common] == [1_200_000, 2_100_000]
    assert stitch.common_renditions([full, stitch.parse_master(master_text(("720p",)))]) == [
        stitch.Stream(name="720p", attributes=full[2].attributes)
    ]
    master = stitch.master_playlist(common, lambda name: f"/x/{name}.m3u8")
    assert master.splitlines()[-1] == "/x/540p.m3u8"
    assert master.count("#EXT-X-STREAM-INF:BANDWIDTH=") == 2
    assert 'CODECS="avc1.64001e,mp4a.40.2"' in master


def test_no_rendition_in_common_gives_an_empty_ladder() -> None:
    a = stitch.parse_master(master_text(("360p",)))
    b = stitch.parse_master(master_text(("540p",)))
    assert stitch.common_renditions([a, b]) == []
