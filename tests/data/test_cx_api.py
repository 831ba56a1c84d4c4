"""performance.gov's CX data API still works: a client like GSA's notebook gets the same records.

The test reads the four files as GSA's analytics notebook did (DATA_PREP_IM_HISP_CX.ipynb in
GSA/HISP-CX-Data): it takes `data`, flattens each item into `id`, `type` and `attributes_*`
columns, and joins the files on collection_id, service_id and service_provider_id. The merged
rows must match mergedcxdata-2023-05-21.csv, the notebook's own output from performance.gov.
"""

import csv

import pytest

from content.publishing import Status
from cxportal.data.cx_api import ATTRIBUTES, QUESTION_ATTRIBUTES, QUESTIONS
from hisps.models import Hisp, QuarterlyReport, ServiceSurvey, SurveyResult
from tests.data.streams import api, fetch

pytestmark = pytest.mark.django_db

FILES = ["service_providers", "services", "collections", "omb_cx_reporting_collections"]
MERGED = "mergedcxdata-2023-05-21.csv"
# Columns whose text must be the same, character for character.
SAME_TEXT = [
    "attributes_collection_name",
    "attributes_channel",
    "attributes_service_provided",
    "attributes_transaction_point",
    "attributes_omb_control_number",
    "attributes_federal_register_url",
    "attributes_operational_metrics",
    "attributes_created_at",
    "attributes_updated_at",
    "attributes_service_slug",
]
VOLUMES = [
    "attributes_volume_of_customers",
    "attributes_volume_of_customers_provided_survey_opportunity",
    "attributes_volume_of_respondents",
]


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


def merged_rows(client) -> dict[str, dict]:
    """The four files flattened and joined as the notebook joined them, by survey id."""
    files = {name: {item["id"]: flatten(item) for item in api(client, name)} for name in FILES}
    merged = {}
    for ident, row in files["omb_cx_reporting_collections"].items():
        merged[ident] = {
            **row,
            "collection": files["collections"].get(str(row["attributes_collection_id"])),
            "service": files["services"].get(str(row["attributes_service_id"])),
            "service_provider": files["service_providers"].get(
                str(row["attributes_service_provider_id"])
            ),
        }
    return merged


@pytest.fixture(scope="module")
def reference(data_dir):
    with (data_dir / MERGED).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def number(text: str):
    """The CSV's numbers as pandas wrote them: "9707552.0" for a count, "" for none."""
    return None if text == "" else float(text)


def test_merged_files_match_performance_govs_data_for_every_record(client, reference):
    merged = merged_rows(client)
    assert sorted(merged, key=int) == sorted((row["id"] for row in reference), key=int)

    for expected in reference:
        row = merged[expected["id"]]
        where = f"survey {expected['id']}"
        assert row["type"] == expected["type"] == "omb_cx_reporting_collections"
        for ident in ["service_provider_id", "collection_id", "service_id"]:
            column = f"attributes_{ident}"
            assert row[column] == int(expected[column]), (where, column)

        # Each join found its record, and the joined records agree with the survey.
        collection, service, provider = row["collection"], row["service"], row["service_provider"]
        assert collection and service and provider, where
        assert collection["attributes_year"] == int(expected["attributes_collection_year"])
        assert collection["attributes_quarter"] == int(expected["attributes_collection_quarter"])
        assert collection["attributes_service_provider_id"] == row["attributes_service_provider_id"]
        assert (row["attributes_collection_year"], row["attributes_collection_quarter"]) == (
            int(expected["attributes_collection_year"]),
            int(expected["attributes_collection_quarter"]),
        )
        assert provider["attributes_name"] == expected["attributes_service_provider_name"]
        # The CSV keeps stray spaces around a few service names; this site trims them.
        assert service["attributes_name"] == expected["attributes_service_name"].strip()
        assert row["attributes_service_name"] == service["attributes_name"]

        for column in VOLUMES:
            assert row[column] == number(expected[column]), (where, column)
        for column in SAME_TEXT:
            assert (row[column] or "") == expected[column], (where, column)

        for q in QUESTIONS:
            text = f"attributes_q{q}_text"
            # A question slot the agency left blank has empty text here. In the CSV, six such
            # slots hold a single space (and zero counts): whitespace alone counts as blank.
            wanted = expected[text] if expected[text].strip() else ""
            assert row[text] == wanted, (where, text)
            for point in range(1, 6):
                column = f"attributes_q{q}_{point}"
                assert row[column] == int(expected[column]), (where, column)


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
