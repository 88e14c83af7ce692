"""Print a new VAPID key pair for web-push reminders, as the environment file takes it."""

from typing import Any

from django.core.management.base import BaseCommand

from homestretch.lib.vapid import vapid_pair


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair (WEBPUSH_VAPID_PUBLIC_KEY, WEBPUSH_VAPID_PRIVATE_KEY) "
        "for web-push reminders. A new pair ends every browser's subscription."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = vapid_pair()
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={public}\nWEBPUSH_VAPID_PRIVATE_KEY={private}")
