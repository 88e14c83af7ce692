"""Tiny factories for finder tests."""

from datetime import date, time, timedelta

from django.utils import timezone

from homestretch.accounts.models import Role, User
from homestretch.finder import services
from homestretch.finder.models import Class, Credential, CredentialType, Instructor, Location


def credential_type(code: str = "NS", *, months: int = 12, level: int = 3) -> CredentialType:
    kind, _ = CredentialType.objects.get_or_create(
        code=code, defaults={"name": f"{code} level", "valid_months": months, "level": level}
    )
    return kind


def make_instructor(
    name: str = "Bob Teacher",
    *,
    user: User | None = None,
    lat: float = 52.52,
    lng: float = 13.405,
    city: str = "Berlin",
    badges: tuple[str, ...] = (),
    status: str = Instructor.Status.PUBLISHED,
    online: bool = False,
    specialties: str = "",
    languages: str = "",
) -> Instructor:
    if user is None:
        slug = services.unique_slug(name)
        # No password: hashing one per instructor would slow tests that make hundreds.
        user = User.objects.create_user(f"{slug}@teachers.example.com", display_name=name)
    user.add_role(Role.INSTRUCTOR)
    instructor = Instructor.objects.create(
        user=user,
        slug=services.unique_slug(name),
        display_name=name,
        status=status,
        teaches_online=online,
        specialties=specialties,
        languages=languages,
        bio="I teach **gently**.",
        bio_html=services.render_bio("I teach **gently**."),
    )
    Location.objects.create(
        instructor=instructor, name="Studio", city=city, country="DE", latitude=lat, longitude=lng
    )
    for code in badges:
        services.credential_issue(instructor=instructor, type=credential_type(code))
    return instructor


def make_class(instructor: Instructor, **fields: object) -> Class:
    values: dict[str, object] = {
        "title": "SI joint basics",
        "weekday": 2,
        "start_time": time(18, 0),
        "timezone": "Europe/Berlin",
        "duration_minutes": 60,
        "location": instructor.locations.first(),
        **fields,
    }
    return Class.objects.create(instructor=instructor, **values)


def make_expired(instructor: Instructor, code: str = "NS") -> Credential:
    return services.credential_issue(
        instructor=instructor,
        type=credential_type(code),
        issued_on=timezone.localdate() - timedelta(days=800),
    )


def today() -> date:
    return timezone.localdate()


def give_photo(instructor: Instructor) -> Instructor:
    """A real photo at both sizes, through the same resizing as an upload."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (400, 400), (180, 120, 90)).save(buffer, "PNG")
    upload = SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")
    for name, content in services.photo_versions(upload).items():
        getattr(instructor, name).save(f"{instructor.slug}-{name}.jpg", content, save=False)
    instructor.save()
    return instructor
