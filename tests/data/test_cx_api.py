"""performance.gov's CX data API still works: a client like GSA's notebook gets the same records.

The test reads the four files as GSA's analytics notebook did (DATA_PREP_IM_HISP_CX.ipynb in
GSA/HISP-CX-Data): it takes `data`, flattens each item into `id`, `type` and `attributes_*`
columns, and joins the files on collection_id, service_id and service_provider_id (and a client
may join on organization_id). Every attribute of every record, and its JSON type, must match
mergedcxdata-2023-05-21.csv, the notebook's own output from performance.gov.
"""

import csv
from collections import Counter

import pytest

from content.publishing import Status
from cxportal.data.cx_api import ATTRIBUTES, QUESTION_ATTRIBUTES, QUESTIONS
from hisps.models import Hisp, QuarterlyReport, ServiceSurvey, SurveyResult
from tests.data.streams import api, fetch

pytestmark = pytest.mark.django_db

FILES = ["service_providers", "services", "collections", "omb_cx_reporting_collections"]
MERGED = "mergedcxdata-2023-05-21.csv"
# The attributes Touchpoints typed as whole numbers (its integer columns). The CSV writes a few as
# "9707552.0", as pandas does for a column with gaps. The means, q<n>_point_scale, are decimals;
# every other attribute is text.
WHOLE_NUMBERS = {
    "organization_id",
    "service_provider_id",
    "collection_id",
    "collection_year",
    "collection_quarter",
    "service_id",
    "volume_of_customers",
    "volume_of_customers_provided_survey_opportunity",
    "volume_of_respondents",
    *(f"q{q}_{point}" for q in QUESTIONS for point in range(1, 6)),
}


def flatten(value, prefix=""):
    """The notebook's flatten_json: nested keys joined with "_", list items numbered."""
    out = {}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(flatten(item, f"{prefix}{key}_"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.update(flatten(item, f"{prefix}{index}_"))
    else:
        out[prefix[:-1]] = value
    return out


def flattened_files(client) -> dict[str, dict[str, dict]]:
    """The four files as the notebook reads them: {file: {id: flattened item}}."""
    return {name: {item["id"]: flatten(item) for item in api(client, name)} for name in FILES}


@pytest.fixture(scope="module")
def reference(data_dir):
    with (data_dir / MERGED).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def typed(attribute: str, text: str):
    """The value performance.gov's JSON held, from its CSV cell: an empty cell is null."""
    if text == "":
        return None
    if attribute in WHOLE_NUMBERS:
        return int(float(text))
    if attribute.endswith("_point_scale"):
        return float(text)
    return text


def differences(served: dict, expected: dict) -> list:
    """(attribute, served, expected) for each attributes_* column of the export that differs in
    value or type. Text may be null where the CSV cell is empty: CSV cannot tell them apart."""
    found = []
    for column, text in expected.items():
        if not column.startswith("attributes_"):
            continue
        attribute = column.removeprefix("attributes_")
        want, got = typed(attribute, text), served.get(column, "(missing)")
        if want is None and got in (None, "") and attribute not in WHOLE_NUMBERS:
            continue
        if type(got) is not type(want) or got != want:
            found.append((attribute, got, want))
    return found


def test_every_attribute_of_every_record_is_performance_govs(client, reference):
    """Values and JSON types alike: ids and counts are numbers, means decimals, text unaltered
    (a stray space included), and the Touchpoints organization of each record is kept."""
    surveys = flattened_files(client)["omb_cx_reporting_collections"]
    assert sorted(surveys, key=int) == sorted((row["id"] for row in reference), key=int)
    wrong = {}
    for expected in reference:
        served = surveys[expected["id"]]
        assert served["type"] == expected["type"] == "omb_cx_reporting_collections"
        if found := differences(served, expected):
            wrong[expected["id"]] = found
    attributes = Counter(attribute for found in wrong.values() for attribute, _, _ in found)
    assert not wrong, f"{len(wrong)} records differ: {attributes}; e.g. {list(wrong.items())[:3]}"


def test_the_notebooks_joins_find_performance_govs_rows(client, reference):
    """GSA's notebook joined the files on collection_id, service_id and service_provider_id; a
    client may join on organization_id too. Each join finds the same rows as on performance.gov."""
    files = flattened_files(client)
    surveys, collections = files["omb_cx_reporting_collections"], files["collections"]
    services, providers = files["services"], files["service_providers"]
    by_organization: dict[int, set] = {}
    for expected in reference:
        where = f"survey {expected['id']}"
        row = surveys[expected["id"]]
        collection = collections[str(row["attributes_collection_id"])]
        service = services[str(row["attributes_service_id"])]
        provider = providers[str(row["attributes_service_provider_id"])]
        assert (collection["attributes_year"], collection["attributes_quarter"]) == (
            int(expected["attributes_collection_year"]),
            int(expected["attributes_collection_quarter"]),
        ), where
        assert collection["attributes_service_provider_id"] == row["attributes_service_provider_id"]
        # A collection belongs to the organization its records name (FWS, not DOI, from FY23 Q1).
        for attribute in ["organization_id", "organization_name", "organization_abbreviation"]:
            column = f"attributes_{attribute}"
            assert collection[column] == row[column] == typed(attribute, expected[column]), where
        assert provider["attributes_name"] == expected["attributes_service_provider_name"], where
        assert service["attributes_name"] == expected["attributes_service_name"], where
        by_organization.setdefault(row["attributes_organization_id"], set()).add(expected["id"])

    wanted: dict[int, set] = {}
    for expected in reference:
        wanted.setdefault(int(expected["attributes_organization_id"]), set()).add(expected["id"])
    assert by_organization == wanted
    assert {2129, 2138, 2128}.issubset(wanted)
    # Providers and services name the organization as Touchpoints did: VHA and VBA are both VA's.
    for provider_id in ["21", "22"]:
        attributes = providers[provider_id]
        assert attributes["attributes_organization_id"] == 2129
        assert attributes["attributes_organization_name"] == "Department of Veterans Affairs"
        assert attributes["attributes_organization_abbreviation"] == "VA"
    for service in services.values():
        provider = providers[str(service["attributes_service_provider_id"])]
        assert service["attributes_organization_id"] == provider["attributes_organization_id"]
        assert isinstance(service["attributes_organization_id"], int)


def test_each_collection_lists_its_surveys(client):
    collections = api(client, "collections")
    surveys = {
        item["id"]: item["attributes"] for item in api(client, "omb_cx_reporting_collections")
    }
    listed = []
    for collection in collections:
        links = collection["relationships"]["omb_cx_reporting_collections"]["data"]
        assert links, collection["id"]
        for link in links:
            assert link["type"] == "omb_cx_reporting_collections"
            assert surveys[link["id"]]["collection_id"] == int(collection["id"])
            listed.append(link["id"])
    assert sorted(listed) == sorted(surveys), "every survey is in exactly one collection"
    # The first report of VHA: FY21 Q2, January to March 2021, rated in line.
    first = next(c for c in collections if c["id"] == "1")["attributes"]
    assert (first["start_date"], first["end_date"]) == ("2021-01-01", "2021-03-31")
    assert first["rating"] == "TRUE"
    assert first["reflection"].startswith("The insights collected digitally enabled veter")


@pytest.mark.parametrize("name", FILES)
def test_each_file_has_the_touchpoints_shape_and_documented_attributes(client, name):
    response, _ = fetch(client, f"/cx/data/{name}.json")
    assert response.streaming is True
    assert response["Content-Type"] == "application/json"
    assert response["Last-Modified"]
    documented = ATTRIBUTES[name]
    if name == "omb_cx_reporting_collections":
        at = documented.index(QUESTION_ATTRIBUTES)
        questions = [f"q{q}_{part}" for q in QUESTIONS for part in ["text", 1, 2, 3, 4, 5, "point_scale"]]  # fmt: skip
        documented = documented[:at] + questions + documented[at + 1 :]
    items = api(client, name)
    assert items
    for item in items:
        assert item["type"] == name
        assert isinstance(item["id"], str) and item["id"].isdigit()
        assert list(item["attributes"]) == documented


def test_point_scale_is_the_mean_of_the_counts(client):
    item = next(i for i in api(client, "omb_cx_reporting_collections") if i["id"] == "1")
    attributes = item["attributes"]
    counts = [attributes[f"q1_{point}"] for point in range(1, 6)]
    mean = sum(point * count for point, count in enumerate(counts, 1)) / sum(counts)
    assert attributes["q1_point_scale"] == round(mean, 2) == 4.70
    assert attributes["q8_text"] == "" and attributes["q8_point_scale"] is None


def _provider_everywhere(client, provider_id: int) -> dict[str, int]:
    """How many items of each file belong to the provider with this Touchpoints id."""
    found = {}
    for name in FILES:
        items = api(client, name)
        if name == "service_providers":
            found[name] = sum(1 for item in items if item["id"] == str(provider_id))
        else:
            found[name] = sum(
                1 for item in items if item["attributes"]["service_provider_id"] == provider_id
            )
    return found


@pytest.mark.parametrize("hide", ["status", "publish_at"])
def test_a_hidden_hisps_surveys_vanish_from_all_four_files(client, hide, reference):
    vha = Hisp.objects.get(touchpoints_id=21)
    surveys = sum(1 for row in reference if row["attributes_service_provider_id"] == "21")
    assert _provider_everywhere(client, 21)["omb_cx_reporting_collections"] == surveys > 0

    if hide == "status":
        vha.status = Status.DRAFT
    else:
        vha.publish_at = vha.publish_at.replace(year=2100)
    vha.save()

    assert _provider_everywhere(client, 21) == dict.fromkeys(FILES, 0)
    assert len(api(client, "omb_cx_reporting_collections")) == len(reference) - surveys


def test_a_draft_report_or_survey_vanishes_and_a_draft_question_leaves_a_blank_slot(client):
    report = QuarterlyReport.objects.filter(surveys__touchpoints_collection_id=1).distinct().get()
    survey = ServiceSurvey.objects.get(touchpoints_id=2)  # FSA, collection 2
    SurveyResult.objects.filter(survey__touchpoints_id=3, question_number=1).update(
        status=Status.DRAFT
    )
    report.status = Status.DRAFT
    report.save()
    survey.status = Status.DRAFT
    survey.save()

    collections = {item["id"] for item in api(client, "collections")}
    surveys = {item["id"]: item["attributes"] for item in api(client, "omb_cx_reporting_collections")}  # fmt: skip
    assert "1" not in collections and "1" not in surveys
    assert "2" not in surveys and "3" in surveys
    assert (surveys["3"]["q1_text"], surveys["3"]["q1_5"], surveys["3"]["q1_point_scale"]) == (
        "",
        0,
        None,
    )
    assert surveys["3"]["q2_text"]
