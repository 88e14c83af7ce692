"""Mark failed the transcodes whose worker was killed (see `services.encoding_reap`).

Run it every minute (deploy/ has a systemd timer); running it twice changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand

from homestretch.library.services import encoding_reap


class Command(BaseCommand):
    help = "Mark failed the transcodes whose worker stopped without saying so."

    def handle(self, *args: Any, **options: Any) -> None:
        reaped = encoding_reap()
        if reaped or options["verbosity"] > 1:
            self.stdout.write(f"{reaped} stopped transcode(s) marked failed.")
