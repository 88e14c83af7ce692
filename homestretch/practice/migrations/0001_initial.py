"""The reminder models arrive from programs with their rows: first as state over the old
tables (programs.0003 let them go), then the tables and the constraint take this app's
names."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import homestretch.practice.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("programs", "0003_reminders_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Reminder",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("weekdays", models.JSONField(default=list)),
                        ("at", models.TimeField(verbose_name="local time")),
                        ("is_enabled", models.BooleanField(default=True, verbose_name="on")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reminder",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "programs_reminder"},
                ),
                migrations.CreateModel(
                    name="ReminderSent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("local_date", models.DateField()),
                        ("sent_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "programs_remindersent",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "local_date"), name="programs_one_reminder_a_day"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CalendarFeed",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "token",
                            models.CharField(
                                default=homestretch.practice.models.new_feed_token,
                                max_length=40,
                                unique=True,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="calendar_feed",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "programs_calendarfeed"},
                ),
            ]
        ),
        migrations.AlterModelTable(name="reminder", table=None),
        migrations.AlterModelTable(name="remindersent", table=None),
        migrations.AlterModelTable(name="calendarfeed", table=None),
        migrations.RemoveConstraint(model_name="remindersent", name="programs_one_reminder_a_day"),
        migrations.AddConstraint(
            model_name="remindersent",
            constraint=models.UniqueConstraint(
                fields=("user", "local_date"), name="practice_one_reminder_a_day"
            ),
        ),
    ]
