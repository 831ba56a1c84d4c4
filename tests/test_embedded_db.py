"""With no DATABASE_URL the site runs on a real, embedded Postgres, never a file database."""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.db import connection

from cxportal.embedded_db import _prune_dead_handles


def test_tests_run_on_postgres(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_without_database_url_the_site_uses_the_embedded_postgres():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SELECT version()')\n"
        "    print(connection.vendor, c.fetchone()[0].split()[0], connection.settings_dict['HOST'] or connection.settings_dict['OPTIONS'].get('host'))\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    vendor, product, host = result.stdout.split()[-3:]
    assert (vendor, product) == ("postgresql", "PostgreSQL")
    assert host.startswith("/"), "the embedded server listens on a Unix socket only"


def test_dead_pids_are_pruned_before_start(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / ".handle_pids.json").write_text(json.dumps([os.getpid(), dead.pid]))
    _prune_dead_handles(tmp_path)
    assert json.loads((tmp_path / ".handle_pids.json").read_text()) == [os.getpid()]
