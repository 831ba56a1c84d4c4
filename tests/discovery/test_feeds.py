"""Atom and RSS feeds of progress updates and highlights: valid, dated, public only, site-wide and per area."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from priorities.models import PriorityArea, ProgressUpdate
from tests.factories import (
    HighlightFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_FEEDS = ["discovery:updates_atom", "discovery:updates_rss"]
AREA_FEEDS = ["discovery:area_updates_atom", "discovery:area_updates_rss"]


def fetch(client, url):
    """The feed's entries as (title, link, date) triples, parsed as XML."""
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on anything that is not well-formed XML
    if root.tag == f"{ATOM}feed":
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        return [
            (
                entry.findtext(f"{ATOM}title"),
                entry.find(f"{ATOM}link").get("href"),
                entry.findtext(f"{ATOM}published"),
            )
            for entry in root.iter(f"{ATOM}entry")
        ]
    assert root.tag == "rss" and response["Content-Type"] == "application/rss+xml; charset=utf-8"
    return [
        (item.findtext("title"), item.findtext("link"), item.findtext("pubDate"))
        for item in root.iter("item")
    ]


def links(entries):
    return [link for _, link, _ in entries]


def test_atom_feed_lists_real_updates_with_permalinks_and_dates(client):
    entries = fetch(client, reverse("discovery:updates_atom"))
    august = [e for e in entries if e[1] == "http://testserver/pma/cx/updates/2023-08/"]
    assert august == [
        (
            "Customer Experience: Summary of Progress, August 2023",
            "http://testserver/pma/cx/updates/2023-08/",
            "2023-08-01T00:00:00-04:00",
        )
    ]
    # Newest first; real highlights link to their pages here (/news/<slug>/), with their own dates.
    dated = [date for _, _, date in entries if date]
    assert dated == sorted(dated, reverse=True)
    assert (
        "What have we learned from Federal customers in FY20?",
        "http://testserver/news/what-we-learned-from-customers-2020/",
        "2021-01-15T00:00:00-05:00",
    ) in entries
    # Strategy status notes and the 2018 action-plan PDFs are not Summary of Progress entries.
    assert not any("As of" in title or "FY18" in title for title, _, _ in entries)
    assert not any("action_plans" in link for link in links(entries))


def test_atom_feed_has_the_required_metadata(client):
    response = client.get(reverse("discovery:updates_atom"))
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "Performance.gov: progress updates and highlights"
    assert root.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Performance.gov"
    assert (
        root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feeds/updates.atom"
    )
    ids = [entry.findtext(f"{ATOM}id") for entry in root.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) and all(i.startswith("http") for i in ids)
    assert all(entry.find(f"{ATOM}updated") is not None for entry in root.iter(f"{ATOM}entry"))
    assert "Last-Modified" in response


def test_rss_feed_lists_the_same_items(client):
    atom = fetch(client, reverse("discovery:updates_atom"))
    rss = fetch(client, reverse("discovery:updates_rss"))
    assert links(rss) == links(atom)
    assert ("Customer Experience: Summary of Progress, May 2023") in [t for t, _, _ in rss]
    may = next(date for title, _, date in rss if title.endswith("May 2023"))
    assert may == "Mon, 01 May 2023 00:00:00 -0400"


def test_area_feed_has_only_that_areas_updates_and_highlights(client):
    cx = fetch(client, reverse("discovery:area_updates_atom", args=["cx"]))
    assert "http://testserver/pma/cx/updates/2023-08/" in links(cx)
    assert not any("/pma/workforce/" in link for link in links(cx))
    workforce = fetch(client, reverse("discovery:area_updates_rss", args=["workforce"]))
    assert links(workforce) == [
        "http://testserver/pma/workforce/updates/2022-11/",
        "http://testserver/pma/workforce/updates/2022-07/",
    ]
    # The 2018 area's highlights are in its own feed, not in the 2021 area's.
    old = links(fetch(client, reverse("discovery:area_updates_atom", args=["cx-2018"])))
    assert "http://testserver/news/improving-cx-governmentwide/" in old
    assert "http://testserver/news/improving-cx-governmentwide/" not in links(cx)


@pytest.mark.parametrize("name", AREA_FEEDS)
def test_unknown_or_draft_area_feed_is_not_found(client, name):
    assert client.get(reverse(name, args=["no-such-area"])).status_code == 404
    draft = PriorityAreaFactory(status=Status.DRAFT)
    ProgressUpdateFactory(priority_area=draft)
    assert client.get(reverse(name, args=[draft.slug])).status_code == 404


def _hidden_content():
    """Drafts, scheduled items and children of a draft area, each with a title to look for."""
    cx = PriorityArea.objects.get(slug="cx")
    later = timezone.now() + datetime.timedelta(days=2)
    for n, publishing in enumerate(
        [
            {"status": Status.DRAFT},
            {"status": Status.IN_REVIEW},
            {"status": Status.ARCHIVED},
            {"status": Status.PUBLISHED, "publish_at": later},
        ]
    ):
        ProgressUpdateFactory(
            priority_area=cx, date=datetime.date(2031, n + 1, 1), period_label=f"Hidden {n}",
            **publishing,
        )  # fmt: skip
        HighlightFactory(title=f"Hidden highlight {n}", priority_areas=[cx], **publishing)
    draft_area = PriorityAreaFactory(status=Status.DRAFT, short_title="Hidden area")
    ProgressUpdateFactory(priority_area=draft_area, period_label="Hidden of a draft area")
    HighlightFactory(title="Hidden highlight of a draft area", priority_areas=[draft_area])
    ProgressUpdate.objects.create(
        priority_area=cx, strategy=StrategyFactory(priority_area=cx, number=99),
        kind=ProgressUpdate.Kind.STRATEGY_STATUS, period_label="Hidden strategy status",
        date=datetime.date(2031, 9, 1), status=Status.PUBLISHED,
    )  # fmt: skip
    return later


@pytest.mark.parametrize("name", SITE_FEEDS)
def test_drafts_and_scheduled_items_are_absent(client, name):
    _hidden_content()
    titles = [title for title, _, _ in fetch(client, reverse(name))]
    assert titles and not [title for title in titles if "Hidden" in title]
    area_titles = [
        t for t, _, _ in fetch(client, reverse(name.replace(":", ":area_"), args=["cx"]))
    ]
    assert not [title for title in area_titles if "Hidden" in title]


def test_scheduled_update_appears_when_its_time_comes(client):
    later = _hidden_content()
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        titles = [title for title, _, _ in fetch(client, reverse("discovery:updates_atom"))]
    assert "Customer Experience: Summary of Progress, Hidden 3" in titles
    assert "Hidden highlight 3" in titles
    assert not [t for t in titles if "Hidden" in t and "3" not in t]


def test_pages_advertise_the_feeds(client):
    page = client.get(reverse("home")).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Progress updates and highlights (Atom)" href="/feeds/updates.atom">'
    ) in page
    assert '<link rel="alternate" type="application/rss+xml"' in page


def _ten_times_the_items():
    cx = PriorityArea.objects.get(slug="cx")
    for n in range(60):
        ProgressUpdateFactory(priority_area=cx, date=datetime.date(2040 + n // 12, n % 12 + 1, 1))
    HighlightFactory.create_batch(60, priority_areas=[cx])


@pytest.mark.parametrize(
    ("scale", "size"), [("real", {"site": 19, "cx": 15}), ("10x", {"site": 50, "cx": 50})]
)
@pytest.mark.parametrize(
    ("feed", "name", "args", "queries"),
    [("site", SITE_FEEDS[0], [], 2), ("cx", AREA_FEEDS[1], ["cx"], 3)],
)
def test_query_count_is_fixed(
    client, django_assert_num_queries, scale, size, feed, name, args, queries
):
    if scale == "10x":
        _ten_times_the_items()
    with django_assert_num_queries(queries):
        entries = fetch(client, reverse(name, args=args))
    assert len(entries) == size[feed]  # at most the 50 newest items
