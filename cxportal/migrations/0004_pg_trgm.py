"""Postgres's pg_trgm extension: site search suggests a spelling ("Did you mean …") by trigram
similarity to the words of the public content (cxportal/discovery/search.py, ADR 0020)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cxportal", "0003_roles_milestone_updates")]

    operations = [TrigramExtension()]
