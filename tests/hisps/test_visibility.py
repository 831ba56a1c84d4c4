"""Drafts and scheduled items of every model these pages show are absent from every one of them."""

import csv
import io

import pytest
from django.urls import reverse

from content.publishing import Status
from hisps.models import CxMeasure, Hisp
from tests.factories import (
    AgencyFactory,
    DocumentFactory,
    HispFactory,
    LegacyPathFactory,
    LegacyScoreFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    SurveyResultFactory,
)
from tests.hisps.conftest import hidden_variants

pytestmark = pytest.mark.django_db

HIDDEN = hidden_variants()
IDS = ["draft", "in-review", "archived", "scheduled"]


def pages(client, hisp) -> str:
    """Everything a visitor can reach about `hisp`: directory (all of it), profile, agency pages."""
    texts = [
        client.get(reverse("hisps:list"), {"earlier": "on", "q": hisp.name}).content.decode(),
        client.get(hisp.get_absolute_url()).content.decode(),
        client.get(hisp.agency.get_absolute_url()).content.decode(),
    ]
    return "\n".join(texts)


def csv_rows(client, hisp) -> list[dict]:
    response = client.get(reverse("hisp_results_csv", kwargs={"slug": hisp.slug}))
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def assert_no_public_page(client, url, hidden):
    """404, or for an archived object its page kept with an "Archived" notice, never indexed."""
    response = client.get(url)
    if hidden.get("status") == Status.ARCHIVED:
        assert response.status_code == 200, url
        assert 'aria-label="Archived"' in response.content.decode()
        assert response["X-Robots-Tag"].startswith("noindex")
    else:
        assert response.status_code == 404, url


@pytest.fixture
def hisp(db):
    """A visible provider with one visible quarter of trust results."""
    hisp = HispFactory(name="Visible Provider", agency=AgencyFactory(slug="visible-dept"))
    service = ServiceFactory(hisp=hisp, name="A visible service")
    report = QuarterlyReportFactory(hisp=hisp, fiscal_year=2022, quarter=4, reflection="Seen.")
    survey = ServiceSurveyFactory(report=report, service=service)
    SurveyResultFactory(
        survey=survey, question_number=2, measure=CxMeasure.objects.get(key="trust")
    )
    return hisp


@pytest.mark.parametrize("hidden", HIDDEN, ids=IDS)
def test_hidden_provider_is_absent_everywhere(client, hisp, hidden):
    secret = HispFactory(name="Secret Provider", agency=hisp.agency, **hidden)
    LegacyPathFactory(hisp=secret, path="/cx/dashboard/secret/")
    secret.earlier_designations.add(hisp)
    assert_no_public_page(client, secret.get_absolute_url(), hidden)
    assert client.get(reverse("hisp_results_csv", kwargs={"slug": secret.slug})).status_code == 404
    # The directory, as for an unknown old address: not the hidden provider's page.
    assert client.get("/cx/dashboard/secret/")["Location"] == "/cx/hisps/"
    assert "Secret Provider" not in pages(client, hisp)
    assert (
        "Secret Provider"
        not in client.get(reverse("hisps:list"), {"earlier": "on"}).content.decode()
    )


@pytest.mark.parametrize("hidden", HIDDEN, ids=IDS)
def test_hidden_agency_has_no_page_and_no_name(client, hidden):
    agency = AgencyFactory(name="Secret Department", slug="secret-dept", **hidden)
    bureau = AgencyFactory(name="Secret Bureau", slug="secret-bureau", **hidden)
    hisp = HispFactory(agency=agency, bureau=bureau)
    assert_no_public_page(client, agency.get_absolute_url(), hidden)
    assert_no_public_page(client, bureau.get_absolute_url(), hidden)
    page = client.get(hisp.get_absolute_url()).content.decode()
    listing = client.get(reverse("hisps:list")).content.decode()
    for text in (page, listing):
        assert "Secret Department" not in text and "Secret Bureau" not in text
        assert "secret-dept" not in text


@pytest.mark.parametrize("hidden", HIDDEN, ids=IDS)
def test_hidden_service_and_its_results_are_absent(client, hisp, hidden):
    secret = ServiceFactory(hisp=hisp, name="A secret service", **hidden)
    report = hisp.quarterly_reports.get()
    survey = ServiceSurveyFactory(report=report, service=secret)
    SurveyResultFactory(survey=survey, question_number=5, question_text="Secret question?")
    assert "A secret service" not in pages(client, hisp)
    assert f"service-{secret.slug}" not in pages(client, hisp)
    rows = csv_rows(client, hisp)
    assert [row["service_name"] for row in rows] == ["A visible service"]


@pytest.mark.parametrize("hidden", HIDDEN, ids=IDS)
def test_hidden_report_and_everything_under_it_is_absent(client, hisp, hidden):
    service = hisp.services.get()
    report = QuarterlyReportFactory(
        hisp=hisp, fiscal_year=2024, quarter=1, rating="partial", reflection="Secret reflection.",
        **hidden,
    )  # fmt: skip
    survey = ServiceSurveyFactory(report=report, service=service)
    SurveyResultFactory(
        survey=survey, question_number=2, measure=CxMeasure.objects.get(key="trust")
    )
    text = pages(client, hisp)
    assert "Secret reflection." not in text and "report-fy2024-q1" not in text
    assert "Partial" not in text.split('id="hisp-results"')[1]  # not among the status icons
    assert [row["period"] for row in csv_rows(client, hisp)] == ["FY22 Q4"]
    # The directory's "latest quarter" only counts published reports.
    assert "FY24 Q1" not in text


@pytest.mark.parametrize("hidden", HIDDEN, ids=IDS)
def test_hidden_survey_and_result_are_absent(client, hisp, hidden):
    report = hisp.quarterly_reports.get()
    service = hisp.services.get()
    hidden_survey = ServiceSurveyFactory(report=report, service=service, **hidden)
    SurveyResultFactory(survey=hidden_survey, question_number=2, question_text="Hidden survey?")
    visible_survey = report.surveys.exclude(pk=hidden_survey.pk).get()
    SurveyResultFactory(survey=visible_survey, question_number=9, question_text="Hidden result?",
                        **hidden)  # fmt: skip
    texts = [row["question_text"] for row in csv_rows(client, hisp)]
    assert texts == ["I am satisfied with the service I received."]
    # The chart and table count only the visible answers: 85.0% of 400.
    assert '85.0%<span class="hisp-results-table__n"> of 400</span>' in pages(client, hisp)


@pytest.mark.parametrize("hidden", HIDDEN, ids=IDS)
def test_hidden_documents_legacy_paths_and_scores_are_absent(client, hisp, hidden):
    DocumentFactory(hisp=hisp, title="Secret action plan", **hidden)
    LegacyPathFactory(hisp=hisp, path="/cx/dashboard/hidden/path/", **hidden)
    LegacyScoreFactory(hisp=hisp, fiscal_year=2019, quarter=1, average_score="4.99",
                       measure=CxMeasure.objects.get(key="trust"), **hidden)  # fmt: skip
    text = pages(client, hisp)
    assert "Secret action plan" not in text
    assert "4.99" not in text and "Results before 2021" not in text
    # The directory, as for an unknown old address: not the hidden provider's page.
    assert client.get("/cx/dashboard/hidden/path/")["Location"] == "/cx/hisps/"


@pytest.mark.parametrize("hidden", HIDDEN, ids=IDS)
def test_hidden_later_and_earlier_designations_are_not_linked(client, hisp, hidden):
    earlier = HispFactory(name="Hidden 2020 entry", active=False, **hidden)
    later = HispFactory(name="Hidden successor", **hidden)
    hisp.earlier_designations.add(earlier)
    later.earlier_designations.add(hisp)
    text = pages(client, hisp)
    assert "Hidden 2020 entry" not in text and "Hidden successor" not in text


def test_visible_objects_do_show(client, hisp):
    """The fixture's own objects appear, so the absence tests above are meaningful."""
    DocumentFactory(hisp=hisp, title="Visible action plan")
    text = pages(client, hisp)
    assert "Visible Provider" in text and "A visible service" in text
    assert "Visible action plan" in text and "Seen." in text
    assert len(csv_rows(client, hisp)) == 1
    assert Hisp.objects.public().filter(pk=hisp.pk).exists()
