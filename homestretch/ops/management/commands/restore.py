"""`manage.py restore BACKUP`: load a backup into an empty database, then check the media.

1. Create an empty database and point DATABASE_URL at it (stop the site first).
2. `manage.py restore /path/to/homestretch-<time>` loads the dump.
3. Copy the media back into MEDIA_ROOT (or the bucket), then
   `manage.py restore --check-media BACKUP` (it also runs after step 2) says whether
   every file the backup listed is there, intact.
4. `manage.py migrate` (a newer release may have migrations to apply), then start the site.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from homestretch.ops.backup import BackupError, backup_restore, media_check


class Command(BaseCommand):
    help = "Restore a backup folder into the configured, empty database; check the media."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path)
        parser.add_argument(
            "--check-media",
            action="store_true",
            help="Only compare the media storage with the backup's manifest.",
        )

    def handle(self, *args: Any, backup: Path, check_media: bool, **options: Any) -> None:
        if not check_media:
            try:
                description = backup_restore(backup=backup)
            except BackupError as e:
                raise CommandError(str(e)) from None
            self.stdout.write(f"Restored the database of {description['created_at']}.")
        check = media_check(backup=backup)
        if not check.ok:
            listed = ", ".join((check.missing + check.different)[:5])
            raise CommandError(
                "The media storage does not match the backup: "
                f"{len(check.missing)} file(s) missing, {len(check.different)} different "
                f"(e.g. {listed}). Copy the media back, then run "
                "`manage.py restore --check-media` again."
            )
        self.stdout.write(f"The media storage matches the backup ({check.checked} files).")
