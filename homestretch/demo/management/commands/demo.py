from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from homestretch.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from homestretch.demo.articles import ensure_demo_articles
from homestretch.demo.billing import ensure_demo_billing
from homestretch.demo.custom import ensure_demo_custom_sequences
from homestretch.demo.finder import ensure_demo_finder
from homestretch.demo.homework import ensure_demo_homework
from homestretch.demo.library import ensure_demo_library
from homestretch.demo.pages import ensure_demo_pages
from homestretch.demo.programs import ensure_demo_programs


class Command(BaseCommand):
    help = "Load the demo accounts and content. Safe to run again: it only adds what is missing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo accounts have a published password.",
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Four-second 360p demo videos instead of full ones (for tests).",
        )

    def handle(self, *args: Any, force: bool, quick: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: the demo accounts have a published "
                "password. Use --force if this really is a throwaway database."
            )
        accounts = ensure_demo_accounts()
        for email in accounts:
            self.stdout.write(f"Created {email}")
        sequences = ensure_demo_library(quick=quick, log=self.stdout.write)
        if sequences:
            self.stdout.write(f"Created {len(sequences)} demo sequences")
        billing = ensure_demo_billing()
        for item in billing:
            self.stdout.write(f"Created {item}")
        articles = ensure_demo_articles()
        for slug in articles:
            self.stdout.write(f"Created article {slug}")
        programs = ensure_demo_programs()
        for item in programs:
            self.stdout.write(f"Created {item}")
        instructors = ensure_demo_finder()
        if instructors:
            self.stdout.write(f"Created {len(instructors)} demo instructors")
        homework = ensure_demo_homework()
        for item in homework:
            self.stdout.write(f"Created {item}")
        customs = ensure_demo_custom_sequences()
        for item in customs:
            self.stdout.write(f"Created {item}")
        pages = ensure_demo_pages()
        for item in pages:
            self.stdout.write(f"Created {item}")
        if accounts:
            self.stdout.write(
                self.style.SUCCESS(f"Demo accounts use the password {DEMO_PASSWORD!r}.")
            )
        if not (
            accounts
            or sequences
            or billing
            or articles
            or programs
            or customs
            or instructors
            or homework
            or pages
        ):
            self.stdout.write("Demo data already loaded; nothing to do.")
