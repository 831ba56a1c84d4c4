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

# Everything the settings block reads, plus the worker count serve reads.
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
def test_production_settings_start_gunicorn_on_port():
    result = _serve("--dry-run", **PRODUCTION, PORT="9123")

    assert result.returncode == 0, result.stderr
    assert "gunicorn cxportal.wsgi:application" in result.stdout
    assert "--bind=0.0.0.0:9123" in result.stdout
    assert "--workers=2" in result.stdout
    assert "--forwarded-allow-ips=*" in result.stdout


@pytest.mark.django_db
def test_workers_follow_web_concurrency_and_reject_nonsense():
    assert "--workers=5" in _serve("--dry-run", **PRODUCTION, WEB_CONCURRENCY="5").stdout

    bad = _serve("--dry-run", **PRODUCTION, WEB_CONCURRENCY="lots")
    assert bad.returncode != 0
    assert "WEB_CONCURRENCY" in bad.stderr


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
    assert "GET /healthz" in output  # gunicorn's access log, on stdout
    assert " 200 " in output


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
