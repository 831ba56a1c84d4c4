"""/data.json: a DCAT-US 1.1 catalog that data.gov can harvest, listing every dataset and file.

The schema's rules are written out here (no network): the catalog's and each dataset's required
fields, the enumerations and the patterns of bureauCode, programCode, hasEmail, mediaType and the
dates, from resources.data.gov/schemas/dcat-us/v1.1 (catalog.json, dataset.json, distribution.json,
organization.json, vcard.json).
"""

import datetime
import json
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from cxportal.data.cx_api import ENDPOINTS
from cxportal.data.datasets import DATASETS
from hisps.models import QuarterlyReport, ServiceSurvey
from tests.data.streams import fetch

pytestmark = pytest.mark.django_db

CATALOG_REQUIRED = ["conformsTo", "dataset"]
DATASET_REQUIRED = [
    "bureauCode",
    "programCode",
    "title",
    "description",
    "keyword",
    "modified",
    "publisher",
    "contactPoint",
    "identifier",
    "accessLevel",
]
BUREAU_CODE = re.compile(r"[0-9]{3}:[0-9]{2}")
PROGRAM_CODE = re.compile(r"[0-9]{3}:[0-9]{3}")
EMAIL = re.compile(r"^mailto:[\w~!$&'()*+,;=:.-]+@[\w.-]+\.[\w.-]+?$")
MEDIA_TYPE = re.compile(r"^[-\w]+/[-\w]+(\.[-\w]+)*([+][-\w]+)?$")
# A day, or (where no public row has a date of its own) the quarterly repeating interval.
MODIFIED = re.compile(r"^(\d{4}-\d{2}-\d{2}|R/P3M)$")


def get_catalog(client) -> dict:
    response, body = fetch(client, "/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(body)


def is_uri(value) -> bool:
    parts = urlsplit(value)
    return isinstance(value, str) and parts.scheme in ("http", "https") and bool(parts.netloc)


def schema_problems(catalog: dict) -> list[str]:
    """Every way the catalog breaks the DCAT-US 1.1 schema (an empty list when it conforms)."""
    problems = [f"catalog lacks {key}" for key in CATALOG_REQUIRED if key not in catalog]
    if catalog.get("@type") != "dcat:Catalog" or "@context" not in catalog:
        problems.append("@type must be dcat:Catalog, with an @context")
    if catalog.get("conformsTo") != "https://project-open-data.cio.gov/v1.1/schema":
        problems.append("conformsTo must name the v1.1 schema")
    for key in ["@context", "@id", "describedBy"]:
        if not is_uri(catalog.get(key)):
            problems.append(f"{key} must be a URI")
    identifiers = [entry.get("identifier") for entry in catalog.get("dataset", [])]
    if len(set(identifiers)) != len(identifiers):
        problems.append("identifiers must be unique")
    for entry in catalog.get("dataset", []):
        problems += [f"{entry.get('title')}: {p}" for p in dataset_problems(entry)]
    return problems


def dataset_problems(entry: dict) -> list[str]:
    problems = [f"lacks {key}" for key in DATASET_REQUIRED if key not in entry]
    if entry.get("@type") != "dcat:Dataset":
        problems.append("@type must be dcat:Dataset")
    for key in ["title", "description", "identifier"]:
        if not isinstance(entry.get(key), str) or not entry.get(key):
            problems.append(f"{key} must be non-empty text")
    keywords = entry.get("keyword")
    if not isinstance(keywords, list) or not keywords or not all(k for k in keywords):
        problems.append("keyword must be a list of one or more non-empty words")
    if not isinstance(entry.get("modified"), str) or not MODIFIED.match(entry["modified"]):
        problems.append(f"modified {entry.get('modified')!r} is not an ISO 8601 date")
    if entry.get("accessLevel") not in ("public", "restricted public", "non-public"):
        problems.append("accessLevel is not one of the three")
    for key, pattern in [("bureauCode", BUREAU_CODE), ("programCode", PROGRAM_CODE)]:
        codes = entry.get(key)
        if not isinstance(codes, list) or not codes or len(set(codes)) != len(codes):
            problems.append(f"{key} must be a list of unique codes")
        elif not all(isinstance(code, str) and pattern.search(code) for code in codes):
            problems.append(f"{key} {codes} breaks its pattern")
    publisher = entry.get("publisher") or {}
    if publisher.get("@type") != "org:Organization" or not publisher.get("name"):
        problems.append("publisher must be an org:Organization with a name")
    contact = entry.get("contactPoint") or {}
    if contact.get("@type") != "vcard:Contact" or not contact.get("fn"):
        problems.append("contactPoint must be a vcard:Contact with fn")
    if not EMAIL.match(contact.get("hasEmail", "")):
        problems.append("contactPoint.hasEmail must be a mailto: address")
    for key in ["license", "landingPage", "describedBy"]:
        if key in entry and not is_uri(entry[key]):
            problems.append(f"{key} must be a URI")
    if "temporal" in entry and not re.match(r"^\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}$", entry["temporal"]):  # fmt: skip
        problems.append(f"temporal {entry['temporal']!r} is not start/end")
    for distribution in entry.get("distribution", []):
        if distribution.get("@type") != "dcat:Distribution":
            problems.append("a distribution's @type must be dcat:Distribution")
        if not is_uri(distribution.get("downloadURL")):
            problems.append("a distribution's downloadURL must be an absolute URI")
        if not MEDIA_TYPE.match(distribution.get("mediaType") or ""):
            problems.append("a distribution with a downloadURL needs a mediaType")
        if not distribution.get("format"):
            problems.append("a distribution should name its format")
    return problems


def test_the_catalog_conforms_to_dcat_us_1_1(client):
    catalog = get_catalog(client)
    assert schema_problems(catalog) == []
    assert catalog["@id"] == "http://testserver/data.json"


def test_the_schema_check_finds_what_breaks_it(client):
    """The check above is not vacuous: each kind of fault it looks for is reported."""
    catalog = get_catalog(client)
    entry = catalog["dataset"][0]
    entry["bureauCode"] = ["100-55"]
    entry["contactPoint"] = {"@type": "vcard:Contact", "fn": "x", "hasEmail": "x@gsa.gov"}
    entry["modified"] = "December 1, 2026"
    entry["distribution"][0]["downloadURL"] = "/cx/data/hisps.csv"
    del entry["keyword"]
    problems = schema_problems(catalog)
    assert len(problems) == 6, problems  # lacks keyword, and keyword is not a list


def test_every_dataset_and_cx_api_file_is_listed_with_its_downloads(client):
    entries = {entry["title"]: entry for entry in get_catalog(client)["dataset"]}
    assert len(entries) == len(DATASETS) + len(ENDPOINTS)
    for name, dataset in DATASETS.items():
        entry = entries[dataset.title]
        assert entry["landingPage"] == f"http://testserver/cx/data/#{name}"
        downloads = {d["format"]: d for d in entry["distribution"]}
        assert set(downloads) == {"CSV", "JSON"}
        for fmt, media_type in [("csv", "text/csv"), ("json", "application/json")]:
            distribution = downloads[fmt.upper()]
            assert distribution["mediaType"] == media_type
            path = reverse("data:download", kwargs={"name": name, "format": fmt})
            assert distribution["downloadURL"] == f"http://testserver{path}"
            assert client.get(path).status_code == 200
    for name in ENDPOINTS:
        entry = entries[f"performance.gov CX data API: {name}.json"]
        (distribution,) = entry["distribution"]
        assert distribution["downloadURL"] == f"http://testserver/cx/data/{name}.json"
        assert distribution["mediaType"] == "application/json"


def test_dates_are_the_contents_own_and_ignore_drafts(client):
    """modified is the newest "Last updated" of the public rows, never the import's day; temporal
    spans the quarters reported. A draft, however new or late, changes neither."""
    imported_on = timezone.localdate().isoformat()
    entries = {entry["title"]: entry for entry in get_catalog(client)["dataset"]}
    surveys = entries[DATASETS["survey_results"].title]
    # The newest Touchpoints change among the surveys of the May 2023 export.
    newest = max(ServiceSurvey.objects.public().values_list("last_updated", flat=True))
    assert surveys["modified"] == timezone.localdate(newest).isoformat() < imported_on
    assert surveys["temporal"] == "2020-10-01/2022-12-31"  # FY2021 Q1 to FY2023 Q1
    assert all(entry["modified"] != imported_on for entry in entries.values())

    report = QuarterlyReport.objects.public().filter(fiscal_year=2023, quarter=1).first()
    survey = report.surveys.first()
    report.pk = report.id = None
    report.external_id, report.quarter, report.fiscal_year = None, 2, 2031
    report.status = Status.DRAFT
    report.save()
    survey.pk = survey.id = None
    survey.external_id = survey.touchpoints_id = None
    survey.report, survey.status = report, Status.DRAFT
    survey.last_updated = timezone.now() + datetime.timedelta(days=400)
    survey.save()

    after = {entry["title"]: entry for entry in get_catalog(client)["dataset"]}
    assert after[surveys["title"]]["modified"] == surveys["modified"]
    assert after[surveys["title"]]["temporal"] == surveys["temporal"]


def test_the_catalog_takes_few_queries_and_is_open_to_any_site(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(len(DATASETS) + 2):
        response = client.get("/data.json")
    assert response["Access-Control-Allow-Origin"] == "*"
