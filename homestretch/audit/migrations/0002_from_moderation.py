"""Move the entries of the old moderation.AuditEntry here, with namespaced actions.

The old log kept bare verbs ("approve", "grant change"); the item's model says which app
wrote them. Summaries were cut at 200 characters then: they stay as they are."""

from django.db import migrations

NAMESPACES = {
    ("articles", "comment"): "comment",
    ("finder", "instructorrevision"): "profile",
}


def namespaced(app_label: str, model: str, action: str) -> str:
    namespace = NAMESPACES.get((app_label, model), app_label)
    return f"{namespace}.{action.strip().replace(' ', '_')}"


def forwards(apps, schema_editor):
    Old = apps.get_model("moderation", "AuditEntry")
    New = apps.get_model("audit", "AuditEntry")
    # Keep each entry's own time: this historical model is ours alone, so turning off
    # auto_now_add here changes nothing outside the migration.
    New._meta.get_field("created_at").auto_now_add = False
    batch = []
    for old in Old.objects.select_related("content_type").order_by("pk").iterator():
        ct = old.content_type
        batch.append(
            New(
                actor_id=old.moderator_id,
                action=namespaced(ct.app_label, ct.model, old.action),
                from_status=old.from_status,
                to_status=old.to_status,
                content_type_id=old.content_type_id,
                object_id=old.object_id,
                summary=old.summary,
                created_at=old.created_at,
            )
        )
        if len(batch) == 500:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("moderation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
