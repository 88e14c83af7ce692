"""The default red flags of the safety self-check. Staff edit them in the admin later; this
migration only adds them to a table that has none."""

from django.db import migrations

from homestretch.programs.safety import DEFAULT_RED_FLAGS


def add_defaults(apps, schema_editor):
    RedFlag = apps.get_model("programs", "RedFlag")
    if RedFlag.objects.exists():
        return
    RedFlag.objects.bulk_create(
        RedFlag(question=question, is_urgent=urgent, position=index)
        for index, (question, urgent) in enumerate(DEFAULT_RED_FLAGS, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
