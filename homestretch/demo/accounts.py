"""The four demo accounts of PRODUCT.md, all with the password `homestretch-demo`."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from homestretch.accounts.models import Role, User

DEMO_PASSWORD = "homestretch-demo"  # noqa: S105 - published in README, refused in production


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    roles: tuple[Role, ...] = ()
    is_staff: bool = False
    timezone: str = "Europe/Berlin"


DEMO_ACCOUNTS = (
    DemoAccount("member@example.com", "Maya (member)"),
    DemoAccount("visitor@example.com", "Vic (visitor)"),
    DemoAccount("instructor@example.com", "Ines (instructor)", (Role.INSTRUCTOR,)),
    DemoAccount("staff@example.com", "Sam (staff)", (Role.MODERATOR,), is_staff=True),
)


@transaction.atomic
def ensure_demo_accounts() -> list[str]:
    """Create whichever demo accounts are missing; return the emails created."""
    created = []
    for account in DEMO_ACCOUNTS:
        user, is_new = User.objects.get_or_create(
            email=account.email,
            defaults={
                "display_name": account.display_name,
                "timezone": account.timezone,
                "is_staff": account.is_staff,
                "is_superuser": account.is_staff,
            },
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            for role in account.roles:
                user.add_role(role)
            created.append(user.email)
        # allauth refuses unverified addresses at login; the demo ones are verified.
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    return created
