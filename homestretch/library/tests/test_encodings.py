"""Transcoding runs with real ffmpeg: success switches atomically, failure and kills
leave the playable version alone, cleanup removes what crashed runs left."""

import os
import signal
import subprocess
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from homestretch.library import media
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import (
    HLS_ROOT,
    encoding_cleanup,
    encoding_run,
    encoding_start,
)
from homestretch.library.testing import make_sequence, stored_files

# Real ffmpeg: the SQLite run covers it (make test on PostgreSQL leaves it out).
pytestmark = [pytest.mark.ffmpeg, pytest.mark.also_s3]


@pytest.fixture(scope="module")
def small_video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    media.make_test_video(path, title="Test clip", seconds=6, height=360)
    return path


def _with_source(video: Path, slug: str = "pelvic-clock") -> Sequence:
    sequence = make_sequence(slug)
    with video.open("rb") as f:
        sequence.source.save(f"{slug}.mp4", File(f))
    return sequence


@pytest.mark.django_db
def test_a_run_transcodes_and_switches_the_sequence(
    small_video: Path, django_capture_on_commit_callbacks
) -> None:
    sequence = _with_source(small_video)
    with django_capture_on_commit_callbacks(execute=True):
        encoding = encoding_start(sequence=sequence)
    encoding.refresh_from_db()
    sequence.refresh_from_db()
    assert encoding.state == Encoding.State.READY, encoding.error
    assert encoding.progress == 1
    assert encoding.heights == [360]
    assert sequence.encoding == encoding
    assert 5 <= sequence.duration_seconds <= 7
    master = stored_files(encoding.relative_dir)["master.m3u8"].decode()
    assert "BANDWIDTH=" in master
    assert "RESOLUTION=" in master
    assert "CODECS=" in master


@pytest.mark.django_db
def test_one_run_at_a_time(small_video: Path) -> None:
    from homestretch.library.services import EncodingError

    sequence = _with_source(small_video)
    Encoding.objects.create(sequence=sequence)  # queued
    with pytest.raises(EncodingError, match="already being transcoded"):
        encoding_start(sequence=sequence)


@pytest.mark.django_db
def test_a_failed_run_keeps_the_old_version_and_says_why(small_video: Path, tmp_path: Path) -> None:
    sequence = _with_source(small_video)
    good = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=good.pk)
    sequence.refresh_from_db()
    assert sequence.encoding_id == good.pk

    sequence.source.save("broken.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42 then garbage"))
    bad = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=bad.pk)
    bad.refresh_from_db()
    sequence.refresh_from_db()
    assert bad.state == Encoding.State.FAILED
    assert bad.error.strip()
    assert sequence.encoding_id == good.pk
    assert default_storage.exists(f"{good.relative_dir}/master.m3u8")
    assert stored_files(bad.relative_dir) == {}


def _kill_ffmpeg_children() -> None:
    found = subprocess.run(
        ["pgrep", "-P", str(os.getpid())], capture_output=True, text=True, check=False
    ).stdout.split()
    for pid in found:
        if "ffmpeg" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace"):
            os.kill(int(pid), signal.SIGKILL)


@pytest.fixture(scope="module")
def longer_video(tmp_path_factory) -> Path:
    """Long enough that ffmpeg is still at work when the first progress report arrives."""
    path = tmp_path_factory.mktemp("video") / "longer.mp4"
    media.make_test_video(path, title="Longer clip", seconds=40, height=540)
    return path


@pytest.mark.django_db
def test_a_killed_transcode_leaves_the_playable_version_alone(
    longer_video: Path, small_video: Path, monkeypatch
) -> None:
    sequence = _with_source(small_video)
    good = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=good.pk)
    before = stored_files(good.relative_dir)

    real_transcode = media.transcode

    def transcode_killed_midway(source, out_dir, *, on_progress=None):
        def progress(fraction, eta):
            if fraction < 1:
                _kill_ffmpeg_children()

        return real_transcode(source, out_dir, on_progress=progress)

    monkeypatch.setattr(media, "transcode", transcode_killed_midway)
    sequence.refresh_from_db()
    sequence.source.save("longer.mp4", ContentFile(longer_video.read_bytes()))  # a new cut
    killed = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=killed.pk)
    killed.refresh_from_db()
    sequence.refresh_from_db()
    assert killed.state == Encoding.State.FAILED
    assert sequence.encoding_id == good.pk
    assert stored_files(good.relative_dir) == before
    assert stored_files(killed.relative_dir) == {}


@pytest.mark.django_db
def test_cleanup_removes_orphans_and_marks_dead_runs_failed(small_video: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    sequence = _with_source(small_video)
    good = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=good.pk)
    orphan = f"{HLS_ROOT}/11111111-2222-3333-4444-555555555555"
    default_storage.save(f"{orphan}/360p/seg_00001.m4s", ContentFile(b"half written"))
    dead = Encoding.objects.create(
        sequence=make_sequence("other"),
        state=Encoding.State.RUNNING,
        started_at=timezone.now() - timedelta(hours=7),
    )
    default_storage.save(f"{dead.relative_dir}/360p/seg_00001.m4s", ContentFile(b"half"))

    removed = encoding_cleanup()

    assert orphan.rsplit("/", 1)[1] in removed
    assert str(dead.folder) in removed
    assert stored_files(orphan) == {}
    assert stored_files(dead.relative_dir) == {}
    assert default_storage.exists(f"{good.relative_dir}/master.m3u8")
    dead.refresh_from_db()
    assert dead.state == Encoding.State.FAILED
