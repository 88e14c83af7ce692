import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client

from homestretch.accounts.models import User
from homestretch.articles.models import Article, Comment
from homestretch.billing.models import AccessCode, Plan, Subscription
from homestretch.custom.models import CustomSequence
from homestretch.demo.accounts import DEMO_PASSWORD
from homestretch.homework.models import Assignment
from homestretch.library.models import Collection, Encoding, Sequence

# Real ffmpeg: the SQLite run covers it (make test on PostgreSQL leaves it out).
pytestmark = pytest.mark.ffmpeg


def _snapshot() -> dict[str, object]:
    return {
        "users": list(
            User.objects.order_by("email").values_list(
                "email", "password", "display_name", "is_staff", "is_superuser"
            )
        ),
        "sequences": list(Sequence.objects.order_by("slug").values_list("slug", "encoding_id")),
        "encodings": Encoding.objects.count(),
        "collections": Collection.objects.count(),
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "plans": Plan.objects.count(),
        "codes": AccessCode.objects.count(),
        "subscriptions": Subscription.objects.count(),
    }


@pytest.mark.django_db
def test_it_loads_a_library_that_plays(settings) -> None:
    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    published = Sequence.objects.published()
    assert published.count() == 11
    assert Sequence.objects.coming_soon().count() == 1
    assert published.filter(is_free_preview=True).count() == 3
    assert all(sequence.is_playable for sequence in published)
    assert Collection.objects.count() == 2
    member = Client()
    member.force_login(User.objects.get(email="member@example.com"))
    page = member.get("/library/si-joint-side-lying-stability/").content.decode()
    assert "data-master=" in page
    me = member.get("/me/").content.decode()
    assert "Monthly" in me  # a subscriber, not a grant
    # A custom sequence from the demo instructor, of moves from two sequences, as homework.
    assigned = Assignment.objects.get(custom_version__isnull=False)
    assert assigned.custom_version is not None
    assert assigned.custom_version.items.values("sequence").distinct().count() == 2
    assert f"/me/homework/{assigned.pk}/custom/" in me
    homework_page = member.get(f"/me/homework/{assigned.pk}/custom/").content.decode()
    assert "data-master=" in homework_page
    collection = CustomSequence.objects.get(status=CustomSequence.Status.PUBLISHED)
    assert collection.owner.email == "staff@example.com"
    assert "data-master=" in member.get(collection.get_absolute_url()).content.decode()
    assert Subscription.objects.get().user.email == "member@example.com"
    assert AccessCode.objects.filter(code="WELCOME30").exists()
    visitor = Client()
    visitor.force_login(User.objects.get(email="visitor@example.com"))
    assert (
        "data-master="
        not in visitor.get("/library/si-joint-side-lying-stability/").content.decode()
    )


@pytest.mark.django_db
def test_it_creates_the_four_demo_accounts_who_can_log_in(settings) -> None:
    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    # The finder's demo instructors have accounts of their own, without passwords.
    emails = set(
        User.objects.exclude(email__endswith="@instructors.example.com").values_list(
            "email", flat=True
        )
    )
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
    assert User.objects.exclude(email__endswith="@instructors.example.com").count() == 4


@pytest.mark.django_db
def test_the_demo_member_is_on_day_9_of_the_si_program(settings) -> None:
    from homestretch.programs.models import Enrollment, PracticeLog
    from homestretch.programs.state import enrollment_state

    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    member = User.objects.get(email="member@example.com")
    enrollment = Enrollment.objects.get(user=member)
    state = enrollment_state(enrollment)
    assert state.total == 28
    assert state.unlocked == 9
    logs = list(PracticeLog.objects.filter(user=member).order_by("local_date"))
    assert len(logs) == 8
    assert logs[0].pain_before == 6
    assert logs[-1].pain_before == 4
    calendar_days = (logs[-1].local_date - logs[0].local_date).days + 1
    assert calendar_days == 9  # eight logs over nine days: one missed
    assert enrollment.outcomes.get(day=0).pain_week == 6
    client = Client()
    client.force_login(member)
    assert "Day 9 of 28" in client.get("/me/").content.decode()
    call_command("demo", "--quick", verbosity=0)
    assert PracticeLog.objects.filter(user=member).count() == 8  # idempotent


@pytest.mark.django_db
def test_the_demo_instructor_has_the_member_as_a_client_with_homework(settings) -> None:
    from homestretch.homework.models import Assignment, Consent

    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    consent = Consent.objects.get(instructor__user__email="instructor@example.com")
    assert consent.client.email == "member@example.com"
    assert (consent.share_logs, consent.share_checks, consent.share_progress) == (True, False, True)
    assert Assignment.objects.get(consent=consent, custom_version=None).sequences.count() == 2
    instructor = Client()
    instructor.force_login(User.objects.get(email="instructor@example.com"))
    assert "Maya" in instructor.get("/studio/clients/").content.decode()
    member = Client()
    member.force_login(consent.client)
    assert "Homework from" in member.get("/me/").content.decode()
    call_command("demo", "--quick", verbosity=0)
    assert Consent.objects.count() == 1
