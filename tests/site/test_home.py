"""The CX home page: what this is, headline figures, the latest update, and ways in."""

import datetime
import re

import pytest
from django.db.models import Sum
from django.utils import timezone

from content.publishing import Status
from hisps.models import Hisp, Service, ServiceSurvey
from priorities.models import PriorityArea, Strategy
from tests.factories import (
    HispFactory,
    ProgressUpdateFactory,
    QuarterlyReportFactory,
    ReportingPeriodFactory,
    ServiceFactory,
    ServiceSurveyFactory,
)

pytestmark = pytest.mark.django_db

LATER = timezone.now() + datetime.timedelta(days=7)


def figures(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    numbers = re.findall(r'<p class="headline-figure__number">(.*?)</p>', page)
    return page, numbers


def test_home_shows_real_figures_and_the_latest_update(client):
    page, numbers = figures(client)
    hisps = Hisp.objects.public().filter(active=True).count()
    services = Service.objects.public().filter(hisp__active=True, designated=True).count()
    responses = ServiceSurvey.objects.public().aggregate(n=Sum("volume_of_respondents"))["n"]
    assert numbers == [f"{hisps:,}", f"{services:,}", f"{responses:,}", "FY23 Q1"]
    assert hisps == 28
    assert "Latest progress update" in page and "December 2023" in page
    assert 'href="/pma/cx/"' in page


def test_a_strategys_own_update_is_not_the_latest_summary_of_progress(client):
    """The home page once picked its latest update with a rule of its own, which lacked the
    strategy__isnull=True of the others: a strategy's dated entry became the site's latest news."""
    strategy = Strategy.objects.get(priority_area__slug="cx", number=2)
    ProgressUpdateFactory(
        priority_area=strategy.priority_area,
        strategy=strategy,
        date=datetime.date(2029, 1, 1),
        period_label="January 2029",
        body="A strategy's own entry.",
    )
    page, _ = figures(client)
    assert "December 2023" in page
    assert "January 2029" not in page


def test_drafts_and_scheduled_items_do_not_count(client):
    _, before = figures(client)
    cx = PriorityArea.objects.get(slug="cx")
    # The quarter is still open for reporting: not the latest quarter reported.
    ReportingPeriodFactory(fiscal_year=2030, quarter=1, status="open", publish_at=None)
    for year, status, publish_at in [(2031, Status.DRAFT, None), (2032, Status.PUBLISHED, LATER)]:
        extra = {"publish_at": publish_at} if publish_at else {}
        hisp = HispFactory(status=status, **extra)
        ServiceFactory(hisp=hisp, status=status, **extra)
        report = QuarterlyReportFactory(
            hisp=hisp, fiscal_year=2030, quarter=1, status=status, **extra
        )
        ServiceSurveyFactory(report=report, volume_of_respondents=10**9, status=status, **extra)
        ProgressUpdateFactory(
            priority_area=cx,
            date=datetime.date(year, 1, 1),
            period_label=f"January {year}",
            status=status,
            **extra,
        )
    page, after = figures(client)
    assert after == before
    assert "January 2031" not in page and "January 2032" not in page and "FY30 Q1" not in page


def test_a_published_provider_counts(client):
    _, before = figures(client)
    hisp = HispFactory()
    ServiceFactory(hisp=hisp)
    _, after = figures(client)
    assert int(after[0]) == int(before[0]) + 1
    assert int(after[1]) == int(before[1]) + 1


@pytest.mark.parametrize("synthetic", [0, 10], ids=["real-data", "10x-data"])
def test_home_query_count_is_fixed(client, django_assert_num_queries, synthetic):
    for _ in range(synthetic):
        for hisp in HispFactory.create_batch(5):
            ServiceFactory.create_batch(2, hisp=hisp)
            ServiceSurveyFactory.create_batch(3, report=QuarterlyReportFactory(hisp=hisp))
        ProgressUpdateFactory.create_batch(
            2, priority_area=PriorityArea.objects.get(slug="cx-2018")
        )
    # latest update, providers, services, responses, latest quarter, trust by quarter, the
    # latest quarter’s reporting status, and the newest highlights
    with django_assert_num_queries(8):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/about/", "About this site"),
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy policy"),
    ],
)
def test_static_pages_have_real_text(client, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert len(re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1]).split()) > 80


def test_unknown_page_is_the_404_page_in_the_site_design(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page and "usa-banner" in page and "usa-footer" in page


def test_footer_has_the_required_links(client):
    page = client.get("/").content.decode()
    footer = page[page.index("<footer") :]
    for text in [
        "About",
        "Accessibility statement",
        "FOIA",
        "No FEAR Act",
        "Inspector General",
        "Privacy policy",
        "Vulnerability disclosure policy",
        "USA.gov",
    ]:
        assert text in footer, text


PUBLIC_PAGES = [
    "/",
    "/cx/",
    "/cx/agencies/",
    "/cx/executive-order/",
    "/pma/",
    "/pma/cx/",
    "/pma/cx/updates/",
    "/pma/cx/updates/2023-08/",
    "/pma/cx/strategy/2/",
    "/cx/hisps/",
    "/cx/hisps/veterans-health-administration/",
    "/cx/agencies/va/",
    "/cx/reporting/",
    "/cx/life-experiences/",
    "/cx/life-experiences/approaching-retirement/",
    "/cx/data/",
    "/search/?q=trust",
    "/about/",
    "/pma/cx-2018/",
    "/pma/cx-2018/updates/",
    "/news/",
    "/news/what-we-learned-from-customers-2020/",
    "/cx/resources/",
    "/no/such/page/",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_sends_a_strict_csp_and_no_inline_code(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "nonce" not in csp
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script"
    assert not re.search(r"<[^>]+\sstyle=", page), "inline style"
    assert not re.search(r"<[^>]+\son[a-z]+=", page), "inline event handler"


def test_server_error_page_is_in_the_site_design(rf):
    from cxportal.views import server_error

    response = server_error(rf.get("/broken/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page and "usa-banner" in page and "usa-footer" in page


def test_canonical_and_opengraph(client):
    page = client.get("/pma/cx/").content.decode()
    assert '<link rel="canonical" href="http://testserver/pma/cx/">' in page
    assert (
        '<meta property="og:title" content="Delivering Excellent, Equitable, and Secure Federal'
        in page
    )
    assert '<meta property="og:description" content="Customer Experience: a priority area' in page
