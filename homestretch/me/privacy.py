"""Every place personal data lives, and what export and deletion do with each.

`REGISTRY` is the one list. A test fails when a model with a foreign key to the user is
missing from it, so a new model cannot be forgotten; another test fills every entry,
deletes the account, and searches the whole database for what is left.

Policies on deletion:
- DELETE: the rows go (health data first, explicitly, before anything else).
- CHOICE: comments, anonymised or deleted as the member chooses.
- DETACH: the person only appears as the actor on a shared record (the staff member who
  granted access, revoked a credential, moderated); the link is cleared (SET_NULL).
- BLOCK: deletion is refused while such rows exist (an article's author: staff hand the
  articles over first).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.articles.models import Comment
from homestretch.audit.models import AuditEntry
from homestretch.billing.services import subscriptions_cancel_now
from homestretch.me.models import DataExport


class Erase(StrEnum):
    DELETE = "delete"
    CHOICE = "choice"
    DETACH = "detach"
    BLOCK = "block"


@dataclass(frozen=True)
class Holder:
    model: str  # "app_label.ModelName"
    path: str  # lookup from the model to the user ("user", "consent__client"), or an email field
    erase: Erase
    health: bool = False
    export: bool = True
    by_email: bool = False  # `path` is an email field compared with the account's addresses
    secret: tuple[str, ...] = ()  # fields never exported (keys, tokens, session data)
    # Readable names exported beside the ids (a log's "title": what was practised), and
    # the relations they read, fetched with the rows.
    described: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def rows(self, user: User, emails: Iterable[str] = ()) -> models.QuerySet[Any]:
        model = apps.get_model(self.model)
        if self.by_email:
            query = Q()
            for email in emails:
                query |= Q(**{f"{self.path}__iexact": email})
            return model._default_manager.filter(query) if query else model._default_manager.none()
        return model._default_manager.filter(**{self.path: user})


REGISTRY: tuple[Holder, ...] = (
    # Health data: erased first, immediately.
    Holder(
        "programs.PracticeLog",
        "user",
        Erase.DELETE,
        health=True,
        described=("title",),
        related=("sequence", "custom_version"),
    ),
    Holder("programs.OutcomeCheck", "user", Erase.DELETE, health=True),
    # (Enrollments before self-checks: an enrollment protects the check it began with.)
    Holder("programs.Enrollment", "user", Erase.DELETE, health=True),
    # (A clinician statement answers a self-check: it goes first.)
    Holder("programs.ClinicianClearance", "user", Erase.DELETE, health=True),
    Holder("programs.SelfCheck", "user", Erase.DELETE, health=True),
    # Homework: what the member shares, and the instructors' invitations to them.
    Holder("homework.Consent", "client", Erase.DELETE),
    Holder("homework.ConsentEvent", "consent__client", Erase.DELETE),
    Holder("homework.Assignment", "consent__client", Erase.DELETE),
    Holder("homework.Invitation", "email", Erase.DELETE, by_email=True),
    # The rest of the member's own data.
    Holder("accounts.AppSignIn", "user", Erase.DELETE, secret=("session_key",)),
    Holder("practice.Reminder", "user", Erase.DELETE),
    Holder("practice.ReminderSent", "user", Erase.DELETE),
    Holder("practice.CalendarFeed", "user", Erase.DELETE, secret=("token",)),
    Holder(
        "practice.PushSubscription", "user", Erase.DELETE, secret=("endpoint", "p256dh", "auth")
    ),
    Holder("library.Favorite", "user", Erase.DELETE),
    Holder("custom.CustomSequence", "owner", Erase.DELETE),
    Holder("library.WatchProgress", "user", Erase.DELETE),
    Holder("library.PlayerPreference", "user", Erase.DELETE),
    Holder("articles.Comment", "user", Erase.CHOICE),
    Holder("finder.ContactMessage", "sender", Erase.DELETE),
    Holder("finder.Instructor", "user", Erase.DELETE),
    Holder("billing.Subscription", "user", Erase.DELETE),
    Holder("billing.Customer", "user", Erase.DELETE),
    Holder("billing.CheckoutSession", "user", Erase.DELETE, secret=("url",)),
    Holder("billing.Redemption", "user", Erase.DELETE),
    Holder("billing.AccessGrant", "user", Erase.DELETE),
    # A request for access: by the account, or sent anonymously with one of its addresses.
    Holder("billing.AccessRequest", "user", Erase.DELETE),
    Holder("billing.AccessRequest", "email", Erase.DELETE, by_email=True),
    Holder("me.DataExport", "user", Erase.DELETE, export=False, secret=("token",)),
    # Signing in.
    Holder("account.EmailAddress", "user", Erase.DELETE),
    Holder("mfa.Authenticator", "user", Erase.DELETE, secret=("data",)),
    Holder("usersessions.UserSession", "user", Erase.DELETE, secret=("session_key", "data")),
    Holder("axes.AccessAttempt", "username", Erase.DELETE, by_email=True, export=False),
    Holder("axes.AccessLog", "username", Erase.DELETE, by_email=True, export=False),
    Holder("axes.AccessFailureLog", "username", Erase.DELETE, by_email=True, export=False),
    Holder("admin.LogEntry", "user", Erase.DELETE, export=False),
    # The person as the actor on shared records: the link is cleared.
    Holder("billing.AccessGrant", "granted_by", Erase.DETACH, export=False),
    Holder("billing.AccessCode", "created_by", Erase.DETACH, export=False),
    Holder("billing.AccessRequest", "answered_by", Erase.DETACH, export=False),
    Holder("library.Sequence", "instructor", Erase.DETACH, export=False),
    Holder("audit.AuditEntry", "actor", Erase.DETACH, export=False),
    Holder("finder.Credential", "revoked_by", Erase.DETACH, export=False),
    Holder("articles.Article", "author", Erase.BLOCK, export=False),
)

# Free text that may name the member (audit summaries, the admin's log of changes): the
# account's email addresses are replaced there.
SCRUBBED_TEXT = (
    ("audit.AuditEntry", "summary"),
    ("admin.LogEntry", "object_repr"),
    ("admin.LogEntry", "change_message"),
)
SCRUBBED = "[deleted account]"
FORMER_MEMBER = "A former member"
USER_EXPORT_FIELDS = ("email", "display_name", "timezone", "place", "date_joined", "last_login")


class PrivacyError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def account_emails(user: User) -> list[str]:
    found = {user.email.lower()}
    found |= {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    return sorted(found)


def _value(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def _row(obj: models.Model, holder: Holder) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in holder.secret or field.name == "password":
            continue
        data[field.attname] = _value(getattr(obj, field.attname))
    for name in holder.described:
        data[name] = getattr(obj, name)
    return data


def export_size(user: User) -> int:
    emails = account_emails(user)
    return sum(h.rows(user, emails).count() for h in REGISTRY if h.export)


def export_data(user: User) -> dict[str, Any]:
    """All the member's data, as JSON-ready values: the profile, then each model's rows."""
    emails = account_emails(user)
    data: dict[str, list[dict[str, Any]]] = {}
    for holder in REGISTRY:
        if not holder.export:
            continue
        found = holder.rows(user, emails)
        if holder.related:  # (select_related() with no names would follow every key)
            found = found.select_related(*holder.related)
        rows = [_row(obj, holder) for obj in found]
        data.setdefault(holder.model, []).extend(rows)
    return {
        "format": "homestretch-export-1",
        "exported_at": timezone.now(),
        "profile": {name: getattr(user, name) for name in USER_EXPORT_FIELDS},
        "data": data,
    }


def export_json(user: User) -> str:
    return json.dumps(export_data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)


class Comments(StrEnum):
    ANONYMISE = "anonymise"
    DELETE = "delete"


def account_erase(*, user: User, comments: Comments, now: datetime | None = None) -> None:
    """Delete an account and everything personal in it.

    1. Refuse while the person is the author of articles (BLOCK): nothing is touched.
    2. Cancel running Stripe subscriptions through the billing service, before any erasing:
       if Stripe cannot be reached, nothing is erased and the member can try again.
    3. In one transaction: health data first, then every DELETE entry; comments anonymised
       or deleted; the account's addresses scrubbed from audit text; the account itself
       (its DETACH links are cleared by SET_NULL).
    4. After commit, the files of any data exports are removed.
    """
    blockers = [h for h in REGISTRY if h.erase == Erase.BLOCK and h.rows(user).exists()]
    if blockers:
        raise PrivacyError(
            "You are the author of articles. Ask the studio's staff to hand them over to "
            "someone else, then delete your account."
        )
    subscriptions_cancel_now(user=user)

    emails = account_emails(user)
    files: list[str] = []
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        files = [
            name
            for name in DataExport.objects.filter(user=user).values_list("file", flat=True)
            if name
        ]
        ordered = sorted(REGISTRY, key=lambda h: not h.health)
        for holder in ordered:
            if holder.erase == Erase.DELETE:
                holder.rows(user, emails).delete()
            elif holder.erase == Erase.CHOICE:
                _comments(user, comments)
        for label, field in SCRUBBED_TEXT:
            _scrub(apps.get_model(label), field, emails)
        user.delete()

    def remove_files() -> None:
        for name in files:
            default_storage.delete(name)

    transaction.on_commit(remove_files)


def _comments(user: User, choice: Comments) -> None:
    mine = Comment.objects.filter(user=user)
    # The moderation log names the commenter in its summaries ("comment by Alice on …").
    if user.display_name:
        entries = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment),
            object_id__in=mine.values("pk"),
        )
        for entry in entries:
            entry.summary = entry.summary.replace(user.display_name, FORMER_MEMBER)
            entry.save(update_fields=["summary"])
    if choice == Comments.DELETE:
        # Replies to a deleted comment go with it (one level of replies, CASCADE).
        mine.delete()
    else:
        mine.update(user=None, name=FORMER_MEMBER, email="", notify_replies=False)


def _scrub(model: type[models.Model], field: str, emails: list[str]) -> None:
    for email in emails:
        for obj in model._default_manager.filter(**{f"{field}__icontains": email}):
            text = str(getattr(obj, field))
            lowered = text.lower()
            start = lowered.find(email)
            while start != -1:
                text = text[:start] + SCRUBBED + text[start + len(email) :]
                lowered = text.lower()
                start = lowered.find(email)
            setattr(obj, field, text)
            obj.save(update_fields=[field])
