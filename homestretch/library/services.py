"""Writes that span models: encodings (transcoding runs), search entries, progress."""

import logging
import shutil
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.library import media
from homestretch.library.captions import cues
from homestretch.library.models import Encoding, Favorite, SearchEntry, Sequence, WatchProgress

log = logging.getLogger(__name__)


class EncodingError(Exception):
    pass


def hls_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "hls"


def encoding_dir(encoding: Encoding) -> Path:
    return Path(settings.MEDIA_ROOT) / encoding.relative_dir


def encoding_start(*, sequence: Sequence) -> Encoding:
    """Queue a transcode of the sequence's source. One run at a time per sequence."""
    from homestretch.library.tasks import run_encoding

    if not sequence.source:
        raise EncodingError("Upload a source video first.")
    try:
        with transaction.atomic():
            encoding = Encoding.objects.create(sequence=sequence)
    except IntegrityError:
        raise EncodingError("This sequence is already being transcoded.") from None
    transaction.on_commit(lambda: run_encoding.enqueue(encoding_id=encoding.pk))
    return encoding


def encoding_run(*, encoding_id: int) -> Encoding:
    """Transcode into the encoding's own new folder; switch the sequence to it on success.

    1. Mark the run as running (a run that isn't queued any more is left alone).
    2. Transcode with one ffmpeg process, saving progress and ETA as they come.
    3. On success, in one transaction: lock the sequence, point it at the new encoding.
       The previous encoding's files stay until cleanup, so players mid-way keep going.
    4. On failure: mark failed with ffmpeg's last lines; the sequence is untouched.
    """
    updated = Encoding.objects.filter(pk=encoding_id, state=Encoding.State.QUEUED).update(
        state=Encoding.State.RUNNING, started_at=timezone.now()
    )
    encoding = Encoding.objects.select_related("sequence").get(pk=encoding_id)
    if not updated:
        return encoding
    sequence = encoding.sequence
    out_dir = encoding_dir(encoding)
    last_saved = 0.0

    def on_progress(fraction: float, eta: float | None) -> None:
        nonlocal last_saved
        if time.monotonic() - last_saved < 1:
            return
        last_saved = time.monotonic()
        Encoding.objects.filter(pk=encoding_id).update(
            progress=round(fraction, 4), eta_seconds=None if eta is None else int(eta)
        )

    try:
        out_dir.mkdir(parents=True, exist_ok=False)
        result = media.transcode(Path(sequence.source.path), out_dir, on_progress=on_progress)
    except media.MediaError as e:
        error = getattr(e, "tail", "") or str(e)
        Encoding.objects.filter(pk=encoding_id).update(
            state=Encoding.State.FAILED, error=f"{e}\n\n{error}".strip(), finished_at=timezone.now()
        )
        shutil.rmtree(out_dir, ignore_errors=True)
        encoding.refresh_from_db()
        return encoding

    with transaction.atomic():
        locked = Sequence.objects.select_for_update().get(pk=sequence.pk)
        Encoding.objects.filter(pk=encoding_id).update(
            state=Encoding.State.READY,
            progress=1,
            eta_seconds=0,
            heights=[r.height for r in result.renditions],
            finished_at=timezone.now(),
        )
        locked.encoding_id = encoding_id
        locked.duration_seconds = round(result.duration)
        locked.save(update_fields=["encoding", "duration_seconds", "updated_at"])
    encoding.refresh_from_db()
    return encoding


def encoding_retry(*, encoding: Encoding) -> Encoding:
    if encoding.state != Encoding.State.FAILED:
        raise EncodingError("Only a failed run can be retried.")
    return encoding_start(sequence=encoding.sequence)


def encoding_cleanup(
    *, stale_after: timedelta = timedelta(hours=6), keep_previous: timedelta = timedelta(days=1)
) -> list[str]:
    """Remove what crashed or superseded runs left behind; return the folders removed.

    - A run still 'running' long after it started belongs to a worker that died: failed.
    - Folders of failed runs, and folders on disk no encoding knows of, are deleted.
    - A superseded ready encoding keeps its files for a day, for players mid-way.
    """
    now = timezone.now()
    Encoding.objects.filter(state=Encoding.State.RUNNING, started_at__lt=now - stale_after).update(
        state=Encoding.State.FAILED, error="The worker stopped during this run.", finished_at=now
    )

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
    root = hls_root()
    if root.is_dir():
        for folder in root.iterdir():
            if folder.is_dir() and folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
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


@transaction.atomic
def favorite_toggle(*, user: User, sequence: Sequence) -> bool:
    """Add the sequence to the member's favorites, or take it out; True if now a favorite."""
    deleted, _ = Favorite.objects.filter(user=user, sequence=sequence).delete()
    if deleted:
        return False
    Favorite.objects.get_or_create(user=user, sequence=sequence)
    return True
