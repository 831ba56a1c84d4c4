"""A provider's and a service's description are Markdown, rendered and sanitized like every other
long text the public reads. Measured before: an edited IRS description showed `**more calls**` and
`[IRS.gov](https://www.irs.gov)` as typed, and lost its paragraph break."""

import pytest
from django.utils.html import escape

from tests.editorial.test_rich_text import XSS
from tests.factories import HispFactory, ServiceFactory

pytestmark = pytest.mark.django_db

TEXT = "We answered **more calls** this year.\n\nSee [IRS.gov](https://www.irs.gov) for more."


def test_a_description_in_markdown_reads_as_written(client):
    hisp = HispFactory(name="Zz Revenue Service", description=TEXT, headline="")
    ServiceFactory(hisp=hisp, name="Zz filing", description="Filing is **free**.")
    page = client.get(hisp.get_absolute_url()).content.decode()
    assert "<p>We answered <strong>more calls</strong> this year.</p>" in page
    assert '<a href="https://www.irs.gov" rel="noopener noreferrer">IRS.gov</a>' in page
    assert "**" not in page and "](https" not in page
    assert "Filing is <strong>free</strong>." in page
    # An excerpt elsewhere is plain text, without the Markdown's marks.
    listing = client.get("/cx/hisps/", {"q": "Zz Revenue"}).content.decode()
    assert "We answered more calls this year." in listing and "**" not in listing


@pytest.mark.parametrize("payload", XSS)
def test_no_markup_from_a_description_runs_on_the_page(client, payload):
    hisp = HispFactory(description=f"Before. {payload} After.", headline="")
    for url in (
        hisp.get_absolute_url(),
        f"/cx/hisps/?q={hisp.name}",
        hisp.agency.get_absolute_url(),
    ):
        page = client.get(url).content.decode().lower()
        assert "<script>alert" not in page and "onerror=" not in page, url
        assert (
            "javascript:alert" not in page and "onclick=" not in page and "<iframe" not in page
        ), url


def test_the_imported_passport_services_description_renders_its_link(client):
    """Measured (issue 8): the Passport Services page showed `[travel.state.gov](https://…)` as typed."""
    from hisps.models import Hisp

    for hisp in Hisp.objects.public().filter(description__contains="](https://travel.state.gov"):
        page = client.get(hisp.get_absolute_url()).content.decode()
        assert "[travel.state.gov](" not in page
        assert 'href="https://travel.state.gov' in page
        listing = client.get("/search/", {"q": "passport"}).content.decode()
        assert "[travel.state.gov](" not in listing
    assert Hisp.objects.public().filter(description__contains="](https://travel.state.gov").exists()


def test_a_reflection_whose_list_was_run_together_reads_as_a_list(client):
    """Measured (issue 8): a USPTO reflection showed "* item * item" inside one bullet."""
    from hisps.models import QuarterlyReport

    report = QuarterlyReport.objects.public().get(external_id="FY2021Q3-sp3")
    assert report.reflection.count("\n* ") >= 3
    page = client.get(report.hisp.get_absolute_url()).content.decode()
    section = page[page.index(f'id="{report.anchor}"') :]
    items = section[section.index("<ul>") : section.index("</ul>")]
    assert items.count("<li>") >= 4
    assert "<li>Trademark Assistance Center survey - scores remained very positive" in items
    assert " * Trademark" not in items


def test_a_services_surveyed_points_are_a_list_not_run_together(client):
    """Measured (issue 8): the IRS page joined the "Surveyed" points as "phone.; After"."""
    from hisps.models import Service

    service = next(
        s
        for s in Service.objects.public().exclude(transaction_points=[])
        if len(s.transaction_points) > 1 and s.transaction_points[0].endswith("phone.")
    )
    page = client.get(service.hisp.get_absolute_url()).content.decode()
    for point in service.transaction_points:
        assert f"<li>{escape(point)}</li>" in page
    assert ".; " not in page
