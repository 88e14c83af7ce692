"""Writes that span models: encodings (transcoding runs), search entries, progress."""

import logging
import math
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.lib import storage
from homestretch.library import media
from homestretch.library.captions import cues
from homestretch.library.models import (
    Encoding,
    Favorite,
    PlayerPreference,
    SearchEntry,
    Sequence,
    WatchProgress,
)

log = logging.getLogger(__name__)


class EncodingError(Exception):
    pass


HLS_ROOT = "hls"  # in the media storage: one folder per encoding, hls/<uuid>/


STORAGE_RETRY = (
    "The sequence still plays its previous version. Once the storage answers, select this "
    'run in Library > Encodings and choose "Retry failed runs".'
)
STOPPED_MESSAGE = (
    "The worker stopped during this run (it was killed, or its machine restarted). "
    "The sequence still plays its previous version. To try again, select this run in "
    'Library > Encodings and choose "Retry failed runs".'
)


def transcode_timeout(seconds: float) -> int:
    """How long the worker may spend on a source this long before it stops the job.

    A multiple of the source's length (a 30-minute class encodes in about real time on two
    cores), kept between a floor, for short clips on a busy machine, and a ceiling, so a
    stuck run ends some day. All three are settings.
    """
    limit = math.ceil(seconds * settings.LIBRARY_TRANSCODE_TIMEOUT_FACTOR)
    return max(
        settings.LIBRARY_TRANSCODE_TIMEOUT_MIN, min(settings.LIBRARY_TRANSCODE_TIMEOUT_MAX, limit)
    )


_PROBE_ERRORS: tuple[type[BaseException], ...] = (media.MediaError, *storage.STORAGE_ERRORS)


def source_seconds(sequence: Sequence) -> float:
    """The source's length: as measured when it was uploaded, else by probing it.

    The admin measures each upload (it probes it anyway) and keeps the length on the
    sequence, so queueing a transcode never downloads a source from the bucket.
    """
    if sequence.duration_seconds:
        return float(sequence.duration_seconds)
    try:
        with storage.local_copy(sequence.source.name) as path:
            return media.probe(path).duration
    except _PROBE_ERRORS:
        return 0  # the run will fail and say why; the floor is time enough for that


def encoding_start(*, sequence: Sequence) -> Encoding:
    """Queue a transcode of the sequence's source. One run at a time per sequence."""
    from homestretch.library.tasks import run_encoding

    if not sequence.source:
        raise EncodingError("Upload a source video first.")
    seconds = source_seconds(sequence)
    timeout = transcode_timeout(seconds)
    try:
        with transaction.atomic():
            encoding = Encoding.objects.create(sequence=sequence)
    except IntegrityError:
        raise EncodingError("This sequence is already being transcoded.") from None
    log.info(
        "Encoding %s of %s queued: %.0f s of source, job timeout %s s",
        encoding.pk,
        sequence.slug,
        seconds,
        timeout,
    )
    transaction.on_commit(
        lambda: run_encoding.enqueue(encoding_id=encoding.pk, job_timeout=timeout)
    )
    return encoding


def encoding_run(*, encoding_id: int) -> Encoding:
    """Transcode into a new folder of the media storage; switch the sequence to it on success.

    1. Mark the run as running (a run that isn't queued any more is left alone).
    2. Copy the source to a temporary folder on this machine (the local storage's own
       file needs no copy) and transcode there with one ffmpeg process, saving progress,
       ETA and a heartbeat as they come (a run whose heartbeat stops is marked failed by
       `encoding_reap`).
    3. Upload the new folder to the storage, master.m3u8 last, still beating.
    4. On success, in one transaction: lock the sequence, point it at the new encoding,
       unless the run was given up on meanwhile. The previous encoding's files stay until
       cleanup, so players mid-way keep going.
    5. On failure, also when the worker stops the job at its timeout or the storage can't
       be reached: mark failed with what went wrong; the sequence is untouched.
    """
    now = timezone.now()
    running = Encoding.objects.filter(pk=encoding_id, state=Encoding.State.RUNNING)
    updated = Encoding.objects.filter(pk=encoding_id, state=Encoding.State.QUEUED).update(
        state=Encoding.State.RUNNING, started_at=now, heartbeat_at=now
    )
    encoding = Encoding.objects.select_related("sequence").get(pk=encoding_id)
    if not updated:
        return encoding
    sequence = encoding.sequence
    folder = encoding.relative_dir
    last_saved = 0.0
    log.info("Encoding %s of %s started", encoding_id, sequence.slug)

    def beat(**fields: object) -> None:
        nonlocal last_saved
        if time.monotonic() - last_saved < 1:
            return
        last_saved = time.monotonic()
        running.update(heartbeat_at=timezone.now(), **fields)

    def on_progress(fraction: float, eta: float | None) -> None:
        # The upload after ffmpeg is the last few percent of the bar.
        beat(progress=round(fraction * 0.95, 4), eta_seconds=None if eta is None else int(eta))

    def on_uploaded(done: int, total: int) -> None:
        beat(progress=round(0.95 + 0.05 * done / max(total, 1), 4))

    def remove_folder() -> None:
        try:
            storage.delete_folder(folder)
        except storage.STORAGE_ERRORS:
            log.warning("Could not remove %s; cleanup will", folder, exc_info=True)

    def fail(error: str) -> Encoding:
        running.update(state=Encoding.State.FAILED, error=error, finished_at=timezone.now())
        remove_folder()
        encoding.refresh_from_db()
        log.warning("Encoding %s of %s failed: %s", encoding_id, sequence.slug, error)
        return encoding

    try:
        with (
            tempfile.TemporaryDirectory(prefix="homestretch-encoding-") as work,
            storage.local_copy(sequence.source.name) as source,
        ):
            out_dir = Path(work) / "hls"
            result = media.transcode(source, out_dir, on_progress=on_progress)
            storage.upload_folder(out_dir, folder, last="master.m3u8", on_file=on_uploaded)
    except media.MediaError as e:
        error = getattr(e, "tail", "") or str(e)
        return fail(f"{e}\n\n{error}".strip())
    except storage.STORAGE_ERRORS as e:
        log.warning("Encoding %s: media storage error", encoding_id, exc_info=True)
        return fail(f"{storage.describe(e)}\n\n{STORAGE_RETRY}")
    except BaseException as e:
        # The worker's timeout (RQ raises it inside the job), a shutdown, or a bug: the
        # run ends here, so it must not stay "running". The worker records it too.
        fail(f"The run stopped: {str(e) or type(e).__name__}")
        raise

    with transaction.atomic():
        locked = Sequence.objects.select_for_update().get(pk=sequence.pk)
        finished = running.update(
            state=Encoding.State.READY,
            progress=1,
            eta_seconds=0,
            heights=[r.height for r in result.renditions],
            finished_at=timezone.now(),
        )
        if finished:
            locked.encoding_id = encoding_id
            locked.duration_seconds = round(result.duration)
            locked.save(update_fields=["encoding", "duration_seconds", "updated_at"])
    if not finished:  # marked failed while it ran (its heartbeat was late): not switched
        remove_folder()
    encoding.refresh_from_db()
    log.info("Encoding %s of %s ended: %s", encoding_id, sequence.slug, encoding.state)
    return encoding


def encoding_retry(*, encoding: Encoding) -> Encoding:
    if encoding.state != Encoding.State.FAILED:
        raise EncodingError("Only a failed run can be retried.")
    return encoding_start(sequence=encoding.sequence)


def encoding_reap(*, stale_after: timedelta | None = None) -> int:
    """Mark failed the runs whose worker is gone; return how many.

    A running encoding's worker writes a heartbeat at least every few seconds; one that
    has been silent for LIBRARY_TRANSCODE_STALE_SECONDS was killed with its worker (a
    SIGKILL, the OOM killer, a reboot), which could not say so itself. Staff retry it
    from the admin. Run every minute by `manage.py reap_encodings` (deploy/), and before
    every transcode.
    """
    if stale_after is None:
        stale_after = timedelta(seconds=settings.LIBRARY_TRANSCODE_STALE_SECONDS)
    now = timezone.now()
    silent = Q(heartbeat_at__lt=now - stale_after) | Q(
        heartbeat_at=None, started_at__lt=now - stale_after
    )
    reaped = (
        Encoding.objects.filter(state=Encoding.State.RUNNING)
        .filter(silent)
        .update(state=Encoding.State.FAILED, error=STOPPED_MESSAGE, finished_at=now)
    )
    if reaped:
        log.warning("Marked %s encoding(s) failed: their worker stopped", reaped)
    return reaped


def encoding_cleanup(*, keep_previous: timedelta = timedelta(days=1)) -> list[str]:
    """Remove what crashed or superseded runs left behind; return the folders removed.

    - A run whose worker died is marked failed first (`encoding_reap`).
    - Folders of failed runs, and folders in the storage no encoding knows of, are deleted.
    - A superseded ready encoding keeps its files for a day, for players mid-way.
    """
    encoding_reap()
    now = timezone.now()

    current = set(
        Sequence.objects.exclude(encoding=None).values_list("encoding__folder", flat=True)
    )
    keep = {str(f) for f in current}
    keep |= {
        str(f)
        for f in Encoding.objects.filter(
            state__in=[Encoding.State.QUEUED, Encoding.State.RUNNING]
        ).values_list("folder", flat=True)
    }
    keep |= {
        str(f)
        for f in Encoding.objects.filter(
            state=Encoding.State.READY, finished_at__gt=now - keep_previous
        ).values_list("folder", flat=True)
    }
    removed = []
    for name in storage.folders(HLS_ROOT):
        if name not in keep:
            storage.delete_folder(f"{HLS_ROOT}/{name}")
            removed.append(name)
    return removed


@transaction.atomic
def sequence_reindex(*, sequence: Sequence) -> None:
    """Rebuild the search entries of one sequence from its text, chapters and captions."""
    SearchEntry.objects.filter(sequence=sequence).delete()
    entries = [SearchEntry(sequence=sequence, kind=SearchEntry.Kind.TITLE, text=sequence.title)]
    if sequence.description:
        entries.append(
            # With the title, so a query may name words from both.
            SearchEntry(
                sequence=sequence,
                kind=SearchEntry.Kind.DESCRIPTION,
                text=f"{sequence.title}. {sequence.description}",
            )
        )
    entries += [
        SearchEntry(
            sequence=sequence,
            kind=SearchEntry.Kind.CHAPTER,
            text=chapter.title,
            start_seconds=chapter.start_seconds,
        )
        for chapter in sequence.chapters.all()
    ]
    for caption in sequence.captions.all():
        entries += [
            SearchEntry(
                sequence=sequence,
                kind=SearchEntry.Kind.TRANSCRIPT,
                text=cue.text,
                start_seconds=cue.start,
            )
            for cue in cues(caption.vtt)
        ]
    SearchEntry.objects.bulk_create(entries)


def progress_save(
    *, user: User, sequence: Sequence, position: float, duration: float | None = None
) -> WatchProgress:
    length = duration or sequence.duration_seconds
    finished = bool(length) and position >= length - 5
    progress, _ = WatchProgress.objects.update_or_create(
        user=user,
        sequence=sequence,
        defaults={"position_seconds": max(0.0, position), "finished": finished},
    )
    return progress


class BadPreference(ValueError):
    """A player preference outside what the player offers."""


def player_preference_save(*, user: User, speed: float, captions: str) -> PlayerPreference:
    """Remember the member's speed and captions choice (captions: a language, or "" for off)."""
    if speed not in PlayerPreference.SPEEDS:
        raise BadPreference(f"Speed must be one of {', '.join(map(str, PlayerPreference.SPEEDS))}.")
    if len(captions) > 16 or not all(c.isalnum() or c == "-" for c in captions):
        raise BadPreference("Captions must be a language code, or empty for off.")
    preference, _ = PlayerPreference.objects.update_or_create(
        user=user, defaults={"speed": speed, "captions": captions}
    )
    return preference


@transaction.atomic
def favorite_toggle(*, user: User, sequence: Sequence) -> bool:
    """Add the sequence to the member's favorites, or take it out; True if now a favorite."""
    deleted, _ = Favorite.objects.filter(user=user, sequence=sequence).delete()
    if deleted:
        return False
    Favorite.objects.get_or_create(user=user, sequence=sequence)
    return True
