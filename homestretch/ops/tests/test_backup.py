"""A backup restored into an empty database has the member's logs and the library."""

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from homestretch.accounts.testing import make_alice
from homestretch.library.testing import folder_of, make_encoded
from homestretch.programs.models import PracticeLog
from tests.helpers import media_env, run_django

pytestmark = pytest.mark.also_s3


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A new database of the kind the tests run on, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:12]}"
    server = f"host={settings['HOST']} port={settings['PORT'] or 5432} user={settings['USER']}"
    if settings["PASSWORD"]:
        server += f" password={settings['PASSWORD']}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    yield f"postgres://{credentials}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"
    with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _member_with_logs() -> None:
    alice = make_alice()
    sequence = make_encoded("pelvic-clock")
    now = timezone.now()
    for days_ago in range(3):
        PracticeLog.objects.create(
            user=alice,
            sequence=sequence,
            logged_at=now - timedelta(days=days_ago),
            local_date=(now - timedelta(days=days_ago)).date(),
            pain_before=6,
            pain_after=4,
        )


# pg_dump and the restoring process read what this test wrote: it must be committed.
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database(
    tmp_path: Path, empty_database: str, settings
) -> None:
    _member_with_logs()
    master = f"{folder_of(make_encoded('sacrum-sway'))}/master.m3u8"

    call_command("backup", str(tmp_path / "backups"), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115

    (backup,) = (tmp_path / "backups").glob("homestretch-*")
    description = json.loads((backup / "backup.json").read_text())
    assert description["engine"] == connection.vendor
    assert "library" in description["migrations"]
    manifest = json.loads((backup / "media-manifest.json").read_text())["files"]
    listed = {entry["path"] for entry in manifest}
    assert master in listed

    env = {
        "DEBUG": "false",
        "SECRET_KEY": "restore-test-secret-key-0123456789-0123456789-0123456789",
        "EMAIL_URL": "console://",
        "DATABASE_URL": empty_database,
        **media_env(settings),
    }
    restored = run_django("restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stderr
    assert f"The media storage matches the backup ({len(manifest)} files)" in restored.stdout

    code = """
from homestretch.library.models import Sequence
from homestretch.programs.models import PracticeLog
logs = PracticeLog.objects.filter(user__email="alice@example.com")
print(logs.count(), sorted({log.pain_before for log in logs}))
print(sorted(s.slug for s in Sequence.objects.exclude(encoding=None)))
"""
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["3 [6]", "['pelvic-clock', 'sacrum-sway']"]

    again = run_django("restore", str(backup), env=env)
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_the_media_check_names_what_is_missing_or_changed(tmp_path: Path, settings) -> None:
    sequence = make_encoded("pelvic-clock")
    call_command("backup", str(tmp_path), stdout=open(tmp_path / "out", "w"))  # noqa: SIM115
    (backup,) = tmp_path.glob("homestretch-*")
    folder = folder_of(sequence)
    default_storage.delete(f"{folder}/master.m3u8")
    default_storage.delete(f"{folder}/poster.jpg")
    default_storage.save(f"{folder}/poster.jpg", ContentFile(b"not the poster any more"))

    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 file\\(s\\) missing, 1 different"):
        call_command("restore", str(backup), "--check-media")
