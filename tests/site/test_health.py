"""/healthz (ADR 0031): 200 when the database answers and every migration is applied, 503 with
what is wrong otherwise, never cached. (A database that is away entirely: tests/test_outage.py,
with a real Postgres stopped under a running server.)"""

import pytest
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


def test_healthy_when_the_database_answers_and_is_migrated(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_unhealthy_while_a_migration_is_not_applied(client):
    """The database really lacks the record of a migration the code has (the test's transaction
    puts it back): as after a deploy whose release step did not run."""
    latest = MigrationRecorder.Migration.objects.filter(app="hisps").latest("id")
    latest.delete()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "problem": f"1 migration(s) not applied: hisps.{latest.name}",
    }
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"] == "application/json"


def test_unhealthy_when_the_migrations_table_is_gone(client):
    """A database that was never migrated (an empty one behind a wrong DATABASE_URL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_migrations RENAME TO django_migrations_away")
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE django_migrations_away RENAME TO django_migrations")

    assert response.status_code == 503
    count, rest = response.json()["problem"].split(" ", 1)
    assert int(count) > 20 and rest.startswith("migration(s) not applied: ")


def test_head_answers_too(client):
    assert client.head("/healthz").status_code == 200
