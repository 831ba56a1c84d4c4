"""Markup the HTML standard accepts, on every kind of public page (issue 8): the W3C's Nu HTML
Checker finds no error (it found 176 on 50 pages), `datetime` values have at most three digits of a
second (Django's "c" format gave six), and no `role="img"` on an image that is only decoration (the
banner's, 100 of the checker's errors)."""

import json
import re
import shutil
import subprocess

import pytest
from django.conf import settings

from tests.site.test_home import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

# A valid date, month, or global date and time string (with at most 3 digits of a second).
VALID = re.compile(r"^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?)?$")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_datetime_values_are_valid_and_images_have_no_needless_role(client, path):
    page = client.get(path).content.decode()
    values = re.findall(r'datetime="([^"]*)"', page)
    assert all(VALID.match(value) for value in values), [v for v in values if not VALID.match(v)]
    assert not re.search(r'<img[^>]*role="img"', page)


def test_last_updated_carries_a_valid_time_to_the_second(client):
    from hisps.models import Hisp

    hisp = Hisp.objects.public().get(slug="veterans-health-administration")
    hisp.save()  # a published item's change: its page now says when
    page = client.get(hisp.get_absolute_url()).content.decode()
    value = re.search(r'Last updated <time datetime="([^"]+)">', page).group(1)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", value), value


# The W3C's Nu HTML Checker, as `make checker` installs it (the Makefile pins its version).
VNU = (
    settings.BASE_DIR / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
INSTALL = (
    "make checker   (as root it installs Java with apt-get; otherwise: "
    "sudo apt-get install -y openjdk-17-jre-headless, then make checker)"
)
# A page the checker must reject: it proves the run below really checks what it is given.
BROKEN = '<!doctype html><html lang="en"><title>x</title><a hx-get="/" href="/">x</a></html>'


def nu_errors(paths: dict[str, str], tmp_path) -> dict[str, list[str]]:
    """Every error the checker finds, by page, in one run (one JVM start) over all the files."""
    java = shutil.which("java")
    if not java or not VNU.exists():
        pytest.fail(
            f"The HTML checker needs Java and {VNU.relative_to(settings.BASE_DIR)}: {INSTALL}"
        )
    files = {}
    for number, (name, html) in enumerate(paths.items()):
        file = tmp_path / f"page{number:02d}.html"
        file.write_text(html, encoding="utf-8")
        files[file.name] = name
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *map(str, tmp_path.iterdir()),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = {name: [] for name in paths}
    for message in json.loads(run.stderr)["messages"]:  # the checker reports on stderr
        name = files[message["url"].rsplit("/", 1)[-1]]
        errors[name].append(
            f"line {message.get('lastLine')}: {message['message']} {message.get('extract', '')!r}"
        )
    return errors


def test_every_page_type_passes_the_nu_html_checker(client, rf, tmp_path):
    from django.test import override_settings

    from cxportal import ops

    pages = {path: client.get(path).content.decode() for path in PUBLIC_PAGES}
    # The page while the database is away, and a page with the analytics script (ADRs 30, 31).
    pages["the 503 page"] = ops.unavailable(rf.get("/pma/cx/")).content.decode()
    with override_settings(CXPORTAL_DAP_AGENCY="GSA"):
        pages["/pma/cx/ with DAP"] = client.get("/pma/cx/").content.decode()
    errors = nu_errors({**pages, "the broken page": BROKEN}, tmp_path)
    assert any("hx-get" in error for error in errors.pop("the broken page")), "checker not run"
    failing = {path: found for path, found in errors.items() if found}
    report = "\n".join(f"{path}:\n  " + "\n  ".join(found) for path, found in failing.items())
    assert not failing, f"Nu HTML Checker errors on {len(failing)} page(s):\n{report}"
