"""Import instructors from a CSV file: all rows or none.

Columns: email, name, city, country (required); latitude, longitude (else geocoded),
location, address, specialties and languages (separated by ";"), online (yes/no),
badge and issued_on (YYYY-MM-DD) for one credential.
"""

import csv
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from homestretch.accounts.models import Role, User
from homestretch.finder import services
from homestretch.finder.models import (
    LANGUAGES,
    CredentialType,
    Instructor,
    Location,
    Specialty,
)
from homestretch.lib.geo import parse_coordinate

REQUIRED = ("email", "name", "city", "country")


class RowError(Exception):
    pass


class DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


def _split(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(";") if part.strip()]


class Command(BaseCommand):
    help = "Import instructors from a CSV file. Nothing is saved unless every row is good."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and save nothing."
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        try:
            with file.open(newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
                fieldnames = set(rows[0].keys()) if rows else set()
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(f"Cannot read {file}: {e}") from None
        missing = [name for name in REQUIRED if name not in fieldnames]
        if not rows or missing:
            raise CommandError(
                f"{file} needs a header row with {', '.join(REQUIRED)}"
                + (f" (missing: {', '.join(missing)})." if missing else " and at least one row.")
            )
        types = {t.code: t for t in CredentialType.objects.all()}
        errors: list[str] = []
        seen: set[str] = set()
        try:
            with transaction.atomic():
                for number, row in enumerate(rows, start=2):  # line 1 is the header
                    self._progress(number - 1, len(rows))
                    try:
                        self._import(row, types=types, seen=seen)
                    except RowError as e:
                        errors.append(f"line {number}: {e}")
                self.stderr.write("")
                if errors:
                    raise RowError("\n".join(errors))
                if dry_run:
                    raise DryRun
        except RowError:
            for error in errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(errors)} bad row(s) in {file}; nothing was imported."
            ) from None
        except DryRun:
            self.stdout.write(f"Dry run: all {len(rows)} rows are good; nothing was saved.")
            return
        self.stdout.write(self.style.SUCCESS(f"Imported {len(rows)} instructors."))

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stderr.flush() if hasattr(self.stderr, "flush") else sys.stderr.flush()

    def _import(
        self, row: dict[str, str], *, types: dict[str, CredentialType], seen: set[str]
    ) -> None:
        email = (row.get("email") or "").strip().lower()
        name = (row.get("name") or "").strip()
        city = (row.get("city") or "").strip()
        country = (row.get("country") or "").strip().upper()
        for field, value in (
            ("email", email),
            ("name", name),
            ("city", city),
            ("country", country),
        ):
            if not value:
                raise RowError(f"{field} is empty")
        try:
            validate_email(email)
        except Exception:
            raise RowError(f"{email!r} is not an email address") from None
        if email in seen:
            raise RowError(f"{email} appears twice in the file")
        seen.add(email)
        if Instructor.objects.filter(user__email=email).exists():
            raise RowError(f"{email} already has an instructor profile")
        specialties = _split(row.get("specialties", ""))
        if bad := [s for s in specialties if s not in Specialty.values]:
            raise RowError(
                f"unknown specialty {', '.join(bad)} (known: {', '.join(Specialty.values)})"
            )
        languages = _split(row.get("languages", ""))
        if bad := [code for code in languages if code not in LANGUAGES]:
            raise RowError(f"unknown language code {', '.join(bad)}")
        if row.get("latitude") or row.get("longitude"):
            try:
                lat = parse_coordinate(row.get("latitude", ""), limit=90)
                lng = parse_coordinate(row.get("longitude", ""), limit=180)
            except ValueError as e:
                raise RowError(f"bad coordinates: {e}") from None
        else:
            try:
                lat, lng = services.locate(city=city, country=country)
            except services.FinderError as e:
                raise RowError(str(e)) from None
        badge = (row.get("badge") or "").strip()
        issued_on = None
        if badge:
            if badge not in types:
                raise RowError(f"unknown badge {badge!r} (known: {', '.join(types) or 'none'})")
            try:
                issued_on = date.fromisoformat((row.get("issued_on") or "").strip())
            except ValueError:
                raise RowError("issued_on must be a date like 2025-03-31") from None
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, display_name=name, password=None
        )
        user.add_role(Role.INSTRUCTOR)
        instructor = Instructor.objects.create(
            user=user,
            slug=services.unique_slug(name),
            display_name=name,
            specialties=f",{','.join(sorted(specialties))}," if specialties else "",
            languages=f",{','.join(sorted(languages))}," if languages else "",
            teaches_online=(row.get("online") or "").strip().lower() in ("yes", "true", "1"),
            status=Instructor.Status.PUBLISHED,
        )
        Location.objects.create(
            instructor=instructor,
            name=(row.get("location") or "").strip() or f"{name}'s studio",
            address=(row.get("address") or "").strip(),
            city=city,
            country=country,
            latitude=lat,
            longitude=lng,
        )
        if badge:
            services.credential_issue(instructor=instructor, type=types[badge], issued_on=issued_on)
