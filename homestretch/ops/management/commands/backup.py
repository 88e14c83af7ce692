"""`manage.py backup DESTINATION`: dump the database and list the media (ops/backup.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homestretch.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a backup folder (database dump and media manifest) into DESTINATION. "
        "Copy MEDIA_ROOT (or the bucket) yourself afterwards (rsync, restic, replication)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", type=Path)

    def handle(self, *args: Any, destination: Path, **options: Any) -> None:
        try:
            folder = backup_create(destination=destination)
        except BackupError as e:
            raise CommandError(str(e)) from None
        self.stdout.write(str(folder))
