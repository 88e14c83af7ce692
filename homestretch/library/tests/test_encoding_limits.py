"""A transcode's time limit, and runs that end without their worker saying so."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files import File
from django.core.management import call_command
from django.utils import timezone

from homestretch.library import media
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import (
    STOPPED_MESSAGE,
    encoding_reap,
    encoding_run,
    transcode_timeout,
)
from homestretch.library.testing import make_sequence, stored_files

pytestmark = pytest.mark.also_s3


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    media.make_test_video(path, title="Limits", seconds=6, height=360)
    return path


def _with_source(video: Path, slug: str = "pelvic-clock") -> Sequence:
    sequence = make_sequence(slug)
    with video.open("rb") as f:
        sequence.source.save(f"{slug}.mp4", File(f))
    return sequence


def test_the_time_limit_follows_the_source_within_floor_and_ceiling(settings) -> None:
    settings.LIBRARY_TRANSCODE_TIMEOUT_FACTOR = 4
    settings.LIBRARY_TRANSCODE_TIMEOUT_MIN = 900
    settings.LIBRARY_TRANSCODE_TIMEOUT_MAX = 8 * 3600
    assert transcode_timeout(12) == 900  # a clip still gets time on a busy machine
    assert transcode_timeout(30 * 60) == 2 * 3600  # a 30-minute class
    assert transcode_timeout(3 * 3600) == 8 * 3600  # a stuck run ends some day


@pytest.mark.django_db
def test_a_run_whose_worker_went_silent_is_marked_failed(settings) -> None:
    settings.LIBRARY_TRANSCODE_STALE_SECONDS = 120
    now = timezone.now()
    silent = Encoding.objects.create(
        sequence=make_sequence("silent"),
        state=Encoding.State.RUNNING,
        started_at=now - timedelta(minutes=30),
        heartbeat_at=now - timedelta(minutes=3),
    )
    alive = Encoding.objects.create(
        sequence=make_sequence("alive"),
        state=Encoding.State.RUNNING,
        started_at=now - timedelta(hours=3),
        heartbeat_at=now - timedelta(seconds=5),
    )

    call_command("reap_encodings", verbosity=0)

    silent.refresh_from_db()
    alive.refresh_from_db()
    assert silent.state == Encoding.State.FAILED
    assert silent.error == STOPPED_MESSAGE
    assert "Retry failed runs" in silent.error
    assert alive.state == Encoding.State.RUNNING
    assert encoding_reap() == 0  # twice changes nothing


@pytest.mark.django_db
def test_a_run_stopped_by_its_time_limit_is_failed_and_the_worker_told(clip: Path) -> None:
    sequence = _with_source(clip)
    good = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=good.pk)

    class JobTimeoutException(Exception):  # what RQ raises inside a job past its timeout
        pass

    real_transcode = media.transcode

    def transcode_until_the_alarm(source, out_dir, *, on_progress=None):
        def progress(fraction, eta):
            raise JobTimeoutException("Task exceeded maximum timeout value (900 seconds)")

        return real_transcode(source, out_dir, on_progress=progress)

    stopped = Encoding.objects.create(sequence=sequence)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(media, "transcode", transcode_until_the_alarm)
        with pytest.raises(JobTimeoutException):
            encoding_run(encoding_id=stopped.pk)

    stopped.refresh_from_db()
    sequence.refresh_from_db()
    assert stopped.state == Encoding.State.FAILED
    assert "maximum timeout value (900 seconds)" in stopped.error
    assert sequence.encoding_id == good.pk
    assert stored_files(stopped.relative_dir) == {}


@pytest.mark.django_db
def test_a_run_given_up_on_while_it_worked_does_not_switch_the_sequence(clip: Path) -> None:
    sequence = _with_source(clip)
    good = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=good.pk)
    late = Encoding.objects.create(sequence=sequence)

    real_transcode = media.transcode

    def transcode_reaped_midway(source, out_dir, *, on_progress=None):
        result = real_transcode(source, out_dir, on_progress=on_progress)
        # Its heartbeat was late (a stalled disk, say) and the reaper gave up on it.
        Encoding.objects.filter(pk=late.pk).update(state=Encoding.State.FAILED)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(media, "transcode", transcode_reaped_midway)
        encoding_run(encoding_id=late.pk)

    late.refresh_from_db()
    sequence.refresh_from_db()
    assert late.state == Encoding.State.FAILED
    assert sequence.encoding_id == good.pk
    assert stored_files(late.relative_dir) == {}
