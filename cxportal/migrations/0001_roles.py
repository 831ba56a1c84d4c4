"""The three editorial roles, as groups with permissions (see cxportal/roles.py for what each may do)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cxportal.roles import ROLES


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for label, actions in grants.items():
            app_label, model = label.lower().split(".")
            for action in actions:
                codename = action if action == "all_agencies" else f"{action}_{model}"
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename=codename,
                    )
                )
        group.permissions.set(wanted)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("hisps", "0002_publish_permission_and_agency_editors"),
        ("milestones", "0002_publish_permission"),
        ("priorities", "0002_publish_permission"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
