"""/pma/cx/ reproduces performance.gov's page, and shows only what is published."""

import datetime
import html
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from priorities.models import PriorityArea, ProgressUpdate
from tests.factories import (
    HighlightFactory,
    LeaderFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference" / "pma-cx-page-2023-08.txt"
# The reference page as it stood at the end of August 2023.
AUGUST_2023 = datetime.datetime(2023, 8, 31, 12, tzinfo=ZoneInfo("America/New_York"))


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def reference():
    """The reference text, split into its sections."""
    lines = [line.strip() for line in REFERENCE.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]

    def between(start, end):
        return lines[lines.index(start) + 1 : lines.index(end)]

    updates, current = [], None
    for line in between("Summary of Progress", "Challenge"):
        if line.startswith("•"):
            current = (line.lstrip("• ").strip(), [])
            updates.append(current)
        else:
            current[1].append(line)
    return {
        "title": lines[2],
        "updates": updates,
        "challenge": between("Challenge", "Opportunity"),
        "opportunity": between("Opportunity", "Strategies"),
        "highlights": between("Highlights", lines[-1]) + [lines[-1]],
    }


def section(page: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}".*?</section>', page, re.S)
    assert match, f"no section #{ident}"
    return match.group(0)


def get_page(client, slug="cx"):
    response = client.get(reverse("priorities:detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_page_as_of_august_2023_reproduces_the_reference(client):
    ref = reference()
    with time_machine.travel(AUGUST_2023, tick=False):
        page = get_page(client)

    assert words(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)) == ref["title"]
    headings = [words(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", page, re.S)]
    sections = ["Overview", "Priority Area Leaders", "Summary of Progress", "Challenge", "Opportunity",
                "Strategies", "Highlights"]  # fmt: skip
    assert [h for h in headings if h in sections] == sections

    # Leaders in the reference's order; the VA seat by agency alone, with no blank name or "None".
    leaders = [
        words(card)
        for card in re.findall(
            r'<li class="usa-card[^"]*">(.*?)</li>', section(page, "leaders"), re.S
        )
    ]
    assert leaders[0].startswith(
        "Robin Carnahan Title Administrator Agency General Services Administration"
    )
    assert leaders[1].startswith(
        "Xochitl Torres Small Title Deputy Secretary Agency U.S. Department of Agriculture"
    )
    assert leaders[2].startswith("VA Agency U.S. Department of Veterans Affairs")
    assert len(leaders) == 3 and "None" not in section(page, "leaders")

    # Summary of Progress: the exact labels, newest first, each with the reference text and an anchor.
    progress = section(page, "summary-of-progress")
    labels = [words(h) for h in re.findall(r'<h3 class="update__label">(.*?)</h3>', progress, re.S)]
    assert labels == ["August 2023", "May 2023", "March 2023", "November 2022", "July 2022"]
    assert labels == [label for label, _ in ref["updates"]]
    for label, paragraphs in ref["updates"]:
        anchor = datetime.datetime.strptime(label, "%B %Y").strftime("update-%Y-%m")
        entry = re.search(rf'<li id="{anchor}" class="update">(.*?)</li>', progress, re.S)
        assert entry, f"no anchor #{anchor}"
        assert words(entry.group(1)) == " ".join([label, *paragraphs])

    assert words(section(page, "challenge")) == " ".join(["Challenge", *ref["challenge"]])
    assert words(section(page, "opportunity")) == " ".join(["Opportunity", *ref["opportunity"]])
    assert "A curated view of progress happening across this priority area" in words(
        section(page, "highlights")
    )
    strategies = words(section(page, "strategies"))
    assert (
        "Strategy 1:" in strategies and "Strategy 2:" in strategies and "Strategy 3:" in strategies
    )


def test_page_today_shows_the_newest_update_and_current_leaders(client):
    page = get_page(client)
    labels = [words(h) for h in re.findall(r'<h3 class="update__label">(.*?)</h3>', page, re.S)]
    assert labels[:6] == [
        "December 2023",
        "August 2023",
        "May 2023",
        "March 2023",
        "November 2022",
        "July 2022",
    ]
    # The undated copy of July 2022 from an older version of the page is kept but not shown.
    assert len(labels) == 6
    leaders = words(section(page, "leaders"))
    assert "Tanya J. Bradsher" in leaders and "Donald Remy" not in leaders


def test_strategy_links_lead_to_strategy_pages(client):
    page = get_page(client)
    link = re.search(r'href="(/pma/cx/strategy/2/)"', page).group(1)
    response = client.get(link)
    assert response.status_code == 200
    body = words(response.content.decode())
    assert "Designated five Life Experiences to prioritize for Government-wide action" in body
    assert "FY22 Q2" in body and "Complete" in body


def test_update_permalink(client):
    response = client.get("/pma/cx/updates/2023-08/")
    assert response.status_code == 200
    assert "all 35 HISPs completed their CX Capacity Assessment" in words(response.content.decode())
    assert client.get("/pma/cx/updates/2023-13/").status_code == 404
    assert client.get("/pma/cx/updates/1999-01/").status_code == 404


def test_draft_and_scheduled_updates_stay_hidden_until_their_time(client):
    area = PriorityArea.objects.get(slug="cx")
    ProgressUpdate.objects.create(
        priority_area=area, period_label="January 2026", date=datetime.date(2026, 1, 1),
        body="A draft nobody should see.", status=Status.DRAFT,
    )  # fmt: skip
    in_review = timezone.now() + datetime.timedelta(days=3)
    ProgressUpdate.objects.create(
        priority_area=area, period_label="Scheduled update", date=datetime.date(2030, 1, 1),
        body="Scheduled for later.", status=Status.PUBLISHED, publish_at=in_review,
    )  # fmt: skip

    page = get_page(client)
    assert "A draft nobody should see." not in page
    assert "Scheduled for later." not in page
    assert client.get("/pma/cx/updates/2030-01/").status_code == 404

    with time_machine.travel(in_review + datetime.timedelta(minutes=1)):
        page = get_page(client)
        assert "Scheduled for later." in page
        assert "A draft nobody should see." not in page
        assert client.get("/pma/cx/updates/2030-01/").status_code == 200


def test_draft_priority_area_is_not_found(client):
    area = PriorityAreaFactory(status=Status.DRAFT)
    assert client.get(area.get_absolute_url()).status_code == 404


def _area_with(updates: int):
    area = PriorityAreaFactory()
    for _ in range(3):
        LeaderFactory(priority_area=area)
        StrategyFactory(priority_area=area)
    HighlightFactory.create_batch(3, priority_areas=[area])
    ProgressUpdateFactory.create_batch(updates, priority_area=area)
    return area


@pytest.mark.parametrize("updates", [3, 30])
def test_query_count_does_not_grow_with_updates(client, django_assert_num_queries, updates):
    area = _area_with(updates)
    with django_assert_num_queries(7):  # see tests/priorities/test_query_counts.py
        page = get_page(client, area.slug)
    assert page.count('class="update"') == updates


def test_real_page_query_count(client, django_assert_num_queries):
    with django_assert_num_queries(7):
        get_page(client)
