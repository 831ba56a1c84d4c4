"""/cx/data/: every dataset with its fields, row count and links; the CX data API; the measures."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from cxportal.data.cx_api import ATTRIBUTES, ENDPOINTS
from cxportal.data.datasets import DATASETS
from tests.factories import CxMeasureFactory, HispFactory, SurveyResultFactory

pytestmark = pytest.mark.django_db


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def get_page(client) -> str:
    response = client.get(reverse("data:index"))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, ident: str) -> str:
    match = re.search(rf'<section id="{re.escape(ident)}".*?</section>', page, re.S)
    assert match, f"no section #{ident}"
    return match.group(0)


def test_each_dataset_has_its_downloads_row_count_and_documented_fields(client):
    page = get_page(client)
    assert words(re.search(r"<h1>(.*?)</h1>", page).group(1)) == "Open data"
    for name, dataset in DATASETS.items():
        part = section(page, name)
        assert dataset.title in words(part)
        assert f"Rows {dataset.count():,}" in words(part)
        for fmt in ["csv", "json"]:
            link = reverse("data:download", kwargs={"name": name, "format": fmt})
            assert f'href="{link}"' in part
            assert client.get(link).status_code == 200
        cells = re.findall(
            r"<tr>\s*<th[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>",
            part.split("<tbody>")[1],
            re.S,
        )
        documented = [tuple(words(cell) for cell in row) for row in cells]
        assert documented == [(f.name, f.type, " ".join(f.meaning.split())) for f in dataset.fields]


def test_the_page_lists_the_datasets_on_it_and_a_last_updated_date(client):
    page = get_page(client)
    nav = re.search(r'<nav class="margin-y-3" aria-label="On this page">(.*?)</nav>', page, re.S)
    for name in DATASETS:
        assert f'href="#{name}"' in nav.group(1)
    assert re.search(r"Last updated <time datetime=\"[^\"]+\">\w+ \d{1,2}, \d{4}</time>", page)


def test_the_four_performance_gov_files_are_linked_and_documented(client):
    page = get_page(client)
    for name in ENDPOINTS:
        link = reverse("data:cx_api", kwargs={"name": name})
        assert link == f"/cx/data/{name}.json"  # the addresses performance.gov used
        part = section(page, f"api-{name}")
        assert f'href="{link}"' in part
        assert f"http://testserver{link}" in words(part)
        for attribute in ATTRIBUTES[name]:
            assert f"<code>{html.escape(attribute)}</code>" in part
    # The organization ids are Touchpoints' own now, and the page says how to join on them.
    text = words(page)
    assert "organization_id is null" not in text
    assert "or match organization_id across them" in text


def test_the_seven_measures_have_their_anchors(client):
    page = get_page(client)
    measures = section(page, "measures")
    anchors = re.findall(r'<tr id="measure-([\w-]+)">', measures)
    assert anchors == ["satisfied", "trust", "effective", "easy", "efficient", "transparent",
                       "employee"]  # fmt: skip
    assert "Trust / Confidence trust This increased my trust/confidence in the service" in words(
        measures
    )


def test_drafts_are_neither_counted_nor_listed(client):
    before = get_page(client)
    HispFactory(status=Status.DRAFT, agency__status=Status.DRAFT)
    HispFactory(publish_at=timezone.now() + datetime.timedelta(days=1))
    SurveyResultFactory(survey__report__hisp__status=Status.DRAFT)
    CxMeasureFactory(key="zz-draft-measure", status=Status.DRAFT)
    after = get_page(client)
    for name in ["hisps", "survey_results", "cx_measures"]:
        count = re.search(r"<dt>Rows</dt><dd>([\d,]+)</dd>", section(before, name)).group(1)
        assert f"<dt>Rows</dt><dd>{count}</dd>" in section(after, name)
    assert "zz-draft-measure" not in after


def test_the_data_page_answers_reads_only(client):
    assert client.post(reverse("data:index")).status_code == 405
    assert client.get(reverse("data:index"), {"page": "<script>", "q": "\x00"}).status_code == 200
