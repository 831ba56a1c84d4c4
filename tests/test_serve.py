"""The production start-up step (`manage.py serve`) and the container that runs it."""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"

# Everything the settings block reads, plus what gunicorn.conf.py reads.
CONFIG_VARS = [
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "REDIS_URL",
    "PORT",
    "WEB_CONCURRENCY",
    "CXPORTAL_REQUIRE_2FA",
    "CXPORTAL_LOGIN_FAILURE_LIMIT",
    "CXPORTAL_LOGIN_COOLOFF_MINUTES",
    "CXPORTAL_SESSION_IDLE_MINUTES",
    "CXPORTAL_ADMIN_PATH",
    "CXPORTAL_DAP_AGENCY",
    "CXPORTAL_DAP_URL",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "CXPORTAL_PAGE_CACHE",
    "CXPORTAL_PROXY_PURGE_URL",
]

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "cx.example.gov",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://cx.example.gov",
}


def _test_database_url() -> str:
    """The URL of the database these tests use, in the form settings.py parses."""
    s = connection.settings_dict
    netloc = f"{quote(s['USER'] or '', safe='')}:{quote(s['PASSWORD'] or '', safe='')}@"
    netloc += quote(s["HOST"] or "", safe="")
    if s["PORT"]:
        netloc += f":{s['PORT']}"
    query = urlencode({k: v for k, v in s["OPTIONS"].items() if isinstance(v, str | int)})
    return f"postgres://{netloc}/{quote(s['NAME'])}" + (f"?{query}" if query else "")


def _env(**overrides: str) -> dict[str, str]:
    # The container's environment: none of the test run's settings, nor its async-safety opt-out.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in CONFIG_VARS and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env["DATABASE_URL"] = _test_database_url()
    env.update(overrides)
    return env


def _serve(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "serve", *args],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each Dockerfile instruction, continuations joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    result = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            result.append((keyword.upper(), rest.strip()))
    return result


def _healthcheck_argv() -> list[str]:
    (args,) = [rest for keyword, rest in _instructions(DOCKERFILE) if keyword == "HEALTHCHECK"]
    argv = json.loads(args.split(" CMD ", 1)[1])
    assert argv[0] == "python", "the image has no curl: the health check must use python"
    return [sys.executable, *argv[1:]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_laptop_defaults_refuse_to_start():
    result = _serve("--dry-run")

    assert result.returncode != 0
    assert "Refusing to start" in result.stderr
    for check in ("security.W009", "SECRET_KEY", "security.W004", "HSTS", "security.W008"):
        assert check in result.stderr
    assert "gunicorn" not in result.stdout


@pytest.mark.django_db
def test_debug_in_production_refuses_to_start():
    result = _serve("--dry-run", **{**PRODUCTION, "DJANGO_DEBUG": "true"})

    assert result.returncode != 0
    assert "security.W018" in result.stderr
    assert "DEBUG" in result.stderr


@pytest.mark.django_db
def test_production_settings_start_gunicorn_with_its_config():
    result = _serve("--dry-run", **PRODUCTION, PORT="9123")

    assert result.returncode == 0, result.stderr
    command, config = result.stdout.strip().splitlines()[-2:]
    assert command.endswith(
        f"-m gunicorn --config={ROOT / 'gunicorn.conf.py'} cxportal.wsgi:application"
    )
    for setting in [
        "bind=['0.0.0.0:9123']",
        "workers=2",
        "threads=1",
        "timeout=30",
        "graceful_timeout=25",
        "max_requests=1000",
        "max_requests_jitter=100",
        "worker_tmp_dir=/dev/shm",
        "accesslog=None",  # the app logs each request itself, as JSON
        "forwarded_allow_ips=*",
    ]:
        assert setting in config.split(), setting


@pytest.mark.django_db
def test_workers_threads_and_timeouts_follow_the_environment_and_reject_nonsense():
    tuned = _serve(
        "--dry-run",
        **PRODUCTION,
        WEB_CONCURRENCY="5",
        GUNICORN_THREADS="4",
        GUNICORN_TIMEOUT="60",
        GUNICORN_GRACEFUL_TIMEOUT="10",
        GUNICORN_MAX_REQUESTS="0",
    ).stdout.split()
    for setting in [
        "workers=5",
        "threads=4",
        "timeout=60",
        "graceful_timeout=10",
        "max_requests=0",
    ]:
        assert setting in tuned, setting

    for name, value in [
        ("WEB_CONCURRENCY", "lots"),
        ("GUNICORN_THREADS", "0"),
        ("GUNICORN_TIMEOUT", "-1"),
    ]:
        bad = _serve("--dry-run", **PRODUCTION, **{name: value})
        assert bad.returncode != 0, name
        assert name in bad.stderr and "whole number" in bad.stderr


@pytest.mark.django_db
def test_migrate_option_migrates_before_starting():
    result = _serve("--migrate", "--dry-run", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "No migrations to apply" in result.stdout
    assert result.stdout.index("migrations") < result.stdout.index("gunicorn")


@pytest.mark.django_db
def test_served_app_passes_the_image_health_check():
    """Really exec gunicorn, then run the Dockerfile's HEALTHCHECK against it."""
    port = str(_free_port())
    env = _env(**PRODUCTION, PORT=port, WEB_CONCURRENCY="1")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            check = subprocess.run(_healthcheck_argv(), env=env, capture_output=True, timeout=30)
            if check.returncode == 0 or time.monotonic() > deadline or server.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have refused to start
            os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]

    assert check.returncode == 0, output + check.stderr.decode()
    # Every line is a JSON object: gunicorn's own and the app's; each request is logged once, by
    # the app (gunicorn's access log is off), with its id.
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert any(
        line["logger"] == "gunicorn.error" and "Listening at" in line["message"] for line in lines
    )
    requests = [line for line in lines if line["logger"] == "cxportal.request"]
    assert requests and {(line["path"], line["status"]) for line in requests} <= {
        ("/healthz", 200),
        ("/healthz", 503),  # the database checked before the worker had warmed up
    }
    assert requests[-1]["status"] == 200 and requests[-1]["request_id"]
    assert len(requests) == len({line["request_id"] for line in requests})


SLOW_APP = """
import time


def app(environ, start_response):
    time.sleep(float(environ["QUERY_STRING"] or 0))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"finished"]
"""


def test_gunicorn_finishes_requests_in_flight_on_sigterm(tmp_path):
    """What a deploy does to the old container: SIGTERM while a request is being served. With
    gunicorn.conf.py's graceful_timeout the request still gets its answer, and gunicorn exits
    cleanly. (A two-second stand-in app, served with the project's config file.)"""
    (tmp_path / "slow_app.py").write_text(SLOW_APP)
    port = _free_port()
    env = _env(PORT=str(port), WEB_CONCURRENCY="1", PYTHONPATH=str(tmp_path))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "slow_app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and server.poll() is None:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
            client.sendall(b"GET /?2 HTTP/1.0\r\nHost: localhost\r\n\r\n")
            time.sleep(0.5)  # the worker has the request
            os.kill(server.pid, signal.SIGTERM)
            answer = b""
            while chunk := client.recv(4096):
                answer += chunk
        returncode = server.wait(timeout=30)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        output = server.communicate(timeout=10)[0]

    assert answer.startswith(b"HTTP/1.0 200") and answer.endswith(b"finished"), output
    assert returncode == 0, output
    messages = [json.loads(line)["message"] for line in output.splitlines() if line.strip()]
    assert "Handling signal: term" in messages
    assert "Shutting down: Master" in messages


def test_dockerfile_runs_serve_as_non_root():
    instructions = _instructions(DOCKERFILE)
    keywords = [keyword for keyword, _ in instructions]

    (base,) = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?", base)

    cmd = [rest for keyword, rest in instructions if keyword in ("CMD", "ENTRYPOINT")]
    assert cmd, "no CMD or ENTRYPOINT"
    assert "manage.py" in cmd[-1]
    assert "serve" in cmd[-1]

    users = [rest for keyword, rest in instructions if keyword == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    assert keywords.index("USER") > keywords.index("RUN")  # after the root-only build steps
    assert any(
        keyword == "RUN" and "useradd" in rest and rest.rstrip().endswith(users[-1])
        for keyword, rest in instructions
    )


def test_dockerfile_builds_static_files_without_a_database():
    runs = [rest for keyword, rest in _instructions(DOCKERFILE) if keyword == "RUN"]
    (collectstatic,) = [run for run in runs if "collectstatic" in run]
    assert "--noinput" in collectstatic
    assert "DATABASE_URL=" in collectstatic  # else settings start the embedded Postgres
    assert any("-r requirements.txt" in run and "--no-cache-dir" in run for run in runs)
    assert not any("requirements-dev" in run for run in runs)


def test_dockerignore_keeps_local_state_out_of_the_image():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = {line.strip().strip("/") for line in lines if not line.startswith("#")}
    for local in (".pgdata", ".venv", ".git", "staticfiles"):
        assert local in patterns


def test_the_image_runs_gunicorn_with_its_config_and_stops_gracefully():
    instructions = _instructions(DOCKERFILE)
    assert ("STOPSIGNAL", "SIGTERM") in instructions  # gunicorn's graceful shutdown signal
    assert ("COPY", ". .") in instructions
    ignored = {
        line.strip().strip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert not any(Path("gunicorn.conf.py").match(pattern) for pattern in ignored)
    assert "gunicorn.conf.py" in (ROOT / "cxportal/management/commands/serve.py").read_text()
