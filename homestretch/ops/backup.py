"""Backups: the database, dumped consistently, and a manifest of the media files.

A backup is a folder, `homestretch-<UTC time>/`, holding

    backup.json           what it is: when, which database engine, the latest migrations
    database.pgdump       PostgreSQL: `pg_dump --format=custom` (restored by pg_restore)
    database.sqlite3      SQLite: a copy made with SQLite's online backup API
    media-manifest.json   every file of the media storage with its size and SHA-256
                          (the local folder) or ETag (a bucket)

The media files themselves (gigabytes of video) are copied by the operator's own tool
(rsync, restic, a bucket's versioning or replication), after `backup`: the manifest is
written after the dump, and files are never rewritten in place (an upload gets a new
name, an encoding a new folder), so every file the dump refers to is in the manifest.
`restore` checks the media storage against it.

Hashing every video every night would read the whole library: a file whose size and
modification time match the previous backup's manifest keeps its hash, and a bucket's
files are not read at all (the bucket's ETag stands for the content).
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from homestretch.lib import storage

MANIFEST = "media-manifest.json"
DESCRIPTION = "backup.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class MediaCheck:
    missing: list[str]
    different: list[str]
    checked: int

    @property
    def ok(self) -> bool:
        return not self.missing and not self.different


def _pg_env(config: dict[str, Any]) -> dict[str, str]:
    """libpq's environment for one of Django's database settings (no password on argv)."""
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} was not found: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client), the same version as the server "
            "or newer."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _is_bucket() -> bool:
    return hasattr(default_storage, "bucket_name")


def _previous_hashes(destination: Path) -> dict[tuple[str, int, str], str]:
    manifests = sorted(destination.glob(f"homestretch-*/{MANIFEST}"))
    if not manifests:
        return {}
    files = json.loads(manifests[-1].read_text())["files"]
    return {
        (f["path"], f["size"], f.get("version", "")): f["sha256"] for f in files if "sha256" in f
    }


def media_manifest(known: dict[tuple[str, int, str], str]) -> list[dict[str, Any]]:
    """Every file of the media storage: name, size, version, and SHA-256 on local disk."""
    files = []
    hashing = not _is_bucket()
    for name, size, version in storage.listing(""):
        entry: dict[str, Any] = {"path": name, "size": size, "version": version}
        if hashing:
            entry["sha256"] = known.get((name, size, version)) or _sha256(name)
        files.append(entry)
    return files


def backup_create(*, destination: Path) -> Path:
    """Write a backup folder into `destination`; return it.

    1. Dump the database: pg_dump's custom format (one snapshot, so consistent while the
       site runs), or SQLite's online backup of the live database.
    2. Then list the media storage with sizes and hashes.
    3. Describe the backup last, so a folder without backup.json is an unfinished one.
    """
    destination.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    known = _previous_hashes(destination)
    folder = destination / f"homestretch-{stamp}"
    folder.mkdir()
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {vendor}.")
    dump = folder / DUMPS[vendor]
    if vendor == "postgresql":
        command = ["pg_dump", "--format=custom", "--no-password", f"--file={dump}"]
        _run(command, _pg_env(connection.settings_dict))
    else:
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    files = media_manifest(known)
    (folder / MANIFEST).write_text(json.dumps({"files": files}, indent=1))
    # The newest migration of each app: a release with newer ones can still restore it.
    latest = dict(MigrationRecorder.Migration.objects.order_by("id").values_list("app", "name"))
    description = {
        "created_at": datetime.now(UTC).isoformat(),
        "engine": vendor,
        "database": dump.name,
        "media_files": len(files),
        "media_bytes": sum(f["size"] for f in files),
        "migrations": latest,
    }
    (folder / DESCRIPTION).write_text(json.dumps(description, indent=1))
    return folder


def media_check(*, backup: Path) -> MediaCheck:
    """Compare the media storage with the backup's manifest (by size, then by content)."""
    missing, different = [], []
    files = json.loads((backup / MANIFEST).read_text())["files"]
    present = {name: (size, version) for name, size, version in storage.listing("")}
    for entry in files:
        found = present.get(entry["path"])
        if found is None:
            missing.append(entry["path"])
        elif found[0] != entry["size"]:
            different.append(entry["path"])
        elif "sha256" in entry:
            if found[1] != entry.get("version") and _sha256(entry["path"]) != entry["sha256"]:
                different.append(entry["path"])
        elif found[1] != entry.get("version"):  # a bucket's ETag
            different.append(entry["path"])
    return MediaCheck(missing=missing, different=different, checked=len(files))


def backup_restore(*, backup: Path) -> dict[str, Any]:
    """Load a backup's database into the configured, empty database.

    Refuses a database that has tables: restoring over live data would mix two sites.
    """
    description_file = backup / DESCRIPTION
    if not description_file.is_file():
        raise BackupError(f"{backup} is not a finished backup (it has no {DESCRIPTION}).")
    description: dict[str, Any] = json.loads(description_file.read_text())
    vendor = connection.vendor
    if description["engine"] != vendor:
        raise BackupError(
            f"This backup is of a {description['engine']} database; DATABASE_URL points at "
            f"{vendor}."
        )
    if connection.introspection.table_names():
        raise BackupError(
            "The database is not empty. Restore into a new, empty database "
            "(PostgreSQL: createdb), then point DATABASE_URL at it."
        )
    dump = backup / description["database"]
    if vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--no-password", f"--dbname={connection.settings_dict['NAME']}", str(dump)]
        _run(command, _pg_env(connection.settings_dict))
    else:
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    return description
