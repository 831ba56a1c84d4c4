"""Real Chromium (Debian's), driven by Playwright, against pytest-django's live server.

The live server reads the real content that the session imported and committed once (see
tests/conftest.py). Browser tests only read.
"""

import os
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection, connections, transaction
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

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
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Only violations are read: axe then skips collecting the details of every rule that passed.
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def _site_server(django_db_setup, django_db_blocker):
    """pytest-django's live server (its LiveServer thread), started once for the session."""
    server = LiveServer("localhost")
    yield server
    server.stop()
    # Request threads that served a browser's keep-alive socket may still hold a connection; end
    # them, so that the test database can be dropped at the end of the session.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def live_site(_site_server, db):
    """The live server (on localhost, already an allowed host), for read-only tests in `db`.

    Not named `live_server`: pytest-django makes every test that names that fixture a
    TransactionTestCase, whose flush afterwards would erase the imported content. These tests
    never write.
    """
    return _site_server


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
def page(browser):
    """A desktop-sized page that fails the test on any console error or blocked resource.

    Only a page that is itself an error page (a 404 the test asked for) may log its own status.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []

    def on_console(message):
        expected = "status of 404" in message.text and page.url.rstrip("/").endswith(
            "/no/such/page"
        )
        if message.type == "error" and not expected:
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()
    assert not errors, f"browser console errors: {errors}"


@pytest.fixture(scope="session")
def axe():
    return Axe()


def axe_violations(axe, page) -> str:
    """The axe-core report for WCAG 2.1 A and AA, or "" when there is nothing to report."""
    results = axe.run(page, options=WCAG)
    return results.generate_report() if results.violations_count else ""


def accessibility_problems(
    browser, axe, base_url, paths, widths=(375, 1280), prepare=None
) -> list[str]:
    """Load each path at each width; report axe-core violations (WCAG 2.1 A/AA) and any page wider
    than the window (which would make a phone user scroll sideways). `prepare(page)` may open
    disclosures first so that axe checks their contents too."""
    problems = []
    for width in widths:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for path in paths:
            response = page.goto(base_url + path)
            if response.status != 200:
                problems.append(f"{path} answered {response.status}")
                continue
            if prepare:
                prepare(page)
            report = axe_violations(axe, page)
            if report:
                problems.append(f"{path} at {width}px:\n{report}")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{path} is {scroll_width}px wide at {width}px")
        page.close()
    return problems


def committed(work):
    """Run `work` in a thread of its own, on a connection of its own, in a transaction of its own,
    and commit it: the test's own connection is inside a transaction that the live server's threads
    cannot see into. For the few browser tests that must write (ADR 0013); they undo it after."""
    outcome = {}

    def run():
        try:
            with transaction.atomic():
                outcome["value"] = work()
        except BaseException as error:  # handed to the test's thread below
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
