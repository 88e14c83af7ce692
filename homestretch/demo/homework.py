"""Demo homework: the demo instructor has the demo member as a client. The member shares
logs and program progress (not self-checks) and has homework three days a week."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.finder.models import Instructor
from homestretch.homework import services
from homestretch.homework.models import Consent, Invitation
from homestretch.library.models import Sequence

HOMEWORK = ("si-joint-side-lying-stability", "walking-without-the-twinge")
NOTE = (
    "As we practised on Tuesday: keep the top knee low in the side-lying lift, and walk "
    "slowly enough to feel both heels. Tell me in your log how the left side feels."
)


@transaction.atomic
def ensure_demo_homework() -> list[str]:
    """Make the member the instructor's client, with homework; return what was made."""
    member = User.objects.filter(email="member@example.com").first()
    instructor = Instructor.objects.filter(user__email="instructor@example.com").first()
    if member is None or instructor is None:
        return []
    if Consent.objects.filter(instructor=instructor, client=member).exists():
        return []
    invitation = Invitation.objects.create(
        instructor=instructor, email=member.email, expires_at=timezone.now() + timedelta(days=14)
    )
    consent = services.invitation_accept(
        invitation=invitation,
        user=member,
        shares=services.Shares(logs=True, checks=False, progress=True),
    )
    today = member.local_today()
    services.assignment_create(
        consent=consent,
        sequences=list(Sequence.objects.filter(slug__in=HOMEWORK)),
        schedule=services.Schedule(weekdays=frozenset({1, 3, 5})),
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=21),
        note=NOTE,
    )
    return ["the demo member as the demo instructor's client, with homework"]
