"""The roles again, now with the reporting periods (see cxportal/roles.py)."""

import importlib

from django.db import migrations

roles = importlib.import_module("cxportal.migrations.0001_roles")


class Migration(migrations.Migration):
    dependencies = [
        ("cxportal", "0001_roles"),
        ("hisps", "0004_reporting_periods"),
    ]

    operations = [migrations.RunPython(roles.create_roles, migrations.RunPython.noop)]
