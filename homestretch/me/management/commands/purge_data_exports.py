from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from homestretch.me.models import DataExport


class Command(BaseCommand):
    help = "Delete data exports (and their files) whose download link has expired."

    def handle(self, *args: Any, **options: Any) -> None:
        expired = DataExport.objects.filter(expires_at__lte=timezone.now())
        count = 0
        for export in expired:
            if export.file:
                export.file.delete(save=False)
            export.delete()
            count += 1
        self.stdout.write(f"{count} expired export(s) deleted.")
