"""/cx/agencies/<abbr>/, the old performance.gov addresses, and a provider's results CSV."""

import csv
import html
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils.http import http_date

from hisps.models import Hisp, QuarterlyReport, SurveyResult
from tests.factories import AgencyFactory, HispFactory, LegacyPathFactory, ServiceFactory
from tests.hisps.conftest import make_directory, make_profile

pytestmark = pytest.mark.django_db


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


# Agency pages


def test_department_page_lists_its_providers_services_bureaus_and_2020_entries(client):
    response = client.get(reverse("hisps:agency", kwargs={"abbr": "va"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>U.S. Department of Veterans Affairs (VA)</h1>" in page
    providers = words(re.search(r'<section id="providers".*?</section>', page, re.S).group(0))
    assert "Veterans Benefits Administration" in providers
    assert "Veterans Health Administration" in providers
    assert "Receiving outpatient services" in providers
    service = Hisp.objects.get(slug="veterans-health-administration").services.get()
    assert f'href="/cx/hisps/veterans-health-administration/#service-{service.slug}"' in page
    bureaus = words(re.search(r'<section id="bureaus".*?</section>', page, re.S).group(0))
    assert "Veterans Benefits Administration" in bureaus
    earlier = words(re.search(r'<section id="earlier".*?</section>', page, re.S).group(0))
    assert "Outpatient Services" in earlier and "Benefits Administration Call Centers" in earlier
    assert "Last updated" not in page  # the source gives no date: nothing, rather than the import's


def test_bureau_page_links_up_to_its_department(client):
    page = client.get(reverse("hisps:agency", kwargs={"abbr": "va-vha"})).content.decode()
    assert '<p class="usa-intro-eyebrow"><a href="/cx/agencies/va/">' in page
    assert "Veterans Health Administration" in words(page)
    # The provider's page links to both.
    profile = client.get("/cx/hisps/veterans-health-administration/").content.decode()
    assert 'href="/cx/agencies/va/"' in profile and 'href="/cx/agencies/va-vha/"' in profile


def test_unknown_or_hostile_agency_gives_404(client):
    # "VA" is the page of "va" in capitals: a 301 there (tests/site/test_legacy_addresses.py).
    for abbr in ("nope", "%3Cb%3E", "va%00"):
        response = client.get(f"/cx/agencies/{abbr}/")
        assert response.status_code == 404, abbr
        assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("data", ["real", "synthetic"])
def test_agency_query_count_is_the_same_for_ten_times_the_data(
    client, django_assert_num_queries, data
):
    abbr = "va"
    if data == "synthetic":
        abbr = make_directory(count=40)[0].agency.slug
    # agency (with its parent), providers, their services, bureaus
    with django_assert_num_queries(4):
        response = client.get(reverse("hisps:agency", kwargs={"abbr": abbr}))
    assert response.status_code == 200
    assert response.content.decode().count('<li class="usa-card') >= 2


# Old performance.gov addresses


def test_every_legacy_path_in_the_data_redirects_permanently_to_a_live_page(client, data_dir):
    records = json.loads((data_dir / "hisps.json").read_text(encoding="utf-8"))
    paths = [(record["id"], path) for record in records for path in record["legacy_paths"]]
    assert len(paths) >= 27
    for hisp_id, path in paths:
        for asked in (path, path.rstrip("/")):
            response = client.get(asked)
            assert response.status_code == 301, asked
            assert response["Location"] == f"/cx/hisps/{hisp_id}/"
            assert client.get(response["Location"]).status_code == 200, asked


def test_renamed_profiles_redirect_to_the_same_provider(client):
    assert client.get("/cx/dashboard/ed/fafsa/")["Location"] == "/cx/hisps/ed-fsa/"
    assert client.get("/cx/dashboard/dol/owcp/")["Location"] == "/cx/hisps/dol-deeoic/"
    assert client.head("/cx/dashboard/va/vha/").status_code == 301


def test_unknown_legacy_paths_go_to_the_directory(client):
    """An old dashboard address that names no profile goes to the directory, the nearest page
    (issue 8: nothing performance.gov served answers 404)."""
    for path in ("/cx/dashboard/nope/", "/cx/dashboard/va/", "/cx/dashboard/va/vha/extra/",
                 "/cx/dashboard/%00/", "/cx/dashboard/" + "a/" * 200):  # fmt: skip
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (301, "/cx/hisps/"), path


@pytest.mark.parametrize("data", ["real", "synthetic"])
def test_legacy_redirect_is_one_query(client, django_assert_num_queries, data):
    path = "/cx/dashboard/va/vha/"
    if data == "synthetic":
        make_profile()
        path = LegacyPathFactory(hisp=HispFactory()).path
    with django_assert_num_queries(1):
        assert client.get(path).status_code == 301


# Results CSV


def read_csv(response) -> list[dict]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def test_results_csv_has_every_answer_count_and_matches_the_page(client):
    url = reverse("hisp_results_csv", kwargs={"slug": "veterans-health-administration"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="veterans-health-administration-survey-results.csv"'
        in response["Content-Disposition"]
    )
    rows = read_csv(response)
    hisp = Hisp.objects.get(slug="veterans-health-administration")
    assert len(rows) == SurveyResult.objects.filter(survey__report__hisp=hisp).count() == 63
    # Summing the trust rows of FY23 Q1 gives the page's 90.4% of 485,157.
    trust = [r for r in rows if r["period"] == "FY23 Q1" and r["measure"] == "trust"]
    total = sum(int(r["total"]) for r in trust)
    agree = sum(int(r["agree"]) + int(r["strongly_agree"]) for r in trust)
    assert total == 485157 and round(100 * agree / total, 1) == 90.4
    assert rows[0]["question_text"] == "I am satisfied with the service I received from the VA."


def test_results_csv_carries_last_modified_and_answers_conditional_requests(client):
    url = reverse("hisp_results_csv", kwargs={"slug": "veterans-health-administration"})
    response = client.get(url)
    hisp = Hisp.objects.get(slug="veterans-health-administration")
    newest = max(
        [hisp.updated_at]
        + [r.updated_at for r in hisp.public_survey_results()]
        + [r.updated_at for r in QuarterlyReport.objects.filter(hisp=hisp)]
    )
    assert response["Last-Modified"] == http_date(newest.timestamp())
    again = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
    assert again.status_code == 304


def test_results_csv_of_a_provider_without_results_is_just_the_header(client):
    response = client.get(reverse("hisp_results_csv", kwargs={"slug": "va-vha"}))
    assert response.status_code == 200
    assert read_csv(response) == []


@pytest.mark.parametrize("data", ["real", "synthetic"])
def test_csv_query_count_is_the_same_for_ten_times_the_data(
    client, django_assert_num_queries, data
):
    slug = make_profile().slug if data == "synthetic" else "veterans-health-administration"
    # last-modified (provider, newest row), provider, the rows in one streamed query
    with django_assert_num_queries(4):
        rows = read_csv(client.get(reverse("hisp_results_csv", kwargs={"slug": slug})))
    assert len(rows) >= 63


def test_agency_page_of_a_department_without_providers_says_so(client):
    agency = AgencyFactory(name="Department of Quiet Things", slug="quiet")
    ServiceFactory(hisp=HispFactory(agency=AgencyFactory(), bureau=None))
    page = client.get(agency.get_absolute_url()).content.decode()
    assert "has no currently designated High Impact Service Providers" in words(page)
