from django.db import migrations


class Migration(migrations.Migration):
    """Reminders, their sent days and the calendar feed moved to the practice app, which
    takes over their tables (practice.0001): only the model state leaves here."""

    dependencies = [("programs", "0002_default_red_flags")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Reminder"),
                migrations.DeleteModel(name="ReminderSent"),
                migrations.DeleteModel(name="CalendarFeed"),
            ]
        )
    ]
