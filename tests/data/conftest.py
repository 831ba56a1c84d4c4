import pytest


@pytest.fixture(scope="session", autouse=True)
def _analyze_imported_content(django_db_setup, django_db_blocker):
    """Give Postgres's planner statistics on the freshly imported content, as autovacuum would
    soon after an import; without them it may nest loops over every public-parent subquery."""
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
