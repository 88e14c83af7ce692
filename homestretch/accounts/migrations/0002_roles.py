from django.db import migrations


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Permissions are normally created after migrations run; make this one now so the
    # Moderators group can hold it from the start.
    user_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    moderate, _ = Permission.objects.get_or_create(
        content_type=user_type,
        codename="moderate",
        defaults={"name": "Can moderate comments and instructor profiles"},
    )
    Group.objects.get_or_create(name="Instructors")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(moderate)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
