"""deploy/nginx.conf in front of the app (ADR 0027): nginx serves its copy without asking the
app, and the next request after a publish shows the change, because the app purges nginx's copies
before the publishing request answers.

The app is pytest-django's live server, reading the committed real content; nginx and Redis are
real (tests/servers.py). Changes are committed in a thread of their own (`committed`), as an
editor's request would, and undone afterwards.
"""

import datetime
import http.client
import shutil

import pytest
from django.db import connections
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from content.publishing import Status
from priorities.models import PriorityArea, ProgressUpdate
from tests.browser.conftest import (
    committed,  # its on-commit work (the version, nginx's purge) runs before it returns
)
from tests.servers import start_nginx, stop
from tests.site.caching import redis_cache

MARK = "Zz published behind nginx."


@pytest.fixture(scope="module")
def nginx(django_db_setup, django_db_blocker, redis_server):
    """nginx with deploy/nginx.conf on a free port, in front of a live server of the app with the
    page cache on Redis and the purge pointed at this nginx."""
    app = LiveServer("127.0.0.1")
    process, port, purge = start_nginx(f"127.0.0.1:{app.thread.port}")
    with override_settings(
        CACHES=redis_cache(redis_server),
        CXPORTAL_PAGE_CACHE=True,
        CXPORTAL_PROXY_PURGE_URL=[f"http://127.0.0.1:{purge}"],
    ):
        from django.core.cache import cache

        cache.clear()
        yield port
        cache.clear()
    stop(process)
    shutil.rmtree(process.prefix, ignore_errors=True)
    app.stop()
    with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read().decode(errors="replace")  # gzip stays unreadable
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def add_update(status=Status.PUBLISHED):
    area = PriorityArea.objects.get(slug="cx")
    return ProgressUpdate.objects.create(
        priority_area=area,
        kind=ProgressUpdate.Kind.SUMMARY,
        date=datetime.date(2031, 6, 1),
        period_label="June 2031",
        body=MARK,
        status=status,
    )


def remove(update):
    committed(lambda: ProgressUpdate.objects.filter(pk=update.pk).delete())


def test_nginx_serves_its_copy_without_the_app(nginx, db):
    status, first, _ = get(nginx, "/pma/cx/strategy/1/")
    assert status == 200 and first["X-Page-Cache"] == "MISS"
    assert first["Cache-Control"] == "public, max-age=60, stale-while-revalidate=30"
    status, again, _ = get(nginx, "/pma/cx/strategy/1/")
    # Had the app answered, it would say HIT: this is nginx's stored copy, headers and all.
    assert again["X-Page-Cache"] == "MISS"
    assert again["ETag"] == first["ETag"]
    assert set(again) == set(first)  # nginx adds no header of its own
    status, _, _ = get(nginx, "/pma/cx/strategy/1/", **{"If-None-Match": first["ETag"]})
    assert status == 304


def test_a_publish_shows_through_nginx_on_the_next_request(nginx, db):
    _, first, body = get(nginx, "/pma/cx/")
    assert MARK not in body
    _, again, _ = get(nginx, "/pma/cx/")
    assert again["X-Page-Cache"] == "MISS"  # nginx's copy

    draft = committed(lambda: add_update(Status.DRAFT))
    try:
        _, _, body = get(nginx, "/pma/cx/")
        assert MARK not in body  # a draft, never shown

        def publish():
            update = ProgressUpdate.objects.get(pk=draft.pk)
            update.status = Status.PUBLISHED
            update.save()

        committed(publish)
        _, headers, body = get(nginx, "/pma/cx/")
        assert MARK in body
        assert headers["X-Page-Cache"] == "MISS"  # the app drew it afresh

        def unpublish():
            update = ProgressUpdate.objects.get(pk=draft.pk)
            update.status = Status.DRAFT
            update.save()

        committed(unpublish)
        _, _, body = get(nginx, "/pma/cx/")
        assert MARK not in body
    finally:
        remove(draft)


def test_htmx_and_gzip_copies_are_purged_too(nginx, db):
    variants = [{}, {"HX-Request": "true"}, {"Accept-Encoding": "gzip"}]
    for headers in variants:
        get(nginx, "/cx/hisps/?q=veterans", **headers)
        _, again, _ = get(nginx, "/cx/hisps/?q=veterans", **headers)
        assert again["X-Page-Cache"] == "MISS"  # nginx's copy
    update = committed(add_update)
    try:
        for headers in variants:
            _, fresh, _ = get(nginx, "/cx/hisps/?q=veterans", **headers)
            assert fresh["X-Page-Cache"] == "MISS"
            _, again, _ = get(nginx, "/cx/hisps/?q=veterans", **headers)
            assert again["Date"] >= fresh["Date"]
        _, gzipped, _ = get(nginx, "/cx/hisps/?q=veterans", **{"Accept-Encoding": "gzip"})
        assert gzipped.get("Content-Encoding") == "gzip"
    finally:
        remove(update)


def test_a_signed_in_request_goes_past_nginx(nginx, db):
    get(nginx, "/pma/cx/")
    _, copy, _ = get(nginx, "/pma/cx/")
    assert copy["X-Page-Cache"] in ("MISS", "HIT")
    _, signed_in, _ = get(nginx, "/pma/cx/", Cookie="sessionid=not-a-real-session")
    assert signed_in["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in signed_in
    _, after, _ = get(nginx, "/pma/cx/")
    assert after.get("Cache-Control", "").startswith("public")  # still the public copy
    _, admin, _ = get(nginx, "/admin/login/")
    assert admin["Cache-Control"] == "private, no-store"
