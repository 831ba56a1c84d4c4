"""What keeps the pages light (issue 8, ADR 0024): they load the USWDS rules and icons the site
uses, made from the vendored USWDS by static/vendor/uswds_used.py, never the whole 527 KB file; those
files are what the templates ask for today; the fonts are subset; and no script blocks the page."""

import re
import subprocess
import sys

import pytest
from django.conf import settings

from tests.site.test_home import PUBLIC_PAGES

pytestmark = pytest.mark.django_db
VENDOR = settings.BASE_DIR / "static" / "vendor"


def test_the_used_uswds_files_match_the_templates():
    """Fails when a template gains a USWDS class or icon and uswds_used.py was not run again."""
    run = subprocess.run(
        [sys.executable, str(VENDOR / "uswds_used.py"), "--check"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_used_css_keeps_what_pages_use_and_leaves_out_the_rest():
    css = (VENDOR / "uswds" / "css" / "uswds.used.min.css").read_text()
    full = (VENDOR / "uswds" / "css" / "uswds.min.css").read_text()
    assert len(css) < len(full) / 3
    # Components on the pages, and the states static/js/site.js gives them.
    for selector in [
        ".usa-banner__header--expanded",
        ".usa-nav.is-visible",
        ".usa-overlay.is-visible",
        ".usa-js-mobile-nav--active",
        ".usa-table--stacked",
    ]:
        assert selector in css, selector
    # Components the site does not use.
    for selector in [".usa-date-picker", ".usa-modal", ".usa-combo-box", ".usa-step-indicator"]:
        assert selector not in css, selector


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_load_the_used_css_and_no_blocking_script(client, path):
    page = client.get(path).content.decode()
    assert "uswds.used.min.css" in page and "uswds.min.css" not in page
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(" defer" in tag for tag in scripts), scripts
    # htmx (17 kB) only where a filter uses it: {% block htmx %} in the page's template.
    assert ("htmx-2.min.js" in page) == ("data-hx-" in page)
    # The site's own small script, never USWDS's 79 KB one (ADR 0025).
    assert "js/site.js" in page and "uswds.min.js" not in page


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_images_have_their_size_and_preloaded_fonts_exist(client, path):
    """An image without width and height moves the text below it when it arrives, and a font
    preloaded under a name the CSS does not use is a download for nothing (Lighthouse's layout
    shift, issue 8)."""
    page = client.get(path).content.decode()
    for tag in re.findall(r"<img\b[^>]*>", page):
        assert re.search(r'\swidth="\d+"', tag) and re.search(r'\sheight="\d+"', tag), tag
    css = (VENDOR / "uswds" / "css" / "uswds.used.min.css").read_text()
    preloaded = re.findall(
        r'<link rel="preload" href="/static/vendor/uswds/([^"]+)" as="font"', page
    )
    assert len(preloaded) == 4
    for font in preloaded:
        assert f"url(../{font})" in css, font


def test_the_site_script_is_small():
    script = settings.BASE_DIR / "static" / "js" / "site.js"
    assert script.stat().st_size < 8_000
    assert not (VENDOR / "uswds" / "js").exists()


def test_the_fonts_are_subset():
    """USWDS's fonts were 16 to 22 KB each; subset to the site's characters, about 11 KB."""
    fonts = sorted((VENDOR / "uswds" / "fonts").rglob("*.woff2"))
    assert len(fonts) == 18
    assert all(font.stat().st_size < 13_000 for font in fonts), [
        (font.name, font.stat().st_size) for font in fonts if font.stat().st_size >= 13_000
    ]


def test_pages_are_sent_compressed(client):
    response = client.get("/pma/cx/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 15_000  # 30 KB of HTML
