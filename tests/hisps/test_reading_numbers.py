"""Reading the numbers (issue 8): the key to the reporting statuses, the reporting rules page,
results from few answers, charts of measures with no data, and what the directory's count counts."""

import html
import json
import math
import re

import pytest
from django.urls import reverse

from content.fiscal import FiscalQuarter
from hisps import charts
from hisps.models import CxMeasure, Hisp
from tests.factories import (
    HispFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    SurveyResultFactory,
)

pytestmark = pytest.mark.django_db

RULES = "/cx/reporting/"
WORDS = ["In line", "Partial", "Not reported", "Not rated", "No report"]


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def section(page: str, ident: str) -> str:
    match = re.search(rf'<section [^>]*id="{ident}".*?</section>', page, re.S)
    assert match, f"no section #{ident}"
    return match.group(0)


def results_table(page: str) -> dict[str, list[str]]:
    table = re.search(r'<caption id="results-table-caption">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    return {words(head): re.findall(r"<td>(.*?)</td>", cells, re.S) for head, cells in rows}


def chart(page: str, key: str) -> str:
    return re.search(rf'<svg [^>]*aria-labelledby="chart-{key}-title.*?</svg>', page, re.S).group(0)


def test_the_rules_page_gives_performance_govs_indicator_rules_in_the_datas_words(client, data_dir):
    colours = json.loads((data_dir / "cx_measures.json").read_text())["reporting_indicator_colors"]
    key = words(section(get(client, RULES), "status-key"))
    for word, colour in [("In line", "green"), ("Partial", "yellow"), ("Not reported", "red")]:
        rule = colours[colour]
        assert f"{word} {rule[0].upper()}{rule[1:]}. (performance.gov’s {colour} indicator)" in key
    assert "Not rated A report for the quarter was published, but OMB gave it no flag." in key
    assert "No report No report for the quarter has been published for this provider." in key


def test_the_rules_page_explains_the_small_sample_threshold_with_its_margins(client):
    page = get(client, RULES)
    small = words(section(page, "small-samples"))
    assert f"A share based on fewer than {charts.SMALL_SAMPLE} answers is marked" in small
    assert "“62.5% of 8, small sample”" in small and "hollow point" in small
    for answers in (8, charts.SMALL_SAMPLE, 1000):
        margin = 196 * math.sqrt(0.25 / answers)  # the 95% margin of a share near 50%
        assert f"{answers:,} ± {margin:.1f} points" in small
    # The seven measures and their statements, from the published measures.
    shares = words(section(page, "shares"))
    for measure in CxMeasure.objects.public():
        assert f"{measure.label} {measure.sample_statement}" in shares


def test_the_counts_say_what_they_count_and_where_the_35_comes_from(client):
    active = Hisp.objects.public().filter(active=True).count()
    counts = words(section(get(client, RULES), "counts"))
    assert f"The directory counts the {active} providers whose quarterly" in counts
    assert "reported from FY21 Q1 to FY23 Q1" in counts
    assert "August 2023 Summary of Progress speaks of 35" in counts
    # The 35 is the content's own: the August 2023 update says it.
    update = words(get(client, reverse("priorities:update", args=["cx", "2023-08"])))
    assert "The 35 High Impact Service Providers (HISPs)" in update
    directory = get(client, reverse("hisps:list"))
    assert 'href="/pma/cx/updates/2023-08/">August 2023 Summary of Progress</a>' in directory
    assert "speaks of 35 High Impact Service Providers: not all of them are in the data" in words(
        directory
    )


def test_the_directory_has_a_key_to_every_status_word_linked_to_the_rules(client):
    page = get(client, reverse("hisps:list"))
    key = section(page, "status-key")
    text = words(key)
    assert "What the reporting statuses mean" in text
    positions = [text.index(word) for word in WORDS]
    assert positions == sorted(positions)
    assert "Partial Data submitted, but not fully in-line with A-11 Section 280 Guidance." in text
    assert f'href="{RULES}#status-key"' in key and f'href="{RULES}#small-samples"' in key
    # Icons are decoration; the words carry the meaning.
    assert key.count('aria-hidden="true"') == len(WORDS)


def test_the_profiles_status_table_links_to_the_key(client):
    page = get(client, reverse("hisps:detail", args=["veterans-health-administration"]))
    reporting = section(page, "reporting")
    assert f'<a class="usa-link" href="{RULES}#status-key">What each status means</a>' in reporting


def test_passport_services_few_answers_are_marked_in_the_table_and_the_chart(client):
    page = get(client, reverse("hisps:detail", args=["passport-services"]))
    rows = results_table(page)
    trust, employees = 0, -1  # trust first; helpful employees last
    cell = rows["FY22 Q1"][trust]
    assert words(cell) == "62.5% of 8, small sample"
    assert f'href="{RULES}#small-samples"' in cell
    assert words(rows["FY22 Q2"][employees]) == "0.0% of 3, small sample"
    assert words(rows["FY21 Q2"][trust]) == "51.4% of 175"  # enough answers: no mark
    svg = chart(page, "trust")
    small = sum(1 for cells in rows.values() if "small sample" in words(cells[trust]))
    assert svg.count('class="hisp-chart__point--small"') == small > 0
    assert "FY22 Q1: 62.5% (small sample: 8 answers)" in words(svg)
    # The note under the chart says what a hollow point is.
    after = page[page.index(svg) + len(svg) :]
    note = after[: after.index("</figure>")]
    assert (
        f"A hollow point rests on fewer than {charts.SMALL_SAMPLE} answers: "
        f'<a href="{RULES}#small-samples">a small sample</a>.'
    ) in note


def test_the_threshold_is_the_constant_and_a_figure_at_it_is_not_marked(client):
    hisp = HispFactory(name="A Small Provider")
    service = ServiceFactory(hisp=hisp)
    trust = CxMeasure.objects.get(key="trust")
    for quarter, answers in ((1, charts.SMALL_SAMPLE - 1), (2, charts.SMALL_SAMPLE)):
        report = QuarterlyReportFactory(hisp=hisp, fiscal_year=2023, quarter=quarter)
        survey = ServiceSurveyFactory(report=report, service=service)
        SurveyResultFactory(
            survey=survey, measure=trust, question_number=2, agree=answers, strongly_disagree=0,
            disagree=0, neutral=0, strongly_agree=0,
        )  # fmt: skip
    page = get(client, hisp.get_absolute_url())
    rows = results_table(page)
    assert words(rows["FY23 Q1"][0]) == f"100.0% of {charts.SMALL_SAMPLE - 1}, small sample"
    assert words(rows["FY23 Q2"][0]) == f"100.0% of {charts.SMALL_SAMPLE}"
    assert chart(page, "trust").count("hisp-chart__point--small") == 1


def test_a_provider_without_small_samples_has_no_marks(client):
    page = get(client, reverse("hisps:detail", args=["veterans-health-administration"]))
    results = section(page, "results")
    assert "hisp-chart__point--small" not in results and "hollow point" not in results
    assert ", small sample" not in words(results)


def test_a_measure_with_no_data_says_so_instead_of_drawing_empty_axes(client):
    hisp = HispFactory(name="A Provider Asking Only About Trust")
    trust = CxMeasure.objects.get(key="trust")
    report = QuarterlyReportFactory(hisp=hisp, fiscal_year=2023, quarter=1)
    survey = ServiceSurveyFactory(report=report, service=ServiceFactory(hisp=hisp))
    SurveyResultFactory(survey=survey, measure=trust, question_number=2)
    results = section(get(client, hisp.get_absolute_url()), "results")
    others = CxMeasure.objects.public().exclude(pk=trust.pk)
    # One chart, the trust one; every other measure says "No data reported" under its name.
    assert results.count('<svg class="hisp-chart__svg"') == 1
    for measure in others:
        figure = re.search(
            rf"<figcaption[^>]*>{re.escape(html.escape(measure.label))}: % agree</figcaption>(.*?)</figure>",
            results,
            re.S,
        ).group(1)
        assert words(figure) == "No data reported" and "<svg" not in figure


def test_real_measures_without_data_show_no_empty_chart(client):
    page = get(client, reverse("hisps:detail", args=["passport-services"]))
    assert 'id="chart-efficient-empty">No data reported</p>' in page
    assert "chart-efficient-title" not in page
    assert "chart-trust-title" in page


def test_an_all_empty_chart_is_not_drawn_and_its_description_says_so():
    quarters = charts.quarter_range([FiscalQuarter(2023, 1), FiscalQuarter(2023, 2)])
    empty = charts.line_chart("c", "Efficiency", quarters, [None, None], charts.PERCENT)
    assert not empty.has_data and not empty.points
    assert empty.desc == "Efficiency: no data reported."
    marked = charts.line_chart("c", "Trust", quarters, [50, 90], charts.PERCENT, [8, 900])
    assert [point.small for point in marked.points] == [True, False] and marked.has_small
