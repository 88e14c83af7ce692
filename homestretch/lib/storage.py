"""Folders of media files through Django's storage API: the local MEDIA_ROOT and an S3
bucket alike (settings.MEDIA_STORAGE).

Django's Storage knows single files; an encoding is a folder of hundreds. These helpers
upload, list, copy out and delete whole folders, taking the bucket's bulk calls when the
storage is S3 (one listing and one delete per thousand objects instead of one call each).
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage

try:
    from botocore.exceptions import BotoCoreError, ClientError

    # What a bucket that is unreachable, or refuses the keys, raises.
    STORAGE_ERRORS: tuple[type[BaseException], ...] = (OSError, BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - botocore ships with the requirements
    STORAGE_ERRORS = (OSError,)

# Uploads to a bucket are network round trips: several at once fill the link.
UPLOAD_THREADS = 8


class StorageUnavailable(Exception):
    """The media storage could not be reached or refused the request; says so for staff."""


def describe(error: BaseException) -> str:
    """A storage failure in words fit for staff (the details go to the log)."""
    code = ""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403"):
        return f"The media storage refused the keys ({code}): check MEDIA_S3_ACCESS_KEY_ID."
    if code in ("NoSuchBucket", "404"):
        return "The media storage has no such bucket: check MEDIA_S3_BUCKET."
    if code:
        return f"The media storage refused the request ({code})."
    return f"The media storage could not be reached ({type(error).__name__})."


def _bucket(storage: Storage) -> Any:
    """The boto3 Bucket of an S3 storage, or None for any other storage."""
    return getattr(storage, "bucket", None) if hasattr(storage, "bucket_name") else None


def _key(storage: Storage, name: str) -> str:
    # S3Storage's own mapping of a name to a key (its `location` prefix, normalised).
    key: str = storage._normalize_name(name)  # type: ignore[attr-defined]
    return key


def upload_folder(
    local: Path,
    prefix: str,
    *,
    last: str | None = None,
    on_file: Callable[[int, int], None] | None = None,
    storage: Storage = default_storage,
) -> int:
    """Copy every file under `local` to `prefix/<relative path>`; return how many.

    `last` (a relative path) goes up after all the others: a folder whose `last` file
    exists is complete, for whoever looks at it in the meantime. `on_file(done, total)`
    is called in the caller's thread after each file (a transcode's heartbeat).
    """
    files = sorted(p for p in local.rglob("*") if p.is_file())
    final = [p for p in files if last and p.relative_to(local).as_posix() == last]
    files = [p for p in files if p not in final]
    total = len(files) + len(final)

    def put(path: Path) -> None:
        name = f"{prefix}/{path.relative_to(local).as_posix()}"
        with path.open("rb") as f:
            saved = storage.save(name, File(f, name=path.name))
        if saved != name:  # folders are new: a clash means two runs share one
            raise StorageUnavailable(f"{name} already existed in the media storage.")

    threads = UPLOAD_THREADS if _bucket(storage) is not None else 1
    done = 0
    pool = ThreadPoolExecutor(max_workers=threads)
    try:
        for future in as_completed([pool.submit(put, path) for path in files]):
            future.result()
            done += 1
            if on_file:
                on_file(done, total)
    finally:
        # On the first failure, the files not yet started are not sent at all.
        pool.shutdown(wait=True, cancel_futures=True)
    for path in final:
        put(path)
        done += 1
        if on_file:
            on_file(done, total)
    return total


def walk(prefix: str, *, storage: Storage = default_storage) -> Iterator[str]:
    """Every file name under `prefix`, at any depth."""
    for name, _, _ in listing(prefix, storage=storage):
        yield name


def _prefix(storage: Storage, prefix: str) -> str:
    root = _key(storage, prefix).strip("/")
    return f"{root}/" if root else ""


def listing(
    prefix: str = "", *, storage: Storage = default_storage
) -> Iterator[tuple[str, int, str]]:
    """(name, size, version) of every file under `prefix` ("" for all of them).

    The version is the bucket's ETag, or the file's modification time on disk: what
    changes when the file's content does, without reading it.
    """
    bucket = _bucket(storage)
    if bucket is not None:
        strip = len(_key(storage, "x")) - 1  # the storage's own location prefix
        for obj in bucket.objects.filter(Prefix=_prefix(storage, prefix)):
            yield obj.key[strip:], int(obj.size), str(obj.e_tag).strip('"')
        return
    if not storage.exists(prefix):
        return
    subfolders, files = storage.listdir(prefix)
    base = f"{prefix}/" if prefix else ""
    for file in sorted(files):
        name = f"{base}{file}"
        modified = storage.get_modified_time(name).timestamp()
        yield name, storage.size(name), f"{modified:.6f}"
    for folder in sorted(subfolders):
        yield from listing(f"{base}{folder}", storage=storage)


def check(*, storage: Storage = default_storage) -> bool:
    """Whether files can be stored: the bucket answers the keys, or the folder is writable."""
    bucket = _bucket(storage)
    if bucket is not None:
        bucket.meta.client.head_bucket(Bucket=bucket.name)
        return True
    location = str(getattr(storage, "location", ""))
    return os.path.isdir(location) and os.access(location, os.W_OK | os.X_OK)


def folders(prefix: str, *, storage: Storage = default_storage) -> list[str]:
    """The names of the folders right under `prefix` ([] when there is none)."""
    if _bucket(storage) is None and not storage.exists(prefix):
        return []
    found, _ = storage.listdir(prefix)
    return sorted(found)


def delete_folder(prefix: str, *, storage: Storage = default_storage) -> None:
    """Delete `prefix` and everything under it (nothing happens if it isn't there)."""
    if not prefix.strip("/"):
        raise ValueError("delete_folder needs a folder, not the whole storage.")
    bucket = _bucket(storage)
    if bucket is not None:
        bucket.objects.filter(Prefix=_prefix(storage, prefix)).delete()
        return
    if not storage.exists(prefix):
        return
    subfolders, files = storage.listdir(prefix)
    for file in files:
        storage.delete(f"{prefix}/{file}")
    for folder in subfolders:
        delete_folder(f"{prefix}/{folder}", storage=storage)
    storage.delete(prefix)  # FileSystemStorage removes the (now empty) folder


def read_bytes(name: str, *, storage: Storage = default_storage) -> bytes:
    with storage.open(name, "rb") as f:
        data: bytes = f.read()
    return data


@contextmanager
def local_copy(name: str, *, storage: Storage = default_storage) -> Iterator[Path]:
    """A file on this machine's disk with the stored file's content, for ffmpeg.

    The local storage's own file when there is one (no copy of gigabytes); otherwise the
    file downloaded into a temporary folder, removed afterwards.
    """
    try:
        path = Path(storage.path(name))
    except NotImplementedError:
        pass
    else:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="homestretch-") as tmp:
        target = Path(tmp) / Path(name).name
        bucket = _bucket(storage)
        if bucket is not None:
            bucket.download_file(_key(storage, name), str(target))
        else:
            with storage.open(name, "rb") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
        yield target
