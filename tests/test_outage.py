"""Postgres goes away under a running server, and comes back (issue 9, ADR 0031).

A Postgres of this test's own (Debian's postgresql-15 binaries, in a temporary folder, on a port in
5490-5499), so that stopping it disturbs no other test: the content is migrated and imported into
it, and the production server (`manage.py serve`: gunicorn, production settings) runs on it alone.
While requests keep coming, Postgres is stopped (`pg_ctl stop -m fast`, as a restart or a failover
does) and started again. Visitors get the friendly 503 page, quickly, never a 500 or a hang, and
then the pages again, with no restart of the app.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.servers import missing
from tests.test_serve import CONFIG_VARS, PRODUCTION, ROOT, _free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PAGE = "/pma/cx/"
HOST = "cx.example.gov"  # PRODUCTION's allowed host


def _require_postgres_binaries():
    if not (PG_BIN / "pg_ctl").exists():
        missing(f"Postgres 15's programs ({PG_BIN})", "postgresql-15")


def _as_postgres(argv: list[str]) -> list[str]:
    """Postgres refuses to run as root: as root, run its programs as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _port_in_range() -> int:
    """A free port in 5490-5499 (ops' range), the xdist worker's own first."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    first = int(worker) % 10 if worker.isdigit() else 0
    for offset in range(10):
        port = 5490 + (first + offset) % 10
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 5490-5499")


class Postgres:
    """A throwaway Postgres cluster: initdb, pg_ctl start/stop."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="cxportal-outage-"))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = _port_in_range()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/cxportal"
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust")

    def _run(self, *argv):
        subprocess.run(
            _as_postgres([str(a) for a in argv]),
            check=True,
            capture_output=True,
            timeout=60,
            cwd=self.dir,
        )

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-l", self.dir / "log", "-w", "start"
        )

    def stop(self, mode="fast"):
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def _env(**overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def _get(port: int, path: str, cookie: str = "") -> tuple[int, dict, str, float]:
    """(status, headers, body, seconds) of a request as the load balancer would send it."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - our server
            status, head, body = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, head, body = error.code, dict(error.headers), error.read()
    return status, head, body.decode(errors="replace"), time.monotonic() - start


class Visitors(threading.Thread):
    """Requests a page over and over, as visitors would, recording every answer. With `fresh`, each
    request asks for an address nobody asked for before (a new search), which no cache holds."""

    def __init__(self, port, fresh=False):
        super().__init__(daemon=True)
        self.port, self.fresh, self.answers, self.running = port, fresh, [], True

    def run(self):
        n = 0
        while self.running:
            n += 1
            path = f"/search/?q=outage+{n}" if self.fresh else PAGE
            try:
                status, headers, body, seconds = _get(self.port, path)
            except OSError as error:  # a refused or dropped connection is a failure too
                status, headers, body, seconds = 0, {}, str(error), 0.0
            self.answers.append((time.monotonic(), status, headers, body, seconds))

    def since(self, moment):
        return [a for a in list(self.answers) if a[0] >= moment]


@pytest.fixture
def postgres():
    _require_postgres_binaries()
    server = Postgres()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_the_site_answers_503_while_postgres_is_away_and_recovers_by_itself(
    postgres, cache, request
):
    """With the database cache (no REDIS_URL) every page needs Postgres, so every page answers the
    friendly 503 while it is away. With Redis (production's shared cache, ADR 0026), a page kept
    in the cache is still served from it, and only a page no cache holds answers 503."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{postgres.port}/postgres") as db:
        db.autocommit = True
        db.execute("CREATE DATABASE cxportal")
    env = _env(**PRODUCTION, DATABASE_URL=postgres.url)
    if cache == "redis":
        # Its own Redis database (15), apart from the other caching tests' keys.
        env["REDIS_URL"] = request.getfixturevalue("redis_server").rsplit("/", 1)[0] + "/15"
    _manage("migrate", "--noinput", env=env)
    _manage("import_performance_gov", "--if-empty", env=env)
    # Production serves hashed static files from the manifest (as the image does after its build).
    _manage("collectstatic", "--noinput", "--verbosity=0", env=env)
    # A signed-in editor: a session in this database, for the admin's side of the outage.
    make_session = (
        "from django.contrib.auth import get_user_model; from django.test import Client; "
        "u = get_user_model().objects.create_superuser('ops', 'ops@example.gov', 'x' * 20); "
        "c = Client(); c.force_login(u); print(c.cookies['sessionid'].value)"
    )
    cookie = _manage("shell", "-c", make_session, env=env).stdout.strip().splitlines()[-1]

    port = _free_port()
    # The server's log goes to a file: a pipe nobody reads would fill and stall the server.
    log_file = (postgres.dir / "app.log").open("w+")
    app = subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=ROOT,
        env={**env, "PORT": str(port), "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2"},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    visitors = Visitors(port)  # the page, kept in the cache after its first answer
    newcomers = Visitors(port, fresh=True)  # searches nobody made before: no cache holds them
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and app.poll() is None:
            with contextlib.suppress(OSError):
                if _get(port, "/healthz")[0] == 200:
                    break
            time.sleep(0.3)
        assert _get(port, "/healthz")[0] == 200
        assert _get(port, "/admin/", cookie)[0] == 200

        visitors.start()
        newcomers.start()
        time.sleep(2)
        before = visitors.since(0) + newcomers.since(0)

        # Postgres goes away.
        stopped = time.monotonic()
        postgres.stop("fast")
        time.sleep(4)
        away = newcomers.since(stopped + 0.5)  # what is answered once it is gone
        kept_away = visitors.since(stopped + 0.5)
        health_away = _get(port, "/healthz")
        admin_away = _get(port, "/admin/", cookie)

        # Postgres comes back; the app is not touched.
        postgres.start()
        started = time.monotonic()
        deadline = started + 15
        while time.monotonic() < deadline and not any(
            status == 200 for _, status, *_ in newcomers.since(started)
        ):
            time.sleep(0.2)
        time.sleep(1)
        back = newcomers.since(started)
        health_back = _get(port, "/healthz")
        admin_back = _get(port, "/admin/", cookie)
    finally:
        for thread in (visitors, newcomers):
            thread.running = False
            if thread.is_alive():
                thread.join(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(app.pid, signal.SIGTERM)
        app.wait(timeout=40)
        log_file.seek(0)
        output = log_file.read()
        log_file.close()

    everything = visitors.answers + newcomers.answers
    statuses = [status for _, status, *_ in everything]
    assert before and all(status == 200 for _, status, *_ in before), output[-3000:]

    # While it is away: the friendly page, quickly; never a 500, a refused connection or a hang.
    assert len(away) >= 5 and {status for _, status, *_ in away} == {503}, output[-3000:]
    if cache == "redis":
        # The page kept in Redis: still served, whole, while Postgres is away.
        assert len(kept_away) >= 5, output[-3000:]
        for _, status, headers, body, _ in kept_away:
            assert status == 200 and "Priority Area Leaders" in body
            assert headers.get("X-Page-Cache") in {"HIT", "STALE"}
    else:
        # The database cache is in Postgres too: the kept page cannot be read either.
        assert {status for _, status, *_ in kept_away} == {503}, output[-3000:]
    for _, _, headers, body, seconds in away:
        assert "The site is temporarily unavailable" in body
        assert headers["Retry-After"] == "30" and "no-store" in headers["Cache-Control"]
        assert seconds < 5
    assert set(statuses) <= {200, 503}, output[-3000:]
    assert max(seconds for *_, seconds in everything) < 5
    assert health_away[0] == 503 and json.loads(health_away[2])["status"] == "unavailable"
    assert admin_away[0] == 503

    # Back: the pages again, from the same gunicorn process, within seconds.
    assert back and back[-1][1] == 200, output[-3000:]
    first_ok = next(moment for moment, status, *_ in back if status == 200)
    assert first_ok - started < 10
    assert health_back[0] == 200 and admin_back[0] == 200
    slowest = max(seconds for *_, seconds in away)
    print(  # for the record, with -s
        f"{len(before)} pages before, {len(away)} 503s while away (slowest {slowest:.3f} s), "
        f"pages again {first_ok - started:.2f} s after Postgres started"
    )
    assert app.returncode == 0  # it ran throughout, and stopped when told
    log = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert any(line["logger"] == "cxportal.database" and "exc_info" in line for line in log)
