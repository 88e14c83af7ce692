from django.db import migrations


class Migration(migrations.Migration):
    """Data exports moved to the member's floor (`me`), which takes over the table."""

    dependencies = [("accounts", "0004_data_export")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataExport")]
        )
    ]
