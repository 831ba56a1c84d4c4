"""HTTP caching (cxportal/caching.py, ADR 0026): what a browser, nginx or a CDN is told it may
keep, and the 304s that save them the download."""

import datetime
import time

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from content.models import ShareLink
from content.publishing import Status
from tests.factories import ProgressUpdateFactory
from tests.site.caching import page

PUBLIC = "public, max-age=60, stale-while-revalidate=30"
PRIVATE = "private, no-store"


def draft(area):
    return ProgressUpdateFactory(
        priority_area=area, status=Status.DRAFT, body="Zz a draft for review."
    )


@pytest.mark.parametrize(
    "path", ["/", "/pma/cx/", "/search/?q=trust", "/feeds/updates.atom", "/robots.txt"]
)
def test_public_pages_may_be_kept_briefly_by_anyone(page_cache, anonymous, path):
    for state in ("MISS", "HIT"):
        response = page(anonymous, path)
        assert response["X-Page-Cache"] == state
        assert response["Cache-Control"] == PUBLIC
        assert response["ETag"].startswith('"') and len(response["ETag"]) > 10
        assert parse_http_date(response["Last-Modified"]) <= time.time()


def test_a_download_may_be_kept_and_keeps_its_own_date(page_cache, anonymous):
    response = anonymous.get("/cx/data/hisps.csv")
    assert response.status_code == 200 and response.streaming
    assert response["Cache-Control"] == PUBLIC
    again = anonymous.get(
        "/cx/data/hisps.csv", headers={"If-Modified-Since": response["Last-Modified"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("state", ["MISS", "HIT"])
def test_if_none_match_gets_304(page_cache, anonymous, state):
    first = page(anonymous, "/pma/cx/")
    if state == "MISS":
        cache.clear()  # drawn again, the same page has the same ETag
    response = anonymous.get("/pma/cx/", headers={"If-None-Match": first["ETag"]})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Cache-Control"] == PUBLIC
    other = anonymous.get("/pma/cx/", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_if_modified_since_gets_304_until_the_content_changes(
    page_cache, anonymous, cx_area, commit
):
    first = page(anonymous, "/pma/cx/")
    since = first["Last-Modified"]
    assert anonymous.get("/pma/cx/", headers={"If-Modified-Since": since}).status_code == 304
    with commit():
        ProgressUpdateFactory(priority_area=cx_area, body="Zz published later.")
    changed = anonymous.get("/pma/cx/", headers={"If-Modified-Since": since})
    assert changed.status_code == 200
    assert "Zz published later." in changed.content.decode()
    assert parse_http_date(changed["Last-Modified"]) >= parse_http_date(since)


def test_last_modified_is_when_the_content_changed_not_when_the_page_was_drawn(
    page_cache, anonymous, cx_area, commit
):
    with commit():
        ProgressUpdateFactory(priority_area=cx_area, body="Zz published now.")
    changed_at = time.time()
    first = page(anonymous, "/pma/cx/")
    time.sleep(1.1)
    # Another address, drawn a second later, of the same content: the same date.
    other = page(anonymous, "/pma/cx/?from=link")
    assert other["X-Page-Cache"] == "MISS"
    assert other["Last-Modified"] == first["Last-Modified"]
    assert abs(parse_http_date(first["Last-Modified"]) - changed_at) < 2


def test_a_scheduled_item_going_live_moves_last_modified(page_cache, anonymous, cx_area, commit):
    soon = timezone.now() + datetime.timedelta(hours=1)
    with commit():
        ProgressUpdateFactory(priority_area=cx_area, publish_at=soon, body="Zz scheduled.")
    with time_machine.travel(soon + datetime.timedelta(minutes=5), tick=False):
        response = page(anonymous, "/pma/cx/")
    assert "Zz scheduled." in response.content.decode()
    assert response["Last-Modified"] == http_date(int(soon.timestamp()))


def test_no_cache_keeps_a_page_past_the_next_scheduled_time(page_cache, anonymous, cx_area, commit):
    soon = timezone.now() + datetime.timedelta(hours=1)
    with commit():
        ProgressUpdateFactory(priority_area=cx_area, publish_at=soon, body="Zz scheduled.")
    with time_machine.travel(soon - datetime.timedelta(seconds=40), tick=False):
        assert page(anonymous, "/pma/cx/")["Cache-Control"] == (
            "public, max-age=40, stale-while-revalidate=0"
        )
    with time_machine.travel(soon - datetime.timedelta(seconds=75), tick=False):
        assert page(anonymous, "/").get("Cache-Control") == (
            "public, max-age=60, stale-while-revalidate=15"
        )


def test_the_admin_is_private(page_cache, signed_in_publisher, anonymous):
    assert anonymous.get(reverse("admin:login"))["Cache-Control"] == PRIVATE
    for path in (reverse("admin:index"), reverse("admin:priorities_progressupdate_changelist")):
        response = signed_in_publisher.get(path)
        assert response.status_code == 200
        assert response["Cache-Control"] == PRIVATE


def test_a_preview_is_private(page_cache, signed_in_publisher, cx_area):
    update = draft(cx_area)
    response = signed_in_publisher.get(
        reverse("admin:priorities_progressupdate_preview", args=[update.pk])
    )
    assert "Zz a draft for review." in response.content.decode()
    assert response["Cache-Control"] == PRIVATE
    assert "ETag" not in response


def test_a_share_link_is_private(page_cache, anonymous, signed_in_publisher, cx_area):
    update = draft(cx_area)
    link = ShareLink.objects.create(content_object=update, created_by=signed_in_publisher.user)
    response = anonymous.get(link.get_absolute_url())
    assert "Zz a draft for review." in response.content.decode()
    assert response["Cache-Control"] == PRIVATE
    link.revoked_at = timezone.now()
    link.save()
    gone = anonymous.get(link.get_absolute_url())
    assert gone.status_code == 410 and gone["Cache-Control"] == PRIVATE


def test_a_signed_in_users_public_page_is_private(page_cache, signed_in_publisher):
    response = signed_in_publisher.get("/pma/cx/")
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    assert "ETag" not in response


def test_what_may_change_any_moment_is_checked_each_time(page_cache, anonymous):
    assert anonymous.get("/no/such/page/")["Cache-Control"] == "no-cache"
    assert "no-store" in anonymous.get("/healthz")["Cache-Control"]
