"""The media pipeline, against the real ffmpeg, on a few seconds of generated video."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from homestretch.library import media

# Real ffmpeg: the SQLite run covers it (make test on PostgreSQL leaves it out).
pytestmark = pytest.mark.ffmpeg


def run_ffmpeg(*args: str) -> str:
    """Run ffmpeg; its stderr, where it reports everything."""
    cmd = [media.ffmpeg_binary(), "-hide_banner", "-nostdin", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=False).stderr


def make_silent_video(path: Path, seconds: float = 5) -> None:
    run_ffmpeg(
        *("-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={seconds}"),
        *("-c:v", "libx264", "-preset", "ultrafast", str(path)),
    )


def join_rendition(variant_dir: Path, target: Path) -> Path:
    """init.mp4 + the segments in playlist order: a plain fragmented mp4 to probe."""
    playlist = (variant_dir / "index.m3u8").read_text().splitlines()
    segments = [line for line in playlist if line and not line.startswith("#")]
    with target.open("wb") as out:
        for name in ["init.mp4", *segments]:
            out.write((variant_dir / name).read_bytes())
    return target


def keyframe_times(path: Path) -> list[float]:
    output = run_ffmpeg(
        "-i", str(path), "-vf", "select=eq(pict_type\\,I),showinfo", "-f", "null", "-"
    )
    return [float(t) for t in re.findall(r"pts_time:([\d.]+)", output)]


def segment_durations(playlist: Path) -> list[float]:
    return [float(d) for d in re.findall(r"#EXTINF:([\d.]+),", playlist.read_text())]


def attributes(line: str) -> dict[str, str]:
    pairs = re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.partition(":")[2])
    return {key: value.strip('"') for key, value in pairs}


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("source") / "gentle-hips.mp4"
    media.make_test_video(path, title="Gentle hips", seconds=6, height=720)
    return path


@pytest.fixture(scope="module")
def transcoded(
    video: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[media.TranscodeResult, list[tuple[float, float | None]]]:
    calls: list[tuple[float, float | None]] = []
    out = tmp_path_factory.mktemp("hls") / "out"
    result = media.transcode(video, out, on_progress=lambda f, eta: calls.append((f, eta)))
    return result, calls


# -- probe ---------------------------------------------------------------------------------


def test_it_probes_a_generated_video(video: Path) -> None:
    info = media.probe(video)
    assert info.duration == pytest.approx(6, abs=0.1)
    assert (info.width, info.height) == (1280, 720)
    assert info.fps == 30
    assert info.has_audio
    assert info.video_codec == "h264"


def test_it_refuses_a_text_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("Breathe in, breathe out.\n" * 100)
    with pytest.raises(media.MediaError, match="not a video"):
        media.probe(path)


def test_it_refuses_an_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    Image.new("RGB", (320, 240), "teal").save(path)
    with pytest.raises(media.MediaError, match="still image"):
        media.probe(path)


def test_it_refuses_a_video_cut_in_half(video: Path, tmp_path: Path) -> None:
    data = video.read_bytes()
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(media.MediaError, match="incomplete"):
        media.probe(path)


def test_it_refuses_a_video_cut_before_its_index(tmp_path: Path) -> None:
    # Without +faststart the index (moov) comes last and half a file has none.
    whole = tmp_path / "whole.mp4"
    run_ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:duration=3", "-c:v", "libx264", str(whole)
    )
    path = tmp_path / "cut.mp4"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(media.MediaError, match="incomplete"):
        media.probe(path)


def test_it_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.mp4"
    path.touch()
    with pytest.raises(media.MediaError, match="empty"):
        media.probe(path)


def test_it_refuses_audio_only(tmp_path: Path) -> None:
    path = tmp_path / "tone.m4a"
    run_ffmpeg("-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", str(path))
    with pytest.raises(media.MediaError, match="no video"):
        media.probe(path)


def test_it_reads_a_rotated_phone_video_as_displayed() -> None:
    output = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'IMG_0001.MOV':
  Duration: 00:00:12.50, start: 0.000000, bitrate: 17000 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709), 1920x1080, 16900 kb/s, 29.97 fps, 29.97 tbr, 600 tbn (default)
      Side data:
        displaymatrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, stereo, fltp, 96 kb/s (default)
"""  # noqa: E501
    info = media.parse_probe(output)
    assert (info.width, info.height) == (1080, 1920)
    assert info.fps == 29.97
    assert info.duration == 12.5


# -- the ladder ----------------------------------------------------------------------------


def test_the_ladder_never_goes_above_the_source() -> None:
    assert [r.height for r in media.ladder_for(720)] == [360, 540, 720]
    assert [r.height for r in media.ladder_for(1080)] == [360, 540, 720, 1080]
    assert [r.height for r in media.ladder_for(2160)] == [360, 540, 720, 1080]


def test_a_tiny_source_gets_one_rendition_at_its_own_size() -> None:
    (only,) = media.ladder_for(241)
    assert (only.height, only.width) == (240, 426)
    assert only.video_kbps == media.LADDER[0].video_kbps


# -- transcode -----------------------------------------------------------------------------


def test_it_makes_renditions_up_to_the_source_height(transcoded) -> None:
    result, _ = transcoded
    assert [(r.width, r.height) for r in result.renditions] == [(640, 360), (960, 540), (1280, 720)]
    assert result.duration == pytest.approx(6, abs=0.1)
    names = sorted(p.name for p in result.master.parent.iterdir())
    assert names == [
        "360p",
        "540p",
        "720p",
        "master.m3u8",
        "poster.jpg",
        "thumbs.jpg",
        "thumbs.vtt",
    ]


def test_each_variant_is_a_vod_playlist_of_4_second_fmp4_segments(transcoded) -> None:
    result, _ = transcoded
    for rendition in result.renditions:
        playlist = result.master.parent / rendition.name / "index.m3u8"
        text = playlist.read_text()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in text
        assert '#EXT-X-MAP:URI="init.mp4"' in text
        assert text.rstrip().endswith("#EXT-X-ENDLIST")
        assert "seg_00001.m4s" in text
        durations = segment_durations(playlist)
        assert max(durations) <= 4.1
        assert sum(durations) == pytest.approx(6, abs=0.1)


def test_the_master_describes_every_variant(transcoded) -> None:
    result, _ = transcoded
    lines = result.master.read_text().splitlines()
    variants = [
        (attributes(line), lines[i + 1])
        for i, line in enumerate(lines)
        if line.startswith("#EXT-X-STREAM-INF:")
    ]
    assert [uri for _, uri in variants] == ["360p/index.m3u8", "540p/index.m3u8", "720p/index.m3u8"]
    for (attrs, _), rendition in zip(variants, result.renditions, strict=True):
        assert attrs["RESOLUTION"] == f"{rendition.width}x{rendition.height}"
        assert re.fullmatch(r"avc1\.64[0-9a-f]{4},mp4a\.40\.2", attrs["CODECS"])
        # Peak bitrate: near the target, and more than the average.
        assert 0.8 * rendition.video_kbps * 1000 < int(attrs["BANDWIDTH"]) < 2e7
        assert int(attrs["AVERAGE-BANDWIDTH"]) <= int(attrs["BANDWIDTH"])


def test_each_rendition_plays_at_its_height(transcoded, tmp_path: Path) -> None:
    result, _ = transcoded
    for rendition in result.renditions:
        joined = join_rendition(result.master.parent / rendition.name, tmp_path / "joined.mp4")
        info = media.probe(joined)
        assert (info.width, info.height) == (rendition.width, rendition.height)
        assert info.has_audio
        assert info.duration == pytest.approx(6, abs=0.15)


def test_keyframes_and_segments_line_up_across_renditions(transcoded, tmp_path: Path) -> None:
    result, _ = transcoded
    durations, keyframes = [], []
    for rendition in result.renditions:
        variant = result.master.parent / rendition.name
        durations.append(segment_durations(variant / "index.m3u8"))
        keyframes.append(keyframe_times(join_rendition(variant, tmp_path / "joined.mp4")))
    assert durations[0] == pytest.approx([4, 2], abs=0.05)
    assert all(d == durations[0] for d in durations)
    assert keyframes[0] == pytest.approx([0, 4], abs=0.05)
    assert all(k == keyframes[0] for k in keyframes)


def test_it_makes_a_poster_and_seek_bar_thumbnails(transcoded) -> None:
    result, _ = transcoded
    with Image.open(result.poster) as poster:
        assert poster.format == "JPEG"
        assert poster.size == (1280, 720)
    with Image.open(result.sprite) as sprite:
        assert sprite.format == "JPEG"
        sprite_width, sprite_height = sprite.size
    cues = re.findall(
        r"^(\d\d):(\d\d):(\d\d\.\d{3}) --> (\d\d):(\d\d):(\d\d\.\d{3})\n(.+)$",
        result.thumbnails_vtt.read_text(),
        re.MULTILINE,
    )
    assert result.thumbnails_vtt.read_text().startswith("WEBVTT\n")
    assert len(cues) == 3  # one every 2 s
    previous_end = 0.0
    for cue in cues:
        start = int(cue[0]) * 3600 + int(cue[1]) * 60 + float(cue[2])
        end = int(cue[3]) * 3600 + int(cue[4]) * 60 + float(cue[5])
        assert start == pytest.approx(previous_end)
        assert end > start
        previous_end = end
        fragment = re.fullmatch(r"thumbs\.jpg#xywh=(\d+),(\d+),(\d+),(\d+)", cue[6])
        assert fragment is not None
        x, y, w, h = map(int, fragment.groups())
        assert (w, h) == (160, 90)
        assert x + w <= sprite_width
        assert y + h <= sprite_height
    assert previous_end == pytest.approx(6, abs=0.1)


def test_it_reports_progress_up_to_the_end(transcoded) -> None:
    # How many reports come before the end depends on how fast this machine is (a fast one
    # may finish before the first), so only what holds on any machine is asserted here;
    # the reading of ffmpeg's reports is tested on a recorded stream below.
    _, calls = transcoded
    fractions = [fraction for fraction, _ in calls]
    assert fractions == sorted(fractions)
    assert all(0 <= fraction <= 1 for fraction in fractions)
    assert calls[-1] == (1.0, 0.0)


# ffmpeg's -progress output, as it writes it: key=value lines, a block per report.
PROGRESS_STREAM = """frame=0
out_time_us=N/A
speed=N/A
progress=continue
frame=30
out_time_us=1500000
speed=1.5x
progress=continue
frame=40
out_time_us=2000000
speed=1.0x
progress=continue
frame=60
out_time_us=1800000
speed=1.2x
progress=continue
frame=90
out_time_us=4500000
speed=N/A
progress=continue
frame=120
out_time_us=6000000
speed=1.0x
progress=end
"""


def test_it_reads_ffmpegs_reports_into_fraction_and_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    # A clock that moves on a second between reports: every block is due.
    ticks = iter(range(1000))
    monkeypatch.setattr(media.time, "monotonic", lambda: float(next(ticks)))
    calls: list[tuple[float, float | None]] = []
    media._follow_progress(
        iter(PROGRESS_STREAM.splitlines(keepends=True)), 6.0, lambda f, e: calls.append((f, e))
    )
    # N/A before the first frame is skipped; the output going back (1.8 s after 2 s) never
    # moves the bar back; no speed means no ETA; the final block is left to transcode().
    fractions, etas = zip(*calls, strict=True)
    assert fractions == pytest.approx((0.25, 1 / 3, 1 / 3, 0.75))
    assert etas[:3] == pytest.approx((3.0, 4.0, 3.5))
    assert etas[3] is None


def test_it_reports_at_most_every_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    # A clock that stands still: after the first report, none is due.
    monkeypatch.setattr(media.time, "monotonic", lambda: 100.0)
    calls: list[tuple[float, float | None]] = []
    media._follow_progress(
        iter(PROGRESS_STREAM.splitlines(keepends=True)), 6.0, lambda f, e: calls.append((f, e))
    )
    assert calls == [(0.25, 3.0)]


def test_a_source_without_audio_gets_video_only_renditions(tmp_path: Path) -> None:
    source = tmp_path / "silent.mp4"
    make_silent_video(source)
    result = media.transcode(source, tmp_path / "out")
    assert [r.height for r in result.renditions] == [360]
    assert re.search(r'CODECS="avc1\.[0-9a-f]{6}"', result.master.read_text())
    info = media.probe(join_rendition(result.master.parent / "360p", tmp_path / "joined.mp4"))
    assert not info.has_audio
    assert info.duration == pytest.approx(5, abs=0.1)
    # It decodes from start to end without an error.
    assert "rror" not in run_ffmpeg(
        "-v", "error", "-i", str(tmp_path / "joined.mp4"), "-f", "null", "-"
    )


def test_a_failing_ffmpeg_raises_with_its_last_words_and_leaves_nothing(
    video: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(media, "X264_PRESET", "no-such-preset")
    out = tmp_path / "out"
    with pytest.raises(media.TranscodeError, match="ffmpeg failed") as caught:
        media.transcode(video, out)
    assert "no-such-preset" in caught.value.tail
    assert len(caught.value.tail.splitlines()) <= media.TAIL_LINES
    assert list(out.iterdir()) == []


def test_an_interrupted_transcode_kills_ffmpeg(
    video: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[str]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs):
        proc = real_popen(*args, **kwargs)
        started.append(proc)
        return proc

    def interrupt(fraction: float, eta: float | None) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(media.subprocess, "Popen", recording_popen)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        media.transcode(video, out, on_progress=interrupt)
    ffmpeg = [proc for proc in started if "-progress" in list(proc.args)]  # type: ignore[arg-type]
    assert len(ffmpeg) == 1
    assert ffmpeg[0].returncode is not None
    assert list(out.iterdir()) == []


def test_it_refuses_an_output_directory_in_use(video: Path, tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(media.MediaError, match="not empty"):
        media.transcode(video, tmp_path)
    assert (tmp_path / "keep.txt").exists()


def test_it_refuses_to_transcode_what_is_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "notes.mov"
    path.write_text("not a video")
    with pytest.raises(media.MediaError, match="not a video"):
        media.transcode(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
