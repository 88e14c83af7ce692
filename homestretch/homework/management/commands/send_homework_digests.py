from typing import Any

from django.core.management.base import BaseCommand

from homestretch.homework.digest import digests_send


class Command(BaseCommand):
    help = (
        "Email instructors who opted in a digest of their clients' alerts, at most once a "
        "day each (their local day). Safe to run as often as you like, e.g. hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = digests_send()
        self.stdout.write(f"{sent} digest(s) queued.")
