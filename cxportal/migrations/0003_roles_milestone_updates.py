"""The roles again, now with milestone status updates (see cxportal/roles.py): OMB's roles edit
them, and only the OMB publisher publishes them."""

import importlib

from django.db import migrations

roles = importlib.import_module("cxportal.migrations.0001_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("cxportal", "0002_roles_reporting_periods"),
        ("milestones", "0004_milestone_updates"),
    ]

    operations = [migrations.RunPython(roles.create_roles, migrations.RunPython.noop)]
