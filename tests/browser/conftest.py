"""Real Chromium (Debian's), driven by Playwright, against pytest-django's live server."""

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium")
    # Playwright's sync API runs an event loop in this thread, while Django's ORM calls stay
    # synchronous: allow them for as long as the browser is open, and no longer.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            yield browser
            browser.close()


@pytest.fixture
def real_content(transactional_db, data_dir):
    """The live server runs in another thread, so it needs committed data: import it for real."""
    with open(os.devnull, "w") as devnull:
        call_command("import_performance_gov", str(data_dir), stdout=devnull)
