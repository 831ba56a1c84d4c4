"""Render cost (ADR 0028): what is kept between requests is never older than the content, and
Markdown and status icons, drawn once per text, read the same as before.

Public pages run outside a transaction, so `content.stamps.kept` keeps results there; tests run
inside one, where it computes every time. The tests of the kept path below make it act as on a
public page (`outside_a_transaction`), and commit from a second connection what an editor's
request would.
"""

import datetime

import psycopg
import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from content import markdown, stamps
from cxportal.discovery import search
from hisps.models import Hisp, QuarterlyReport
from hisps.templatetags.hisp_status import reporting_status
from tests.discovery.searching import search as search_page
from tests.factories import HispFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outside_a_transaction(monkeypatch):
    monkeypatch.setattr(stamps, "_in_transaction", lambda: False)
    stamps._kept.clear()
    yield
    stamps._kept.clear()


def commit_elsewhere():
    """A transaction of another connection that writes and commits, as an editor's save does."""
    settings = connection.get_connection_params()
    with psycopg.connect(**settings, autocommit=True) as other:
        other.execute("SELECT txid_current()")


def twice(read, same=lambda a, b: a == b):
    """Two reads with nothing committed between them, as far as this test can make sure. The
    stamp reads Postgres's snapshot, which is the whole server's: another test worker's commit
    (another database, same server) between the two reads rightly changes it, so read again."""
    first, second = read(), read()
    for _ in range(5):
        if same(first, second):
            break
        first, second = second, read()
    return first, second


def test_a_kept_result_is_reused_until_something_is_committed(outside_a_transaction):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    first, again = twice(lambda: stamps.kept("test", [Hisp], compute))
    assert again == first  # nothing changed: kept, not computed again
    commit_elsewhere()
    assert stamps.kept("test", [Hisp], compute) > again  # a commit: computed again


def test_a_scheduled_row_coming_due_changes_the_stamp(outside_a_transaction):
    soon = timezone.now() + datetime.timedelta(hours=1)
    HispFactory(name="Zyxquoll Office", publish_at=soon)
    before, again = twice(lambda: stamps.stamp([Hisp]))
    assert again == before
    with time_machine.travel(soon + datetime.timedelta(seconds=1)):
        assert stamps.stamp([Hisp]) != before


def test_inside_a_transaction_nothing_is_kept(django_assert_num_queries):
    """A preview saves a draft in a savepoint and renders: what it computes must not be kept."""
    stamps._kept.clear()
    with django_assert_num_queries(0):
        assert stamps.kept("test", [Hisp], lambda: "fresh") == "fresh"
    assert stamps._kept == {}


def test_the_kept_words_follow_publishing(client, outside_a_transaction):
    """ "Did you mean" reads the public words once, then again after a change: a word published
    is offered, and one unpublished is not (the check that the suggestion finds something is
    made on the live content too)."""
    words, again = twice(lambda: search.vocabulary()[0], same=lambda a, b: a is b)
    assert "zyxwallaby" not in words.split()
    assert again is words  # kept
    hisp = HispFactory(name="Zyxwallaby Benefits Office")
    commit_elsewhere()  # the test's own transaction is not committed; this stands for its commit
    assert "zyxwallaby" in search.vocabulary()[0].split()
    page = search_page(client, q="zyxwalaby")
    assert "Did you mean" in page and "zyxwallaby" in page

    hisp.status = "draft"
    hisp.save()
    commit_elsewhere()
    assert "zyxwallaby" not in search.vocabulary()[0].split()
    assert "Zyxwallaby" not in search_page(client, q="zyxwalaby")


def test_a_public_page_checks_the_stamp_instead_of_summing_again(
    client, outside_a_transaction, django_assert_num_queries
):
    """Home: its figures sum every provider's data; kept, they cost one query (the stamp) on the
    next request, whatever the amount of data."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get("/").status_code == 200
    # The stamp, the latest update and the highlights. The stamp reads Postgres's snapshot, which
    # is the whole server's: a write committed meanwhile by another test worker (another
    # database, same server) rightly makes that request compute again (10 queries). So: the
    # kept figures are reused (3 queries) on one of a few requests in a row, and a request
    # never costs more than a fresh render.
    counts = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            first = client.get("/").content
        counts.append(len(queries))
        if counts[-1] == 3:
            break
    assert counts[-1] == 3 and set(counts) <= {3, 10}, counts
    commit_elsewhere()
    # The stamp, the eight queries of a fresh render, and the trust rows' own stamp (the
    # trust_by_quarter download keeps them too).
    with django_assert_num_queries(10):
        assert client.get("/").content.count(b"headline-figure__number") == first.count(
            b"headline-figure__number"
        )


def test_markdown_is_rendered_once_per_text():
    markdown.render.cache_clear()
    text = "A **bold** [link](https://example.gov) and <script>x</script>"
    html = markdown.render(text)
    assert "<strong>bold</strong>" in html and "<script>" not in html
    assert markdown.render(text) is html
    assert markdown.render.cache_info().hits == 1


def test_the_status_icon_reads_as_before():
    report = QuarterlyReport(rating="in_line")
    assert str(reporting_status(report)) == (
        '<span class="hisp-status hisp-status--in_line"><svg class="usa-icon hisp-status__icon"'
        ' aria-hidden="true" focusable="false"><use href="/static/vendor/uswds/img/'
        'sprite.used.svg#check_circle"></use></svg><span class="hisp-status__label">In line'
        "</span></span>"
    )
    assert "No report" in str(reporting_status(None))
    assert "#remove_circle" in str(reporting_status(None))
