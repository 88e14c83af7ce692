"""Tiny factories for tests: the personas are alice (member), bob (instructor) and
charlie (signed up, nothing else). Call them where a test needs them."""

from allauth.account.models import EmailAddress
from django.test import Client

from homestretch.accounts.models import Role, User

PASSWORD = "correct horse battery staple"  # noqa: S105 - test-only


def make_user(
    email: str = "alice@example.com",
    *,
    password: str = PASSWORD,
    verified: bool = True,
    roles: tuple[Role, ...] = (),
    **fields: object,
) -> User:
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    for role in roles:
        user.add_role(role)
    return user


def make_alice() -> User:
    return make_user("alice@example.com", display_name="Alice")


def make_bob() -> User:
    return make_user("bob@example.com", display_name="Bob", roles=(Role.INSTRUCTOR,))


def make_charlie() -> User:
    return make_user("charlie@example.com", display_name="Charlie")


def log_in(user: User, *, user_agent: str = "Firefox on Linux") -> Client:
    """A client signed in through the real login form, as a browser would be."""
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response
    return client


def make_staff(email: str = "sam@example.com") -> User:
    """A staff member who has set up two-factor authentication, as staff must."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = make_user(email, display_name="Sam", is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user
