"""Send the practice reminders that are due now.

Run it every minute, from cron (`* * * * * python manage.py send_reminders`) or as a
long-running process beside the worker (`python manage.py send_reminders --every 60`).
Running it twice, or two of them at once, sends each reminder once.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from homestretch.practice.reminders import reminders_send

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send the practice reminders due now. With --every, keep doing so."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Run again every SECONDS (60 suits reminders set to the minute) until stopped.",
        )

    def handle(self, *args: Any, every: int | None, **options: Any) -> None:
        if every is None:
            self._run(quiet_when_none=False)
            return
        if every < 1:
            raise CommandError("--every needs a number of seconds, 1 or more.")
        try:
            while True:
                started = time.monotonic()
                # A long-lived process: drop a connection the database has closed meanwhile.
                close_old_connections()
                try:
                    self._run(quiet_when_none=options["verbosity"] < 2)
                except Exception:
                    # The database was away for a moment, say: the next minute retries.
                    log.exception("Sending reminders failed; trying again in %s s", every)
                time.sleep(max(0.0, every - (time.monotonic() - started)))
        except KeyboardInterrupt:
            pass

    def _run(self, *, quiet_when_none: bool) -> None:
        sent = reminders_send()
        if sent or not quiet_when_none:
            self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
