"""DataExport arrives from accounts with its rows: state over the old table first, then
the table takes this app's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import homestretch.me.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0005_data_export_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataExport",
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
                                default=homestretch.me.models.new_export_token,
                                max_length=40,
                                unique=True,
                            ),
                        ),
                        ("file", models.FileField(blank=True, upload_to="exports/")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("ready_at", models.DateTimeField(blank=True, null=True)),
                        ("expires_at", models.DateTimeField()),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="data_exports",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"ordering": ["-created_at"], "db_table": "accounts_dataexport"},
                )
            ]
        ),
        migrations.AlterModelTable(name="dataexport", table=None),
    ]
