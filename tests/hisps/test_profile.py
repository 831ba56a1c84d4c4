"""/cx/hisps/<slug>/: the provider's profile, its server-drawn charts, and its query count."""

import html
import re

import pytest
from django.urls import reverse

from hisps.models import CxMeasure, Hisp, QuarterlyReport, Service
from tests.factories import (
    HispFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    SurveyResultFactory,
)
from tests.hisps.conftest import make_profile

pytestmark = pytest.mark.django_db


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def get(client, slug):
    response = client.get(reverse("hisps:detail", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, ident: str) -> str:
    match = re.search(rf'<section id="{ident}".*?</section>', page, re.S)
    assert match, f"no section #{ident}"
    return match.group(0)


def table_rows(page: str, caption_id: str) -> dict[str, list[str]]:
    table = re.search(rf'<caption id="{caption_id}">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    return {words(head): [words(cell) for cell in re.findall(r"<td>(.*?)</td>", cells, re.S)]
            for head, cells in rows}  # fmt: skip


def test_profile_shows_agency_services_reporting_and_reflections(client):
    page = get(client, "veterans-health-administration")
    assert '<a href="/cx/agencies/va/">U.S. Department of Veterans Affairs</a>' in page
    assert '<a href="/cx/agencies/va-vha/">Veterans Health Administration</a>' in page
    service = Service.objects.get(hisp__slug="veterans-health-administration")
    assert f'id="service-{service.slug}"' in page
    assert "Receiving outpatient services" in words(section(page, "services"))
    assert "Channels Email" in words(section(page, "services"))
    reporting = words(section(page, "reporting"))
    assert "FY23 Q1 In line" in reporting and "FY21 Q1 In line" in reporting
    # Every published report's permalink (QuarterlyReport.get_absolute_url) lands on the page.
    for report in QuarterlyReport.objects.public().filter(hisp=service.hisp):
        assert f'id="{report.get_absolute_url().split("#")[1]}"' in page
    reflection = re.search(r'<article id="report-fy2022-q3".*?</article>', page, re.S).group(0)
    assert "VA continues to perform fairly strongly" in words(reflection)
    assert "Last updated" in page


def test_results_chart_and_table_show_the_same_numbers(client):
    page = get(client, "veterans-health-administration")
    results = section(page, "results")
    rows = table_rows(results, "results-table-caption")
    assert list(rows) == ["FY21 Q1", "FY21 Q2", "FY21 Q3", "FY21 Q4", "FY22 Q1", "FY22 Q2",
                          "FY22 Q3", "FY22 Q4", "FY23 Q1"]  # fmt: skip
    # Trust is first. FY23 Q1: 90.4% of 485,157 answers (summed counts over the quarter's surveys).
    assert rows["FY23 Q1"][0] == "90.4% of 485,157"
    trust = re.search(r'<svg [^>]*aria-labelledby="chart-trust-title chart-trust-desc".*?</svg>',
                      results, re.S).group(0)  # fmt: skip
    assert 'role="img"' in trust
    assert '<title id="chart-trust-title">Trust / Confidence</title>' in trust
    desc = words(re.search(r"<desc[^>]*>(.*?)</desc>", trust, re.S).group(1))
    assert "FY23 Q1: 90.4%" in desc and "FY21 Q1: 89.6%" in desc
    assert trust.count("<circle") == 9 and trust.count("<path") == 1
    # One chart per published A-11 measure.
    assert results.count('role="img"') == CxMeasure.objects.public().count() * 2  # + legacy
    assert 'href="/cx/hisps/veterans-health-administration/results.csv"' in results
    # Only SVG: no chart script.
    assert "<script" not in results


def test_missing_quarters_say_no_data_and_break_the_line(client):
    hisp = HispFactory(name="Gappy Provider")
    service = ServiceFactory(hisp=hisp)
    trust = CxMeasure.objects.get(key="trust")
    for quarter in (1, 2, 3, 4):
        report = QuarterlyReportFactory(hisp=hisp, fiscal_year=2023, quarter=quarter)
        if quarter != 3:
            survey = ServiceSurveyFactory(report=report, service=service)
            SurveyResultFactory(survey=survey, question_number=2, measure=trust)
    page = get(client, hisp.slug)
    rows = table_rows(page, "results-table-caption")
    assert rows["FY23 Q3"][0] == "No data"
    assert rows["FY23 Q2"][0] == "85.0% of 400"
    chart = re.search(r"<svg [^>]*chart-trust-title.*?</svg>", page, re.S).group(0)
    assert "FY23 Q3: No data" in words(chart)
    # Q1–Q2 is a line; Q4 stands alone after the gap.
    assert chart.count("<path") == 1 and chart.count("<circle") == 3


def test_va_vha_2020_entry_shows_legacy_means_and_links_on(client):
    page = get(client, "va-vha")
    note = words(re.search(r'<div class="usa-alert usa-alert--info".*?</ul>', page, re.S).group(0))
    assert "an entry of the 2020 list" in note and "Veterans Health Administration" in note
    assert 'href="/cx/hisps/veterans-health-administration/"' in page
    legacy = section(page, "results-before-2021")
    rows = table_rows(legacy, "legacy-table-caption")
    assert rows["FY19 Q1"][:3] == ["377,268", "4.66", "No data"]  # respondents, trust, satisfaction
    assert "Trust / Confidence, mean score on a 1 to 5 scale, FY19 Q1 to FY20 Q1" in legacy
    assert "No survey results with answer counts" in words(section(page, "results"))
    # The continuing provider links back to the 2020 entry and shows its pre-2021 scores too.
    continuing = get(client, "veterans-health-administration")
    assert 'href="/cx/hisps/va-vha/">Outpatient Services</a> (2020 list)' in continuing
    assert "FY19 Q1" in section(continuing, "results-before-2021")


def test_documents_include_those_of_earlier_designations(client):
    page = get(client, "veterans-health-administration")
    documents = words(section(page, "documents"))
    assert "2020 HISP CX Action Plan (va-vha)" in documents
    assert "published for Outpatient Services" in documents


def test_link_to_this_page_box_gives_the_permanent_url_and_a_snippet(client):
    page = get(client, "veterans-health-administration")
    box = section(page, "link-to-this-page")
    url = "http://testserver/cx/hisps/veterans-health-administration/"
    assert (
        f'<input class="usa-input hisp-link-box__field" id="permalink" type="url" readonly value="{url}">'
        in box
    )
    assert '<label class="usa-label" for="link-snippet">' in box
    snippet = re.search(r"<textarea [^>]*readonly[^>]*>(.*?)</textarea>", box, re.S).group(1)
    assert html.unescape(snippet) == (
        f'<a href="{url}">Veterans Health Administration: customer experience on Performance.gov</a>'
    )
    assert "onclick" not in box and "<script" not in box


def test_snippet_escapes_the_name_as_html(client):
    hisp = HispFactory(name='Farm & Ranch "Help"')
    box = section(get(client, hisp.slug), "link-to-this-page")
    snippet = re.search(r"<textarea [^>]*>(.*?)</textarea>", box, re.S).group(1)
    assert "Farm &amp; Ranch &quot;Help&quot;" in html.unescape(snippet)


def test_unknown_and_hostile_slugs_give_the_404_page(client):
    for path in ("/cx/hisps/no-such-provider/", "/cx/hisps/%3Cscript%3E/", "/cx/hisps/a%00b/",
                 "/cx/hisps/" + "x" * 500 + "/", "/cx/hisps/no-such/results.csv"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Page not found" in response.content.decode()


def test_markdown_reflection_is_sanitized(client):
    hisp = HispFactory()
    QuarterlyReportFactory(
        hisp=hisp, fiscal_year=2023, quarter=1,
        reflection="We **grew**. <script>alert(1)</script> [x](javascript:alert(1))",
    )  # fmt: skip
    page = get(client, hisp.slug)
    reflection = re.search(r'<article id="report-fy2023-q1".*?</article>', page, re.S).group(0)
    assert "<strong>grew</strong>" in reflection
    assert "<script>" not in reflection and "javascript:" not in reflection


@pytest.mark.parametrize("data", ["real", "synthetic"])
def test_query_count_is_the_same_for_ten_times_the_data(client, django_assert_num_queries, data):
    slug = make_profile().slug if data == "synthetic" else "veterans-health-administration"
    # provider, services, reports, earlier and later designations, measures, survey totals,
    # legacy scores, documents: no query per quarter, service or measure.
    with django_assert_num_queries(9):
        page = get(client, slug)
    assert page.count('role="img"') >= 7
    hisp = Hisp.objects.get(slug=slug)
    assert len(re.findall(r'class="hisp-service"', page)) == hisp.services.count()
