"""Billing writes to the site's one audit log (moderation.AuditEntry): grants,
redemptions, subscription changes and staff actions, each with who did it (None for
Stripe) and a summary that still reads well after the object is gone."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from homestretch.accounts.models import User
from homestretch.moderation.models import AuditEntry

BILLING_MODELS = ("accessgrant", "accesscode", "redemption", "subscription", "plan")


def audit_log(
    *,
    actor: User | None,
    action: str,
    item: models.Model,
    summary: str,
    from_status: str = "",
    to_status: str = "",
) -> AuditEntry:
    assert item.pk is not None
    return AuditEntry.objects.create(
        moderator=actor,
        action=action[:20],
        from_status=from_status[:20],
        to_status=to_status[:20],
        content_type=ContentType.objects.get_for_model(item),
        object_id=item.pk,
        summary=summary[:200],
    )


def billing_entries() -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type__app_label="billing", content_type__model__in=BILLING_MODELS
    ).select_related("moderator", "content_type")
