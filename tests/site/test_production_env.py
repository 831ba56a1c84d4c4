"""The README's production environment (its `prod.env` example) passes `check --deploy
--fail-level WARNING`, and gives the settings that tests/site/test_headers.py applies."""

import json
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

from tests.site.test_headers import PRODUCTION_SETTINGS
from tests.test_serve import _env

pytestmark = pytest.mark.django_db
README = settings.BASE_DIR / "README.md"


def readme_production_env() -> dict[str, str]:
    """The README's `prod.env` block, with its two secrets filled in for this test run."""
    blocks = re.findall(r"```sh\n(# prod\.env.*?)```", README.read_text(), re.S)
    assert len(blocks) == 1, "the README has one ```sh block starting `# prod.env`"
    env = {}
    for line in blocks[0].splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    fill = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DATABASE_URL": _env()["DATABASE_URL"]}
    for name, value in env.items():
        if value.startswith("<"):
            assert name in fill, f"{name} has a placeholder this test cannot fill"
            env[name] = fill[name]
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_readme_production_env_passes_check_deploy():
    env = readme_production_env()
    assert env["DJANGO_DEBUG"] == "false" and env["DJANGO_SECURE_SSL_REDIRECT"] == "true"

    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_laptop_defaults_do_not_pass_it():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={})
    assert result.returncode != 0
    assert "security.W004" in result.stderr  # no HSTS without HTTPS


def test_readme_production_env_gives_the_settings_the_header_tests_use():
    names = json.dumps(sorted(PRODUCTION_SETTINGS))
    code = f"import json; from django.conf import settings as s; print(json.dumps({{n: getattr(s, n) for n in {names}}}))"
    result = _manage("shell", "-c", code, env=readme_production_env())

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == PRODUCTION_SETTINGS


def test_hsts_defaults_to_a_year_behind_https():
    env = {k: v for k, v in readme_production_env().items() if k != "DJANGO_SECURE_HSTS_SECONDS"}
    code = (
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD)"
    )
    result = _manage("shell", "-c", code, env=env)
    assert result.stdout.splitlines()[-1].split() == ["31536000", "True"], result.stderr


@pytest.mark.parametrize(
    "name, value",
    [
        ("CXPORTAL_DAP_URL", "http://dap.example.com/dap.js"),  # not https
        ("CXPORTAL_DAP_URL", "https://dap.example.com/dap.js?agency=X"),  # the agency is ours
        ("CXPORTAL_DAP_AGENCY", 'GSA"><script>'),
    ],
)
def test_nonsense_analytics_settings_stop_the_start(name, value):
    result = _manage("check", env={name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and name in result.stderr
