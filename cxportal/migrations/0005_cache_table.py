"""The database cache's table (cxportal.caching; ADR 0026), made by the migration that every
deploy, `make run` and the tests already run, rather than by a `createcachetable` step that one of
them could forget. It is made whether or not REDIS_URL is set, so that a site can move between the
two caches without a new step."""

from django.core.management.commands.createcachetable import Command
from django.db import migrations

TABLE = "cxportal_cache"


def create(apps, schema_editor):
    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f'DROP TABLE IF EXISTS "{TABLE}"')


class Migration(migrations.Migration):
    dependencies = [("cxportal", "0004_pg_trgm")]

    operations = [migrations.RunPython(create, drop)]
