import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client

from homestretch.accounts.models import User
from homestretch.demo.accounts import DEMO_PASSWORD


def _snapshot() -> list[tuple]:
    return list(
        User.objects.order_by("email").values_list(
            "email", "password", "display_name", "is_staff", "is_superuser"
        )
    )


@pytest.mark.django_db
def test_it_creates_the_four_demo_accounts_who_can_log_in(settings) -> None:
    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    emails = set(User.objects.values_list("email", flat=True))
    assert emails == {
        "member@example.com",
        "visitor@example.com",
        "instructor@example.com",
        "staff@example.com",
    }
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 4
    staff = User.objects.get(email="staff@example.com")
    assert staff.is_staff
    assert staff.is_moderator
    assert User.objects.get(email="instructor@example.com").is_instructor
    member = User.objects.get(email="member@example.com")
    assert [member.is_staff, member.is_instructor, member.is_moderator] == [False] * 3

    response = Client().post(
        "/accounts/login/", {"login": "member@example.com", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/"


@pytest.mark.django_db
def test_running_it_twice_changes_nothing(settings) -> None:
    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    before = _snapshot()
    call_command("demo", "--quick", verbosity=0)
    assert _snapshot() == before
    assert EmailAddress.objects.count() == 4


@pytest.mark.django_db
def test_it_refuses_to_run_with_debug_off_unless_forced(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load demo data with DEBUG off"):
        call_command("demo", "--quick", verbosity=0)
    assert not User.objects.exists()

    call_command("demo", "--force", "--quick", verbosity=0)
    assert User.objects.count() == 4
