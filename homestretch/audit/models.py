"""The site's one audit log: who did what to which item, and when.

Every app writes here through `record`: moderators approving comments and profiles, staff
granting access, Stripe changing a subscription, a client changing what they share. Action
types are namespaced by the app that writes them ("comment.approve", "billing.refund",
"homework.consent_revoke"), so each app reads its own entries with `for_namespace`.
"""

import re
from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from homestretch.accounts.models import User

ACTION_MAX = 64
STATUS_MAX = 32
ACTION_RE = re.compile(r"^[a-z]+(\.[a-z_]+)+$")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_namespace(self, *namespaces: str) -> "AuditEntryQuerySet":
        query = models.Q()
        for namespace in namespaces:
            query |= models.Q(action__startswith=f"{namespace}.")
        return self.filter(query)


class AuditEntry(models.Model):
    """One recorded decision. `summary` keeps a few words of the item, so the entry still
    reads well after the item itself is deleted; it is never cut short."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did it; empty for the system (Stripe, a task) or a deleted account.",
    )
    action = models.CharField(max_length=ACTION_MAX)
    from_status = models.CharField(max_length=STATUS_MAX, blank=True)
    to_status = models.CharField(max_length=STATUS_MAX, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    summary = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects: ClassVar[AuditEntryQuerySet] = AuditEntryQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["action"]),
        ]

    def __str__(self) -> str:
        who = self.actor or "system"
        return f"{who} {self.action} {self.summary} at {self.created_at:%Y-%m-%d %H:%M}"


def record(
    *,
    actor: User | None,
    action: str,
    item: models.Model,
    summary: str,
    from_status: str = "",
    to_status: str = "",
) -> AuditEntry:
    """Write one entry. A malformed action or an over-long status is a programming error
    and raises, rather than being silently cut to fit."""
    if not ACTION_RE.match(action) or len(action) > ACTION_MAX:
        raise ValueError(f"Audit actions are namespaced like 'comment.approve', not {action!r}.")
    for status in (from_status, to_status):
        if len(status) > STATUS_MAX:
            raise ValueError(f"Audit status {status!r} is longer than {STATUS_MAX} characters.")
    if item.pk is None:
        raise ValueError("Audit an item once it is saved.")
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        summary=summary,
    )
