"""An agenda whose term has ended is not called current: in December 2026 the 2021–2025 agenda is
labelled a past agenda, and its pages say so; and an area's page leaves out a section with nothing
in it (issue 8)."""

import datetime

import pytest
import time_machine

from priorities.models import PriorityArea

pytestmark = pytest.mark.django_db

TERM_ENDED = "whose term ended on January 20, 2025"


def test_the_agenda_years_come_from_its_name():
    cx = PriorityArea.objects.get(slug="cx")
    assert (cx.agenda_start_year, cx.agenda_end_year) == (2021, 2025)
    assert not cx.agenda_ended(datetime.date(2025, 1, 19))
    assert cx.agenda_ended(datetime.date(2025, 1, 20))


@time_machine.travel(datetime.datetime(2026, 12, 1, 17, 0, tzinfo=datetime.UTC))
def test_an_ended_agenda_is_a_past_agenda_on_its_list_and_pages(client):
    listing = client.get("/pma/").content.decode()
    assert "Current agenda" not in listing
    assert "Past agenda" in listing
    for path in ["/pma/cx/", "/pma/cx/strategy/2/", "/pma/cx/updates/", "/pma/cx/updates/2023-08/"]:
        assert TERM_ENDED in client.get(path).content.decode(), path


@time_machine.travel(datetime.datetime(2023, 8, 15, 17, 0, tzinfo=datetime.UTC))
def test_during_its_term_the_agenda_is_current_and_carries_no_notice(client):
    listing = client.get("/pma/").content.decode()
    assert "Current agenda" in listing
    assert TERM_ENDED not in client.get("/pma/cx/").content.decode()


@pytest.mark.parametrize(
    ("slug", "empty"),
    [("workforce", ["Opportunity"]), ("business-of-government", ["Challenge", "Opportunity"])],
)
def test_a_section_with_nothing_in_it_is_left_out(client, slug, empty):
    area = PriorityArea.objects.get(slug=slug)
    for heading in empty:
        assert not getattr(area, heading.lower()).strip()
    page = client.get(area.get_absolute_url()).content.decode()
    for heading in empty:
        assert f">{heading}</h2>" not in page and f'href="#{heading.lower()}"' not in page
    cx = client.get("/pma/cx/").content.decode()
    assert ">Challenge</h2>" in cx and ">Opportunity</h2>" in cx


def test_each_leader_shows_the_date_its_listing_is_current_as_of(client):
    """Measured (issue 8): leaders carried no "as of"."""
    cx = PriorityArea.objects.get(slug="cx")
    page = client.get("/pma/cx/").content.decode()
    leaders = [leader for leader in cx.current_leaders(datetime.date.today()) if leader.as_of]
    assert leaders
    for leader in leaders:
        shown = f'<time datetime="{leader.as_of}">{leader.as_of_label}</time>'
        assert f"<dt>Listed as of</dt><dd>{shown}" in page, leader
    assert '<time datetime="2023-12">December 2023</time>' in page
