from django.db import migrations


class Migration(migrations.Migration):
    """The audit log moved to the audit app (audit.0002 copied the entries)."""

    dependencies = [
        ("moderation", "0001_initial"),
        ("audit", "0002_from_moderation"),
    ]

    operations = [migrations.DeleteModel(name="AuditEntry")]
