"""The page cache (cxportal/caching.py, ADR 0026): a hit needs no database query, and a reader
never sees a page older than the last publish, unpublish, revert or reporting period, nor a
scheduled item before its time, nor an editor's preview."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from cxportal import caching
from hisps.models import ReportingPeriod
from hisps.periods import publish_period
from priorities.models import ProgressUpdate
from tests.editorial.test_history import reverted_by
from tests.factories import HispFactory, ProgressUpdateFactory, QuarterlyReportFactory
from tests.site.caching import page, text

PAGES = [
    "/",
    "/pma/cx/",
    "/pma/cx/strategy/2/",
    "/cx/hisps/",
    "/cx/hisps/veterans-health-administration/",
    "/cx/life-experiences/",
    "/search/?q=trust",
    "/feeds/updates.atom",
    "/sitemap.xml",
]


@pytest.mark.parametrize("path", PAGES)
def test_a_hit_on_redis_makes_no_database_query(
    on_redis, anonymous, path, django_assert_num_queries
):
    first = page(anonymous, path)
    assert first["X-Page-Cache"] == "MISS"
    with django_assert_num_queries(0):
        again = page(anonymous, path)
    assert again["X-Page-Cache"] == "HIT"
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_a_hit_on_the_database_cache_reads_only_the_cache_table(on_database, anonymous):
    page(anonymous, "/pma/cx/")
    with CaptureQueriesContext(connection) as queries:
        hit = page(anonymous, "/pma/cx/")
    assert hit["X-Page-Cache"] == "HIT"
    # The content version and the page, in one read of the cache's own table, and nothing else.
    assert len(queries) == 1
    assert all('"cxportal_cache"' in query["sql"] for query in queries)


def test_the_queries_of_a_hit_do_not_grow_with_the_content(page_cache, anonymous, cx_area, commit):
    page(anonymous, "/pma/cx/")
    with CaptureQueriesContext(connection) as before:
        page(anonymous, "/pma/cx/")
    with commit():
        ProgressUpdateFactory.create_batch(20, priority_area=cx_area)
    assert page(anonymous, "/pma/cx/")["X-Page-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as after:
        assert page(anonymous, "/pma/cx/")["X-Page-Cache"] == "HIT"
    assert len(after) == len(before) == (0 if page_cache == "redis" else 1)


def new_update(cx_area, **fields):
    return ProgressUpdateFactory(
        priority_area=cx_area,
        date=datetime.date(2031, 5, 1),
        period_label="May 2031",
        body="Zz the newest update, seen at once.",
        **fields,
    )


def test_a_publish_shows_on_the_next_request(page_cache, anonymous, cx_area, commit):
    with commit():
        update = new_update(cx_area, status=Status.DRAFT)
    assert "Zz the newest update" not in text(page(anonymous, "/pma/cx/"))
    assert page(anonymous, "/pma/cx/")["X-Page-Cache"] == "HIT"

    with commit():
        update.status = Status.PUBLISHED
        update.save()

    response = page(anonymous, "/pma/cx/")
    assert "Zz the newest update" in text(response)
    assert response["X-Page-Cache"] == "MISS"


def test_a_publish_through_the_admin_action_shows_on_the_next_request(
    page_cache, anonymous, signed_in_publisher, cx_area, commit
):
    with commit():
        update = new_update(cx_area, status=Status.IN_REVIEW)
    assert "Zz the newest update" not in text(page(anonymous, "/pma/cx/"))

    changelist = reverse("admin:priorities_progressupdate_changelist")
    with commit():
        answer = signed_in_publisher.post(
            changelist, {"action": "publish", "_selected_action": [update.pk]}, follow=True
        )
    assert answer.status_code == 200
    update.refresh_from_db()
    assert update.status == Status.PUBLISHED

    assert "Zz the newest update" in text(page(anonymous, "/pma/cx/"))


def test_an_unpublish_hides_at_once(page_cache, anonymous, cx_area, commit):
    with commit():
        update = new_update(cx_area)
    assert "Zz the newest update" in text(page(anonymous, "/pma/cx/"))
    with commit():
        update.status = Status.DRAFT
        update.save()
    assert "Zz the newest update" not in text(page(anonymous, "/pma/cx/"))


def test_a_revert_shows_at_once(page_cache, anonymous, signed_in_publisher, cx_area, commit):
    """An OMB signed_in_publisher reverts an update to its published version in the admin's History."""
    with commit():
        update = new_update(cx_area)
        published = update.history.first()
        update.body = "Zz a later text."
        update.save()
    assert "Zz a later text." in text(page(anonymous, "/pma/cx/"))

    with commit():
        assert reverted_by(signed_in_publisher, update, published).status_code == 302

    shown = text(page(anonymous, "/pma/cx/"))
    assert "Zz the newest update" in shown and "Zz a later text." not in shown


def test_a_reporting_period_publish_shows_at_once(page_cache, anonymous, commit):
    with commit():
        period = ReportingPeriod.objects.create(
            fiscal_year=2031, quarter=1, status=ReportingPeriod.State.CLOSED
        )
        QuarterlyReportFactory(
            hisp=HispFactory(), fiscal_year=2031, quarter=1, status=Status.IN_REVIEW
        )
    assert "FY31 Q1" not in text(page(anonymous, "/"))
    assert page(anonymous, "/")["X-Page-Cache"] == "HIT"

    with commit():
        publish_period(period)

    assert "FY31 Q1" in text(page(anonymous, "/"))


def test_a_bulk_update_changes_the_version_too(page_cache, anonymous, cx_area, commit):
    """QuerySet.update sends no model signal; the write itself is seen."""
    with commit():
        update = new_update(cx_area, status=Status.DRAFT)
    page(anonymous, "/pma/cx/")
    with commit():
        ProgressUpdate.objects.filter(pk=update.pk).update(status=Status.PUBLISHED)
    assert "Zz the newest update" in text(page(anonymous, "/pma/cx/"))


def test_a_bulk_create_changes_the_version_too(page_cache, anonymous, cx_area, commit):
    """As the CSV upload and the importer write (bulk_create_with_history)."""
    from simple_history.utils import bulk_create_with_history

    page(anonymous, "/pma/cx/")
    unsaved = ProgressUpdateFactory.build(
        priority_area=cx_area, date=datetime.date(2031, 5, 1), body="Zz bulk written."
    )
    with commit():
        bulk_create_with_history([unsaved], ProgressUpdate)
    assert "Zz bulk written." in text(page(anonymous, "/pma/cx/"))


def test_a_moved_address_changes_the_version(page_cache, anonymous, commit):
    from content.models import MovedPath

    version = caching.current_version()
    with commit():
        MovedPath.record("/pma/old-address/", "/pma/cx/")
    assert caching.current_version() != version


def test_a_change_rolled_back_keeps_the_version(page_cache, anonymous, cx_area, commit):
    """A preview's savepoint, or any rolled-back change, leaves the cached pages alone."""
    from django.db import transaction

    version = caching.current_version()
    with commit():
        try:
            with transaction.atomic():
                new_update(cx_area)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert caching.current_version() == version


def test_a_scheduled_update_appears_at_its_time(page_cache, anonymous, cx_area, commit):
    soon = timezone.now() + datetime.timedelta(hours=2)
    with commit():
        new_update(cx_area, publish_at=soon)
    with time_machine.travel(soon - datetime.timedelta(minutes=1), tick=False):
        before = page(anonymous, "/pma/cx/")
        assert "Zz the newest update" not in text(before)
        # A minute before its time, no cache may keep the page beyond it.
        assert before["Cache-Control"] == "public, max-age=60, stale-while-revalidate=0"
        assert page(anonymous, "/pma/cx/")["X-Page-Cache"] == "HIT"
    with time_machine.travel(soon + datetime.timedelta(seconds=1), tick=False):
        after = page(anonymous, "/pma/cx/")
    assert "Zz the newest update" in text(after)
    assert after["X-Page-Cache"] == "MISS"


def test_a_scheduled_reporting_period_appears_at_its_time(page_cache, anonymous, commit):
    later = timezone.now() + datetime.timedelta(days=1)
    with commit():
        period = ReportingPeriod.objects.create(
            fiscal_year=2031, quarter=1, status=ReportingPeriod.State.CLOSED
        )
        QuarterlyReportFactory(
            hisp=HispFactory(), fiscal_year=2031, quarter=1, status=Status.IN_REVIEW
        )
        publish_period(period, when=later)
    assert "FY31 Q1" not in text(page(anonymous, "/"))
    with time_machine.travel(later + datetime.timedelta(seconds=1), tick=False):
        assert "FY31 Q1" in text(page(anonymous, "/"))


def test_an_editors_preview_never_enters_the_cache(
    page_cache, anonymous, signed_in_publisher, cx_area, commit
):
    with commit():
        update = new_update(cx_area, status=Status.DRAFT)
    preview = reverse("admin:priorities_progressupdate_preview", args=[update.pk])
    shown = signed_in_publisher.get(preview)
    assert "Zz the newest update" in text(shown)
    assert shown["Cache-Control"] == "private, no-store"
    # A signed-in editor's own view of the public page is neither kept nor served from the cache.
    staff_view = signed_in_publisher.get("/pma/cx/")
    assert staff_view["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in staff_view

    response = page(anonymous, "/pma/cx/")
    assert "Zz the newest update" not in text(response)
    assert response["X-Page-Cache"] == "MISS"
    assert "Preview" not in text(response)


def test_a_share_link_is_never_kept(page_cache, anonymous, signed_in_publisher, cx_area, commit):
    with commit():
        update = new_update(cx_area, status=Status.DRAFT)
        from content.models import ShareLink

        link = ShareLink.objects.create(content_object=update, created_by=signed_in_publisher.user)
    for _ in range(2):
        shared = page(anonymous, link.get_absolute_url())
        assert "Zz the newest update" in text(shared)
        assert shared["Cache-Control"] == "private, no-store"
        assert "X-Page-Cache" not in shared
    assert "Zz the newest update" not in text(page(anonymous, "/pma/cx/"))


def test_a_reader_never_gets_what_a_signed_in_user_was_sent(
    page_cache, anonymous, signed_in_publisher
):
    signed_in_publisher.get("/pma/cx/")
    signed_in_publisher.get("/pma/cx/")
    response = page(anonymous, "/pma/cx/")
    assert response["X-Page-Cache"] == "MISS"
    assert "Sign out" not in text(response) and "Log out" not in text(response)


def test_htmx_requests_are_kept_apart(page_cache, anonymous):
    full = page(anonymous, "/cx/hisps/?q=veterans")
    partial = page(anonymous, "/cx/hisps/?q=veterans", HX_Request="true")
    assert partial["X-Page-Cache"] == "MISS"
    assert "<html" in text(full) and "<html" not in text(partial)
    assert page(anonymous, "/cx/hisps/?q=veterans", HX_Request="true").content == partial.content
    restore = page(
        anonymous, "/cx/hisps/?q=veterans", HX_Request="true", HX_History_Restore_Request="true"
    )
    assert "<html" in text(restore)


def test_what_is_never_kept(page_cache, anonymous):
    for _ in range(2):
        assert anonymous.get("/no/such/page/")["Cache-Control"] == "no-cache"
        health = anonymous.get("/healthz")
        assert "X-Page-Cache" not in health and "no-store" in health["Cache-Control"]
        login = anonymous.get(reverse("admin:login"))
        assert login["Cache-Control"] == "private, no-store"
        posted = anonymous.post("/search/", {"q": "trust"})
        assert "X-Page-Cache" not in posted


def test_the_page_cache_turned_off_keeps_nothing(
    on_redis, settings, anonymous, django_assert_num_queries
):
    settings.CXPORTAL_PAGE_CACHE = False
    page(anonymous, "/pma/cx/")
    response = page(anonymous, "/pma/cx/")
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "no-cache"


def test_a_hit_is_served_while_the_database_is_down(on_redis, anonymous):
    page(anonymous, "/pma/cx/")

    def down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    with connection.execute_wrapper(down):
        response = page(anonymous, "/pma/cx/")
    assert response["X-Page-Cache"] == "HIT"


def test_a_miss_while_the_database_is_down_gets_the_last_copy(on_redis, anonymous, cx_area, commit):
    first = page(anonymous, "/pma/cx/")
    with commit():
        new_update(cx_area, status=Status.DRAFT)  # a new version: the next request is a miss

    def down(execute, sql, params, many, context):
        raise OperationalError("the database is down")

    anonymous.raise_request_exception = False  # as a server does: the error becomes a response
    with connection.execute_wrapper(down):
        response = anonymous.get("/pma/cx/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "STALE"
    assert response.content == first.content
    assert response["Cache-Control"] == "no-store"


def test_without_redis_pages_are_rendered(settings, anonymous, db):
    """A shared cache that does not answer is no outage: the page is rendered, and not kept."""
    from tests.servers import free_port
    from tests.site.caching import redis_cache

    settings.CXPORTAL_PAGE_CACHE = True
    settings.CACHES = redis_cache(f"redis://127.0.0.1:{free_port()}/0")
    response = page(anonymous, "/pma/cx/")
    assert "Summary of Progress" in text(response)
    assert response["Cache-Control"] == "no-cache"
    cache.close()
