"""Demo finder: about 40 invented instructors in 12 cities on five continents.

Every fourth instructor holds a valid NS badge; some hold an expired one. The demo
instructor (instructor@example.com) has a published profile with NS, and one other
instructor has a revision waiting in the moderation queue.
"""

import colorsys
import random
from datetime import time, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from homestretch.accounts.models import Role, User
from homestretch.finder import services
from homestretch.finder.models import (
    Class,
    CredentialType,
    Instructor,
    Location,
    Specialty,
)

CREDENTIAL_TYPES = [
    ("F1", "Foundations", 1, "Knows the basic self-care sequences and how to teach them.", 24),
    ("SI", "SI joint specialist", 2, "Trained in SI joint and pelvic assessment.", 24),
    ("NS", "NeuroStrength", 3, "The method's highest level.", 12),
]
# city, country, latitude, longitude, timezone, languages
CITIES = [
    ("Berlin", "DE", 52.52437, 13.41053, "Europe/Berlin", ["de", "en"]),
    ("Hamburg", "DE", 53.55073, 9.99302, "Europe/Berlin", ["de"]),
    ("Paris", "FR", 48.85341, 2.3488, "Europe/Paris", ["fr", "en"]),
    ("London", "GB", 51.50853, -0.12574, "Europe/London", ["en"]),
    ("Madrid", "ES", 40.4165, -3.70256, "Europe/Madrid", ["es"]),
    ("New York City", "US", 40.71427, -74.00597, "America/New_York", ["en", "es"]),
    ("Toronto", "CA", 43.70011, -79.4163, "America/Toronto", ["en", "fr"]),
    ("São Paulo", "BR", -23.5475, -46.63611, "America/Sao_Paulo", ["pt"]),
    ("Tokyo", "JP", 35.6895, 139.69171, "Asia/Tokyo", ["ja", "en"]),
    ("Sydney", "AU", -33.86785, 151.20732, "Australia/Sydney", ["en"]),
    ("Nairobi", "KE", -1.28333, 36.81667, "Africa/Nairobi", ["sw", "en"]),
    ("Auckland", "NZ", -36.84853, 174.76349, "Pacific/Auckland", ["en"]),
]
FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "Dev",
    "Elif",
    "Femi",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kemi",
    "Lior",
    "Mara",
    "Noor",
    "Otto",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tove",
]
LAST = [
    "Adler",
    "Brandt",
    "Costa",
    "Dahl",
    "Eze",
    "Fischer",
    "Gómez",
    "Hayashi",
    "Ivanova",
    "Jensen",
    "Kruger",
    "Lund",
    "Moreau",
    "Novak",
    "Okafor",
    "Park",
]
CLASS_TITLES = [
    "SI joint basics",
    "Pelvic stability",
    "Gentle back care",
    "Hips and knees",
    "Postpartum strength",
]
DEMO_INSTRUCTOR = "instructor@example.com"
PENDING_SLUG = "ana-adler"


def _bio(name: str, city: str) -> str:
    return (
        f"I teach the method in **{city}**: small groups and one-to-one sessions for "
        "people with SI joint and pelvic pain.\n\n"
        "- Gentle, precise homework you can do at home\n"
        "- Plenty of time for questions\n"
    )


def _photo(instructor: Instructor) -> None:
    """A made-up picture for the profile (a colour and the initials, no one's face), stored
    through the same resizing as an instructor's upload."""
    hue = random.Random(instructor.slug).random()  # noqa: S311 - a colour, not a secret
    red, green, blue = colorsys.hls_to_rgb(hue, 0.45, 0.45)
    image = Image.new("RGB", (400, 400), (int(red * 255), int(green * 255), int(blue * 255)))
    initials = "".join(part[0] for part in instructor.display_name.split()[:2]).upper()
    draw = ImageDraw.Draw(image)
    draw.text((200, 200), initials, fill="white", anchor="mm", font=ImageFont.load_default(160))
    buffer = BytesIO()
    image.save(buffer, "PNG")
    upload = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    for field, content in services.photo_versions(upload).items():
        getattr(instructor, field).save(f"demo-{instructor.slug}.jpg", content, save=False)
    instructor.save(update_fields=list(services.PHOTO_SIZES))


def _profile(
    *,
    user: User,
    name: str,
    city: tuple[str, str, float, float, str, list[str]],
    rng: random.Random,
    badges: dict[str, CredentialType],
    ns: bool,
    expired_ns: bool,
) -> Instructor:
    city_name, country, lat, lng, zone, languages = city
    instructor = Instructor.objects.create(
        user=user,
        slug=services.unique_slug(name),
        display_name=name,
        bio=_bio(name, city_name),
        bio_html=services.render_bio(_bio(name, city_name)),
        specialties=",".join(["", *sorted(rng.sample(list(Specialty.values), 2)), ""]),
        languages=",".join(["", *sorted(languages), ""]),
        teaches_online=rng.random() < 0.4,
        teaches_in_person=True,
        status=Instructor.Status.PUBLISHED,
    )
    _photo(instructor)
    # A few kilometres from the centre, so distances differ.
    location = Location.objects.create(
        instructor=instructor,
        name=f"{name.split()[0]}'s studio",
        address=f"{rng.randint(1, 120)} Demo Street",
        city=city_name,
        country=country,
        latitude=lat + rng.uniform(-0.12, 0.12),
        longitude=lng + rng.uniform(-0.12, 0.12),
    )
    for n in range(rng.randint(1, 2)):
        Class.objects.create(
            instructor=instructor,
            title=rng.choice(CLASS_TITLES),
            weekday=rng.randint(0, 6),
            start_time=time(rng.choice([7, 9, 12, 18, 19]), rng.choice([0, 30])),
            timezone=zone,
            duration_minutes=rng.choice([45, 60, 75]),
            location=None if n and instructor.teaches_online else location,
        )
    today = timezone.localdate()
    services.credential_issue(
        instructor=instructor, type=badges["F1"], issued_on=today - timedelta(days=400)
    )
    if ns:
        services.credential_issue(
            instructor=instructor, type=badges["NS"], issued_on=today - timedelta(days=60)
        )
    elif expired_ns:
        services.credential_issue(
            instructor=instructor, type=badges["NS"], issued_on=today - timedelta(days=500)
        )
    return instructor


@transaction.atomic
def ensure_demo_finder() -> list[str]:
    """Create the demo instructors if missing; return the slugs created."""
    badges = {}
    for code, name, level, description, months in CREDENTIAL_TYPES:
        badges[code], _ = CredentialType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "description": description,
                "valid_months": months,
            },
        )
    created: list[str] = []
    rng = random.Random(42)  # noqa: S311 - demo content, not secrets
    if Instructor.objects.filter(user__email__endswith="@instructors.example.com").exists():
        return created
    for n in range(39):
        name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 7) % len(LAST)]}"
        user = User.objects.create_user(
            email=f"{name.split()[0].lower()}.{n}@instructors.example.com",
            display_name=name,
            password=None,
        )
        user.add_role(Role.INSTRUCTOR)
        instructor = _profile(
            user=user,
            name=name,
            city=CITIES[n % len(CITIES)],
            rng=rng,
            badges=badges,
            ns=n % 4 == 0,
            expired_ns=n % 4 == 1,
        )
        created.append(instructor.slug)
    demo = User.objects.filter(email=DEMO_INSTRUCTOR).first()
    if demo is not None and not Instructor.objects.filter(user=demo).exists():
        instructor = _profile(
            user=demo,
            name="Ines Demo",
            city=CITIES[0],
            rng=rng,
            badges=badges,
            ns=True,
            expired_ns=False,
        )
        created.append(instructor.slug)
    pending = Instructor.objects.filter(slug=PENDING_SLUG).first()
    if pending is not None:
        data = services.snapshot(pending)
        data["bio"] += "\nNew this spring: a Saturday class for new mothers.\n"
        data["specialties"] = ",postpartum,si-joint,"
        services.revision_submit(instructor=pending, data=data)
    return created
