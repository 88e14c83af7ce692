import zoneinfo
from datetime import date, datetime
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.timezone import now as utc_now

# Kept out of the field's choices so a tzdata update needs no migration.
TIMEZONES = frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in TIMEZONES:
        raise ValidationError(f"{value!r} is not a time zone we know, e.g. 'Europe/Berlin'.")


class Role(models.TextChoices):
    """Roles are groups, so a person can hold several (an instructor may also moderate)."""

    INSTRUCTOR = "Instructors", "Instructor"
    MODERATOR = "Moderators", "Moderator"


class UserManager(DjangoUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: member, and perhaps instructor, moderator or staff."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=80, blank=True, help_text="How we address you. Shown to your instructor."
    )
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Used for reminders and class times.",
    )
    place = models.CharField(
        max_length=120,
        blank=True,
        help_text="A town or city, so we can suggest instructors near you.",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = "user"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]
        permissions = [("moderate", "Can moderate comments and instructor profiles")]

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_short_name(self) -> str:
        return self.get_full_name()

    @property
    def is_instructor(self) -> bool:
        return any(group.name == Role.INSTRUCTOR.value for group in self.groups.all())

    @property
    def is_moderator(self) -> bool:
        return self.has_perm("accounts.moderate")

    def add_role(self, role: Role) -> None:
        self.groups.add(role_group(role))

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The member's own time zone: their days, reminders and class times follow it."""
        return zoneinfo.ZoneInfo(self.timezone)

    def local_today(self, now: datetime | None = None) -> date:
        """The member's date now (or at `now`): a practice log, a program day and homework
        belong to the day the member lives, not the server's."""
        return (now or utc_now()).astimezone(self.zone).date()


def role_group(role: Role) -> Group:
    """The group behind a role. The roles migration makes them; this mends a flushed table."""
    group, created = Group.objects.get_or_create(name=role.value)
    if created and role == Role.MODERATOR:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="accounts", codename="moderate")
        )
    return group


class AppSignIn(models.Model):
    """An app that signed in for tokens through the API (allauth's headless sign-in), so
    its member can see it and sign it out on /me/. Its tokens live as long as its session:
    ending the session (revoking here, logging out in the app, "log out other sessions")
    ends them at the next request."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="app_sign_ins")
    session_key = models.CharField(max_length=40, unique=True)
    client = models.CharField(max_length=200, blank=True, help_text="The app's User-Agent.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.client or 'An app'} ({self.user})"
