"""The home page's success measure (issue 8): trust after a transaction across providers, by
quarter, as a server-drawn chart with its table and CSV, and the latest published quarter's
reporting status."""

import csv
import html
import io
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from content.publishing import Status
from hisps.models import CxMeasure, SurveyResult
from tests.data.streams import fetch
from tests.factories import (
    HispFactory,
    QuarterlyReportFactory,
    ReportingPeriodFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    SurveyResultFactory,
)

pytestmark = pytest.mark.django_db

CSV_URL = "/cx/data/trust_by_quarter.csv"
NOBODY = dict.fromkeys(["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"], 0)


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def trust_section(page: str) -> str:
    return re.search(r'<section [^>]*id="trust".*?</section>', page, re.S).group(0)


def trust_table(page: str) -> dict[str, tuple[str, str, str]]:
    """{quarter: (share, answers, providers)} as the table shows them."""
    table = re.search(r'<caption id="trust-table-caption">.*?</table>', page, re.S).group(0)
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S)
    return {
        words(head): tuple(words(cell) for cell in re.findall(r"<td>(.*?)</td>", cells, re.S))
        for head, cells in rows
    }


def expected_trust() -> dict[str, tuple[str, str, str]]:
    """The same figures, added up here one public answer at a time."""
    agree, total, providers = defaultdict(int), defaultdict(int), defaultdict(set)
    trust = CxMeasure.objects.public().get(key="trust")
    for result in (
        SurveyResult.objects.public().filter(measure=trust).select_related("survey__report")
    ):
        if not result.total:
            continue
        quarter = result.survey.report.period
        agree[quarter] += result.agree + result.strongly_agree
        total[quarter] += result.total
        providers[quarter].add(result.survey.report.hisp_id)
    return {
        quarter: (
            f"{(Decimal(100 * agree[quarter]) / total[quarter]).quantize(Decimal('0.1'), ROUND_HALF_UP)}%",
            f"{total[quarter]:,}",
            f"{len(providers[quarter]):,}",
        )
        for quarter in total
    }


def provider_answering(year, quarter, **counts):
    """A new provider whose one survey in FY`year` Q`quarter` answered the trust question so."""
    hisp = HispFactory()
    report = QuarterlyReportFactory(hisp=hisp, fiscal_year=year, quarter=quarter)
    survey = ServiceSurveyFactory(report=report, service=ServiceFactory(hisp=hisp))
    trust = CxMeasure.objects.get(key="trust")
    return SurveyResultFactory(
        survey=survey, measure=trust, question_number=2, **{**NOBODY, **counts}
    )


def test_the_table_gives_each_published_quarters_trust_across_providers(client):
    table = trust_table(home(client))
    assert table == expected_trust()
    # The quarters are the content's own, oldest first.
    assert list(table) == ["FY21 Q1", "FY21 Q2", "FY21 Q3", "FY21 Q4", "FY22 Q1", "FY22 Q2",
                           "FY22 Q3", "FY22 Q4", "FY23 Q1"]  # fmt: skip


def test_the_chart_is_a_named_server_drawn_svg_beside_its_table(client):
    section = trust_section(home(client))
    svg = re.search(r"<svg [^>]*home-trust-title.*?</svg>", section, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="home-trust-title home-trust-desc"' in svg
    title = "Trust after a transaction, all High Impact Service Providers"
    assert f'<title id="home-trust-title">{title}</title>' in svg
    desc = words(re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1))
    for quarter, (share, _, _) in expected_trust().items():
        assert f"{quarter}: {share}" in desc
    assert svg.count("<circle") == 9 and "<script" not in section
    # The figures do not break in the middle of a number.
    answers = expected_trust()["FY23 Q1"][1]
    assert f'<span class="nowrap">{answers}</span>' in section
    assert f'href="{CSV_URL}"' in section


def test_the_csv_gives_the_same_numbers_as_the_table(client):
    table = trust_table(home(client))
    response, body = fetch(client, CSV_URL)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    from_csv = {
        row["period"]: (f"{row['pct_agree']}%", f"{int(row['total']):,}", row["providers"])
        for row in rows
    }
    assert from_csv == table
    # Each row's counts add up to its total.
    for row in rows:
        points = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
        assert sum(int(row[point]) for point in points) == int(row["total"])


def test_the_share_is_weighted_by_the_number_of_answers(client):
    provider_answering(2030, 1, strongly_agree=10)  # 100% of 10
    provider_answering(2030, 1, agree=495, disagree=495)  # 50% of 990
    page = home(client)
    # (10 + 495) / 1,000, not the average of 100% and 50%.
    assert trust_table(page)["FY30 Q1"] == ("50.5%", "1,000", "2")
    # The years between are gaps in the line, in words too.
    assert "FY29 Q4: No data" in words(trust_section(page))


def test_open_quarters_drafts_and_scheduled_answers_do_not_count(client):
    before = trust_table(home(client))
    csv_before = fetch(client, CSV_URL)[1]
    ReportingPeriodFactory(fiscal_year=2030, quarter=2, status="open", publish_at=None)
    provider_answering(2030, 2, strongly_agree=500)  # its quarter is still open for reporting
    # In a published quarter, under each kind of hidden parent, or scheduled itself.
    for hidden in ("survey__report__hisp", "survey__service", "survey__report", "survey"):
        result = provider_answering(2023, 1, strongly_agree=500)
        parent = result
        for name in hidden.split("__"):
            parent = getattr(parent, name)
        parent.status = Status.DRAFT
        parent.save()
    scheduled = provider_answering(2023, 1, strongly_agree=500)
    scheduled.publish_at = scheduled.publish_at.replace(year=2099)
    scheduled.save()
    assert trust_table(home(client)) == before
    assert fetch(client, CSV_URL)[1] == csv_before


def test_no_published_answers_says_so(client):
    SurveyResult.objects.update(status=Status.DRAFT)
    section = trust_section(home(client))
    assert "No trust results have been published yet." in words(section)
    assert "<svg" not in section.split("Reporting in")[0]


def test_the_latest_quarters_reporting_status_matches_the_filtered_directory(client):
    page = home(client)
    summary = re.search(r'<h3 id="reporting-heading">.*?</table>', page, re.S).group(0)
    assert "Reporting in FY23 Q1, the latest published quarter" in words(summary)
    rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', summary, re.S)
    shown = {words(status): words(count) for status, count in rows}
    assert shown == {
        "In line": "23 providers",
        "Partial": "1 provider",
        "Not reported": "None",
        "Not rated": "2 providers",
        "No report": "2 providers",
    }
    # Each count links to the directory filtered by it, which lists as many providers.
    for status, link in re.findall(r'href="/cx/hisps/\?status=(\w+)"><span[^>]*>(\d+)', summary):
        listed = client.get(reverse("hisps:list"), {"status": status}).content.decode()
        assert listed.count('<li class="usa-collection__item">') == int(link), status


@pytest.mark.parametrize("providers", [3, 30], ids=["few", "ten-times"])
def test_the_query_count_stays_the_same_as_the_data_grows(
    client, django_assert_num_queries, providers
):
    for number in range(providers):
        for quarter in (1, 2, 3, 4):
            provider_answering(2031 + number % 3, quarter, agree=number + 1, neutral=5)
    # latest update, providers, services, responses, latest quarter, trust by quarter, the
    # latest quarter's reporting status, and the newest highlights
    with django_assert_num_queries(8):
        page = home(client)
    assert "FY33 Q4" in trust_table(page)
