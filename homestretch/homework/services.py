"""Writes of homework: invitations, consents and assignments.

Each function is one atomic step with keyword-only arguments; it raises `HomeworkError`
with a message fit to show, and views and the API turn that into a form error or a 4xx.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.accounts.tasks import queue_email
from homestretch.audit.models import record
from homestretch.custom.models import CustomSequence, CustomSequenceVersion
from homestretch.finder.models import Credential, Instructor
from homestretch.homework.models import Assignment, Consent, ConsentEvent, Invitation
from homestretch.homework.tokens import VALID_FOR, make_token
from homestretch.library.models import Sequence
from homestretch.programs.models import PracticeLog

MAX_ASSIGNMENT_DAYS = 366


class HomeworkError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Shares:
    logs: bool = True
    checks: bool = False
    progress: bool = False

    def as_fields(self) -> dict[str, bool]:
        return {
            "share_logs": self.logs,
            "share_checks": self.checks,
            "share_progress": self.progress,
        }


def _site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _account_for(email: str) -> User | None:
    """The account an address belongs to: its login email, or a verified extra address."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email, verified=True).first()
        user = address.user if address is not None else None
    return user


def email_matches(user: User, email: str) -> bool:
    """May `user` answer an invitation sent to `email`? Only with that address on the
    account (verified, or the login email): a forwarded link shares nothing."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def has_valid_credential(instructor: Instructor) -> bool:
    return Credential.objects.valid().filter(instructor=instructor).exists()


@transaction.atomic
def invitation_send(*, instructor: Instructor, email: str) -> Invitation:
    """Invite someone by email to share their practice.

    1. Not oneself, and not someone who already shares with this instructor.
    2. An earlier pending invitation to the same address is cancelled: one live link each.
    3. The email goes out after commit: to an account holder, the consent link; to an
       unknown address, a sign-up invitation that leads back to the same link.
    """
    email = email.strip().lower()
    if email == instructor.user.email.lower():
        raise HomeworkError("You cannot invite yourself.")
    account = _account_for(email)
    if (
        account is not None
        and Consent.objects.active().filter(instructor=instructor, client=account).exists()
    ):
        raise HomeworkError("This person already shares their practice with you.")
    Invitation.objects.pending().filter(instructor=instructor, email=email).update(
        state=Invitation.State.CANCELLED, answered_at=timezone.now()
    )
    now = timezone.now()
    invitation = Invitation.objects.create(
        instructor=instructor, email=email, created_at=now, expires_at=now + VALID_FOR
    )
    path = reverse("homework:invitation", args=[make_token(invitation)])
    context = {
        "instructor": instructor,
        "link": _site_url(path),
        # The address is filled in on the sign-up form; after confirming it and logging
        # in, the person lands on the consent page (LOGIN_REDIRECT_RULES).
        "signup": _site_url(reverse("account_signup"))
        + "?"
        + urlencode({"next": path, "email": email}),
        "expires_at": invitation.expires_at,
        "has_account": account is not None,
        "site_name": settings.SITE_NAME,
    }
    name = instructor.display_name
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] {name} invites you to share your practice",
        body=render_to_string("homework/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    transaction.on_commit(lambda: queue_email(message))
    return invitation


def _event(consent: Consent, kind: ConsentEvent.Kind) -> ConsentEvent:
    """The history both sides read, and the site's audit log (which names no one: the
    consent row links the people, and goes when either account does)."""
    event = ConsentEvent.objects.create(
        consent=consent,
        kind=kind,
        share_logs=consent.share_logs,
        share_checks=consent.share_checks,
        share_progress=consent.share_progress,
        created_at=timezone.now(),
    )
    record(
        actor=consent.client,
        action=f"homework.consent_{kind}",
        item=consent,
        summary="shares " + (", ".join(consent.shared_labels()) or "nothing"),
    )
    return event


def pending_invitations(user: User) -> list[Invitation]:
    """Invitations waiting for this person's answer: sent to an address of the account
    (the login email or a verified one), unexpired, not from themselves."""
    emails = {user.email.lower()} | {
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    return list(
        Invitation.objects.pending()
        .filter(email__in=emails)
        .exclude(instructor__user=user)
        .select_related("instructor")
        .order_by("-created_at")
    )


def invitation_url(invitation: Invitation) -> str:
    return reverse("homework:invitation", args=[make_token(invitation)])


def pending_invitation_url(user: User) -> str | None:
    """Where a person who just logged in goes first, when an invitation waits for them:
    its consent page. In `LOGIN_REDIRECT_RULES`, so a new client who followed an invite,
    signed up and confirmed their email lands there rather than on /me/."""
    pending = pending_invitations(user)
    return invitation_url(pending[0]) if pending else None


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User, shares: Shares, name: str | None = None
) -> Consent:
    """Accept an invitation with the client's choices.

    1. Lock the invitation: two clicks at once accept it once.
    2. It must still be pending and unexpired, and sent to an address of this account.
    3. The name the client gives is the one their instructors see (their display name);
       left empty, instructors see a neutral "Client N", never the email address.
    4. A consent is granted (or, if one is already active, changed to these choices), with
       its audit event; the invitation is used up.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise HomeworkError("This invitation has already been answered or withdrawn.")
    if invitation.is_expired:
        raise HomeworkError("This invitation has expired. Ask your instructor for a new one.")
    if not email_matches(user, invitation.email):
        raise HomeworkError("This invitation was sent to another email address.")
    if invitation.instructor.user_id == user.pk:
        raise HomeworkError("You cannot accept your own invitation.")
    if name is not None:
        name = name.strip()
        if len(name) > 80:
            raise HomeworkError("Keep your name under 80 characters.")
        if "@" in name:
            raise HomeworkError(
                "Give a name, not an email address: it is shown to your instructor."
            )
        if name != user.display_name:
            user.display_name = name
            user.save(update_fields=["display_name"])
    invitation.state = Invitation.State.ACCEPTED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "answered_at"])
    current = (
        Consent.objects.active()
        .select_for_update()
        .filter(instructor=invitation.instructor, client=user)
        .first()
    )
    if current is not None:
        return consent_change(consent=current, shares=shares)
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                instructor=invitation.instructor, client=user, **shares.as_fields()
            )
    except IntegrityError:
        raise HomeworkError("You already share with this instructor.") from None
    _event(consent, ConsentEvent.Kind.GRANTED)
    return consent


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise HomeworkError("This invitation has already been answered or withdrawn.")
    if not email_matches(user, invitation.email):
        raise HomeworkError("This invitation was sent to another email address.")
    invitation.state = Invitation.State.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["state", "answered_at"])
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state == Invitation.State.PENDING:
        invitation.state = Invitation.State.CANCELLED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["state", "answered_at"])
    return invitation


def _locked_active(consent: Consent) -> Consent:
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if not locked.is_active:
        raise HomeworkError("You no longer share with this instructor.")
    return locked


@transaction.atomic
def consent_change(*, consent: Consent, shares: Shares) -> Consent:
    """Change what a client shares; it applies to the instructor's very next request."""
    consent = _locked_active(consent)
    fields = shares.as_fields()
    if all(getattr(consent, name) == value for name, value in fields.items()):
        return consent
    for name, value in fields.items():
        setattr(consent, name, value)
    consent.save(update_fields=list(fields))
    _event(consent, ConsentEvent.Kind.CHANGED)
    return consent


@transaction.atomic
def consent_revoke(*, consent: Consent) -> Consent:
    """Stop sharing with an instructor, at once. The row stays for the audit; it shares
    nothing, and the instructor's pages and API answer 404 for it from now on."""
    consent = _locked_active(consent)
    consent.revoked_at = timezone.now()
    consent.share_logs = consent.share_checks = consent.share_progress = False
    consent.save(update_fields=["revoked_at", "share_logs", "share_checks", "share_progress"])
    _event(consent, ConsentEvent.Kind.REVOKED)
    return consent


@transaction.atomic
def consent_emails(*, consent: Consent, email_homework: bool) -> Consent:
    """The client's choice of an email when this instructor assigns new homework."""
    consent = _locked_active(consent)
    consent.email_homework = email_homework
    consent.save(update_fields=["email_homework"])
    return consent


def assignable_custom_sequences(user: User) -> QuerySet[CustomSequence]:
    """The custom sequences an instructor may assign: their own, and those staff published
    in the library (the assign page's choices, the API's lookup, and `assignment_create`'s
    check)."""
    return CustomSequence.objects.filter(
        Q(owner=user) | Q(status=CustomSequence.Status.PUBLISHED)
    ).order_by("title", "pk")


@dataclass(frozen=True)
class Schedule:
    weekdays: frozenset[int] = frozenset()
    times_per_week: int | None = None


@transaction.atomic
def assignment_create(
    *,
    consent: Consent,
    sequences: list[Sequence],
    schedule: Schedule,
    starts_on: date,
    ends_on: date,
    note: str = "",
    custom_version: CustomSequenceVersion | None = None,
) -> Assignment:
    """Assign sequences, or a custom sequence (as its current version), or both, to a
    client who shares with the instructor.

    The instructor must hold at least one valid credential: homework is given by verified
    instructors only. A custom sequence is the instructor's own, or one staff published
    in the library. The dates are the client's own days.
    """
    consent = _locked_active(consent)
    if not has_valid_credential(consent.instructor):
        raise HomeworkError("Assigning homework needs at least one valid credential.")
    if not sequences and custom_version is None:
        raise HomeworkError("Choose at least one sequence.")
    if (
        custom_version is not None
        and not assignable_custom_sequences(consent.instructor.user)
        .filter(pk=custom_version.custom_sequence_id)
        .exists()
    ):
        raise HomeworkError("That custom sequence belongs to another instructor.")
    if any(not sequence.is_live for sequence in sequences):
        raise HomeworkError("Choose sequences from the published library.")
    if (schedule.times_per_week is None) == (not schedule.weekdays):
        raise HomeworkError("Choose days of the week, or a number of times a week.")
    if schedule.weekdays and not schedule.weekdays <= set(range(1, 8)):
        raise HomeworkError("Days of the week are Monday (1) to Sunday (7).")
    if schedule.times_per_week is not None and not 1 <= schedule.times_per_week <= 7:
        raise HomeworkError("Times a week is from 1 to 7.")
    today = consent.client.local_today()
    if ends_on < starts_on:
        raise HomeworkError("The end date comes before the start date.")
    if starts_on < today - timedelta(days=7) or ends_on < today:
        raise HomeworkError("Homework starts at most a week ago and ends today or later.")
    if (ends_on - starts_on).days >= MAX_ASSIGNMENT_DAYS:
        raise HomeworkError("Homework lasts a year at most.")
    if len(note) > 2000:
        raise HomeworkError("Keep the note under 2,000 characters.")
    assignment = Assignment.objects.create(
        consent=consent,
        schedule=Assignment.Schedule.PER_WEEK
        if schedule.times_per_week
        else Assignment.Schedule.WEEKDAYS,
        weekdays=sorted(schedule.weekdays),
        times_per_week=schedule.times_per_week,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip(),
        custom_version=custom_version,
    )
    assignment.sequences.set(sequences)
    if consent.email_homework:
        _email_assignment(assignment, sequences)
    return assignment


def _email_assignment(assignment: Assignment, sequences: list[Sequence]) -> None:
    """Tell the client, through the task queue after commit, that new homework is there.
    It names the sequences and the dates, never their practice."""
    consent = assignment.consent
    context = {
        "instructor": consent.instructor,
        "assignment": assignment,
        "sequences": sequences,
        "link": _site_url(reverse("me:index") + "#homework"),
        "site_name": settings.SITE_NAME,
    }
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] New homework from {consent.instructor.display_name}",
        body=render_to_string("homework/email/assigned.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[consent.client.email],
    )
    transaction.on_commit(lambda: queue_email(message))


@transaction.atomic
def assignment_end(*, assignment: Assignment) -> Assignment | None:
    """Stop homework early: it ends yesterday (the client's), or goes entirely when it
    had not started before today. Returns the assignment, or None when deleted."""
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("consent__client")
        .get(pk=assignment.pk)
    )
    yesterday = assignment.consent.client.local_today() - timedelta(days=1)
    if assignment.starts_on > yesterday:
        assignment.delete()
        return None
    assignment.ends_on = min(assignment.ends_on, yesterday)
    assignment.save(update_fields=["ends_on"])
    return assignment


def current_assignments(user: User, *, today: date | None = None) -> list[Assignment]:
    """A client's homework today: from instructors they still share with."""
    today = today or user.local_today()
    return list(
        Assignment.objects.filter(
            consent__client=user,
            consent__revoked_at__isnull=True,
            ends_on__gte=today,
        )
        .select_related("consent__instructor", "custom_version")
        .prefetch_related("sequences")
        .order_by("starts_on", "pk")
    )


def _running(user: User, day: date) -> QuerySet[Assignment]:
    """The member's homework running on their local `day`, under a consent not revoked."""
    return Assignment.objects.filter(
        consent__client=user,
        consent__revoked_at__isnull=True,
        starts_on__lte=day,
        ends_on__gte=day,
    )


def is_homework(user: User, sequence: Sequence, day: date) -> bool:
    """Is `sequence` part of the member's homework on their local `day`? Homework can be
    logged even without library access: it may be practised from a hands-on session."""
    return _running(user, day).filter(sequences=sequence).exists()


def is_custom_homework(user: User, version: CustomSequenceVersion, day: date) -> bool:
    """Is this custom sequence's version (as assigned) the member's homework on `day`?"""
    return _running(user, day).filter(custom_version=version).exists()


def homework_due(user: User, day: date) -> list[Assignment]:
    """The client's homework due on their local `day`, for practice reminders.

    Chosen weekdays: due on those days. N times a week: due on any day of the (Monday to
    Sunday) week until N days of it are practised, counting practice before `day`.
    """
    due = []
    for assignment in (
        Assignment.objects.filter(
            consent__client=user,
            consent__revoked_at__isnull=True,
            starts_on__lte=day,
            ends_on__gte=day,
        )
        .select_related("consent__instructor")
        .prefetch_related("sequences")
    ):
        if assignment.times_per_week is None:
            if day.isoweekday() in assignment.weekdays:
                due.append(assignment)
            continue
        monday = day - timedelta(days=day.isoweekday() - 1)
        practised = (
            PracticeLog.objects.filter(
                Q(sequence__in=assignment.sequences.all())
                | Q(custom_version__isnull=False, custom_version=assignment.custom_version_id),
                user=user,
                done=True,
                local_date__gte=max(monday, assignment.starts_on),
                local_date__lt=day,
            )
            .values("local_date")
            .distinct()
            .count()
        )
        if practised < assignment.times_per_week:
            due.append(assignment)
    return due
