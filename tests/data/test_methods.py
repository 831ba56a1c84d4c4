"""/cx/data/methods/: how the figures are made, from the repository's own record of the measures."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from content.publishing import Status
from cxportal.data.cx_api import ENDPOINTS
from hisps.models import CxMeasure, Service
from tests.data.test_index import words

pytestmark = pytest.mark.django_db

OFFICIAL_HOSTS = {"www.performance.gov", "github.com", "testserver"}


def get_page(client) -> str:
    response = client.get(reverse("data:methods"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(scope="module")
def reference(data_dir):
    return json.loads((data_dir / "cx_measures.json").read_text(encoding="utf-8"))


def test_the_page_explains_the_measures_and_the_trust_question_from_the_data(client, reference):
    text = words(get_page(client))
    assert len(reference["measures"]) == 7
    for measure in reference["measures"]:
        for value in [measure["label"], measure["sample_statement"], measure["key"]]:
            assert value in text, value
    for template in reference["trust_question_templates"]:
        assert f"“{template}”" in text
    assert len(reference["trust_question_variants_observed"]) == 6
    for variant in reference["trust_question_variants_observed"]:
        assert f"{variant['variant']} “{variant['example']}”" in text
    assert reference["scale"] in text


def test_the_page_gives_the_formulas_channels_quarters_and_api_fields(client):
    text = words(get_page(client))
    assert "% agree = 100 × (agree + strongly agree) ÷ responses" in text
    assert "5 × strongly agree) ÷ responses" in text
    assert "10-point" in text
    for value, label in Service.Channel.choices:
        assert f"{value} : {label}" in text
    assert "FY23 Q1 October 1, 2022 December 31, 2022" in text
    assert "FY23 Q2 January 1, 2023 March 31, 2023" in text
    for name, endpoint in ENDPOINTS.items():
        assert f"{name}.json {endpoint.description}" in text
    assert (
        "organization_id , organization_name , organization_abbreviation The organization the "
        "record is filed under in Touchpoints"
    ) in text


def test_sources_are_official_addresses_only(client):
    page = get_page(client)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]  # the site's footer links aside
    links = re.findall(r'href="([^"]+)"', main)
    external = {urlsplit(link).hostname for link in links if link.startswith("http")}
    assert external <= OFFICIAL_HOSTS, external
    assert "https://github.com/GSA/HISP-CX-Data" in links
    assert "https://www.performance.gov/cx/reporting.html" in links
    for host in ["federalist", "cloud.gov", "staging."]:
        assert host not in main
    # Forks that a data file names as where it was read are provenance, not sources to cite.
    assert "ryanwoldatwork" not in main and "meganlooff" not in main


def test_a_draft_measure_is_not_shown(client):
    measure = CxMeasure.objects.get(key="efficient")
    measure.status = Status.DRAFT
    measure.save()
    text = words(get_page(client))
    assert "Efficiency" not in text and "Helpful Employees" in text


def test_the_data_index_links_to_the_methods_and_the_catalog(client):
    page = client.get(reverse("data:index")).content.decode()
    assert f'href="{reverse("data:methods")}"' in page
    assert '<link rel="alternate" type="application/json" href="/data.json"' in page
    assert 'href="/data.json"' in page.split("<main", 1)[1]


def test_the_sitemap_lists_the_methods_and_the_catalog(client):
    sitemap = client.get(reverse("discovery:sitemap")).content.decode()
    assert "<loc>http://testserver/cx/data/methods/</loc>" in sitemap
    assert "<loc>http://testserver/data.json</loc>" in sitemap


def test_the_page_takes_one_query_whatever_the_number_of_measures(
    client, django_assert_num_queries
):
    with django_assert_num_queries(1):
        get_page(client)
