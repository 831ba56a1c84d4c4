"""Published records that once appeared on no page: the 2018–2021 CAP goal's action plans, the
priority area's success metrics and the A-11 Section 280 toolkit (/cx/resources/)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from hisps.models import Document
from priorities.models import PriorityArea, ProgressUpdate
from tests.factories import DocumentFactory, SuccessMetricFactory
from tests.priorities.conftest import words

pytestmark = pytest.mark.django_db

LATER = timezone.now() + datetime.timedelta(days=7)
HIDDEN = [{"status": Status.DRAFT}, {"status": Status.PUBLISHED, "publish_at": LATER}]
PLAN = re.compile(
    r'<li id="[^"]+" class="action-plan">\s*<a class="usa-link" href="([^"]+)">(.*?)</a>', re.S
)

CAP_PLANS = [
    ("jan_2021_CX.pdf", "January 2021"),
    ("september_2020_Improving_Customer_Experience.pdf", "September 2020"),
    ("july_2020_Improving_Customer_Experience.pdf", "July 2020"),
    ("dec_2019_Improving_Customer_Experience.pdf", "December 2019"),
    ("sept_2019_Improving_Customer_Experience.pdf", "September 2019"),
    ("june_2019_Improving_Customer_Experience.pdf", "June 2019"),
    ("FY2018_Q4_Improving_Customer_Experience.pdf", "FY18 Q4, July–September 2018"),
    ("FY2018_Q3_Improving_Customer_Experience.pdf", "FY18 Q3, April–June 2018"),
    ("FY2018_Q2_Improving_Customer_Experience.pdf", "FY18 Q2, January–March 2018"),
    ("FY2018_Q1_Improving_Customer_Experience.pdf", "FY18 Q1, October–December 2017"),
]  # fmt: skip


def plans(html: str) -> list[tuple[str, str]]:
    return [
        (url.rsplit("/", 1)[1], words(label).removeprefix("Action plan and progress update, "))
        for url, label in PLAN.findall(html)
    ]


@pytest.mark.parametrize("url", ["/pma/cx-2018/", "/pma/cx-2018/updates/"])
def test_the_cap_goals_ten_action_plans_are_listed_newest_first(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert plans(page) == CAP_PLANS
    assert "No progress updates have been published yet" not in page
    # Each links to its PDF on performance.gov; a month is a valid datetime.
    assert all(
        link.startswith("https://assets.performance.gov/archives/action_plans/")
        for link, _ in PLAN.findall(page)
    )
    assert '<time datetime="2019-06">June 2019</time>' in page
    assert "CAP Goal Action Plans and Progress Updates" in words(page)


def test_the_action_plans_carry_the_dates_of_their_sources(client):
    area = PriorityArea.objects.get(slug="cx-2018")
    june = ProgressUpdate.objects.get(external_id="cap2018-cx-action-2019-june")
    assert june.date == datetime.date(2019, 6, 1) and june.period_label == "June 2019"
    assert timezone.localtime(june.publish_at).date() == datetime.date(2019, 6, 1)
    quarter = ProgressUpdate.objects.get(external_id="cap2018-cx-action-2018-Q3")
    assert quarter.date is None and quarter.period_label == "FY18 Q3, April–June 2018"
    # The area's page is as new as its newest plan, not as the import.
    page = client.get(area.get_absolute_url()).content.decode()
    assert "Last updated January 1, 2021" in words(page)


@pytest.mark.parametrize("publishing", HIDDEN)
def test_an_unpublished_action_plan_is_not_listed(client, publishing):
    ProgressUpdate.objects.filter(external_id="cap2018-cx-action-2021-january").update(**publishing)
    page = client.get("/pma/cx-2018/").content.decode()
    assert [label for _, label in plans(page)] == [label for _, label in CAP_PLANS[1:]]


def test_an_area_with_no_updates_of_either_kind_says_so(client):
    area = PriorityArea.objects.get(slug="cx-2018")
    ProgressUpdate.objects.filter(priority_area=area).update(status=Status.DRAFT)
    page = words(client.get(area.get_absolute_url()).content.decode())
    assert "No progress updates have been published yet." in page
    assert "CAP Goal Action Plans" not in page


def test_the_success_metrics_are_on_the_area_page(client):
    page = client.get("/pma/cx/").content.decode()
    metrics = re.search(r'<section id="success-metrics".*?</section>', page, re.S)
    assert metrics, "no success metrics section"
    text = words(metrics.group(0))
    assert text.startswith("Success metrics")
    assert (
        "How does the quality of customer experience provided by the Federal Government compare "
        "to that of other industries?" in text
    )
    assert "Target: Move from last into top 10 on Forrester industry ranking." in text
    assert "Are service transactions impacting the public’s trust in Government?" in text
    assert text.count("Bottom line:") == 2
    assert '<a href="#success-metrics">Success metrics</a>' in page


@pytest.mark.parametrize("publishing", HIDDEN)
def test_an_unpublished_success_metric_is_not_shown(client, publishing):
    cx = PriorityArea.objects.get(slug="cx")
    SuccessMetricFactory(priority_area=cx, key_question="Zz hidden question?", **publishing)
    assert "Zz hidden question?" not in client.get("/pma/cx/").content.decode()


def test_an_area_without_metrics_has_no_metrics_section(client):
    page = client.get("/pma/workforce/").content.decode()
    assert 'id="success-metrics"' not in page and "#success-metrics" not in page


TOOLKIT_TITLE = re.compile(
    r'<h3 class="usa-collection__heading"><a class="usa-link" href="([^"]+)">(.*?)</a>'
)


def test_the_resources_page_lists_the_nine_toolkit_files(client):
    response = client.get(reverse("priorities:resources"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("priorities:resources") == "/cx/resources/"
    listed = TOOLKIT_TITLE.findall(page)
    toolkit = Document.objects.public().filter(kind=Document.Kind.A11_TOOLKIT)
    assert len(listed) == toolkit.count() == 9
    assert {url for url, _ in listed} == {doc.url for doc in toolkit}
    text = words(page)
    # The newest edition of the guidance first, and each file says what it is.
    assert listed[0][1] == "2022 OMB Circular A-11 Section 280"
    assert "2022 edition" in text
    assert (
        "2020 CX Capacity Assessment template A spreadsheet to fill in. Excel spreadsheet" in text
    )
    assert "2020 CX Action Plan Template A slide template to fill in. PowerPoint slides" in text
    assert (
        "OMB Circular A-11 Section 280 sets out how federal agencies manage customer experience"
        in text
    )


@pytest.mark.parametrize("publishing", HIDDEN)
def test_an_unpublished_toolkit_file_is_not_listed(client, publishing):
    DocumentFactory(kind=Document.Kind.A11_TOOLKIT, hisp=None, title="Zz hidden file", **publishing)
    assert "Zz hidden file" not in client.get("/cx/resources/").content.decode()


def test_the_resources_page_is_linked_from_the_footer_and_the_cx_page(client):
    page = client.get("/").content.decode()
    footer = re.search(r"<footer.*?</footer>", page, re.S).group(0)
    assert 'href="/cx/resources/">CX resources</a>' in footer
    cx = client.get("/pma/cx/").content.decode()
    resources = re.search(r'<section id="resources".*?</section>', cx, re.S).group(0)
    assert 'href="/cx/resources/">CX resources page</a>' in resources
    # Not on an area that is not about customer experience.
    assert (
        'href="/cx/resources/">CX resources page'
        not in client.get("/pma/workforce/").content.decode()
    )
    assert (
        "<loc>http://testserver/cx/resources/</loc>" in client.get("/sitemap.xml").content.decode()
    )


def test_resources_query_count(client, django_assert_num_queries):
    DocumentFactory.create_batch(5, kind=Document.Kind.A11_TOOLKIT, hisp=None)
    with django_assert_num_queries(1):
        response = client.get("/cx/resources/")
    assert len(TOOLKIT_TITLE.findall(response.content.decode())) == 14
