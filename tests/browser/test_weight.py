"""What a first visit costs (issue 8): every page type, loaded cold in Chromium with the cache off,
weighs under 150 kB transferred, every resource included, and asks no other origin for anything.
Before: 171 to 307 kB (/cx/hisps/ the heaviest), and the issue measured 209 to 314 kB.

The pages are served as in production: static files collected and compressed, and served by
whitenoise (the suite's usual live server hands out uncompressed files from the source folders),
and the pages themselves gzipped by the middleware.
"""

from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.test.testcases import LiveServerThread

from tests.site.test_home import PUBLIC_PAGES

BUDGET = 150_000  # bytes, as DevTools counts kB
WIDTHS = (375, 1280)  # a phone loads no font that the desktop does not, and the other way round


@pytest.fixture(scope="module")
def production_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """A live server whose static files are collected into a folder of their own, compressed
    (whitenoise's .gz beside each file), and served by whitenoise, as the container serves them."""
    root = tmp_path_factory.mktemp("staticfiles")
    compressed = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}
    with override_settings(STATIC_ROOT=root):
        from django.conf import settings

        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": compressed}):
            call_command("collectstatic", interactive=False, verbosity=0)
        # The thread wraps the site in a handler for MEDIA_URL; unset, that handler would answer
        # every address from the working directory. Unwrap it: the site, and whitenoise in its
        # middleware, answer everything, /static/ included.
        server = LiveServerThread("localhost", static_handler=lambda media: media.application)
        server.daemon = True
        with django_db_blocker.unblock():
            server.start()
            server.is_ready.wait()
            if server.error:
                raise server.error
            yield f"http://localhost:{server.port}"
            server.terminate()


def cold_load(browser, url: str, width: int) -> tuple[int, list[str], list[str]]:
    """Bytes transferred (headers and bodies, as sent) for a load in a fresh context with the
    cache disabled; what was fetched, largest first; and any request to another origin."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
    finished, requested = [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(url, wait_until="networkidle")
    assert response.status in (200, 404), url
    sizes = []
    for request in finished:
        size = request.sizes()
        sizes.append((size["responseHeadersSize"] + size["responseBodySize"], request.url))
    context.close()
    here = urlsplit(url).netloc
    elsewhere = [
        u for u in requested if urlsplit(u).scheme != "data" and urlsplit(u).netloc != here
    ]
    listing = [f"{n / 1000:.1f} kB {u.removeprefix(url)}" for n, u in sorted(sizes, reverse=True)]
    return sum(n for n, _ in sizes), listing, elsewhere


def test_every_page_type_is_light_and_asks_no_other_origin(production_server, browser):
    problems, heaviest = [], 0
    for width in WIDTHS:
        for path in PUBLIC_PAGES:
            weight, listing, elsewhere = cold_load(browser, production_server + path, width)
            heaviest = max(heaviest, weight)
            if weight >= BUDGET:
                problems.append(
                    f"{path} at {width}px: {weight:,} bytes\n    " + "\n    ".join(listing)
                )
            if elsewhere:
                problems.append(f"{path} at {width}px asked other origins: {elsewhere}")
    assert not problems, "\n".join(problems)
    assert heaviest > 50_000  # the pages and their styles, fonts and scripts were all counted
