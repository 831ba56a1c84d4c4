"""Downloads at /cx/data/<name>.<format>: streamed, valid, documented, dated, and 404 for nonsense."""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from content.publishing import Status
from cxportal.data.datasets import DATASETS
from hisps.models import Agency, Hisp
from tests.data.streams import download, fetch
from tests.factories import HispFactory, ServiceFactory, SurveyResultFactory

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "json"]


def url(name, fmt):
    return reverse("data:download", kwargs={"name": name, "format": fmt})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", DATASETS)
def test_every_dataset_streams_a_valid_file_with_its_documented_fields(client, name, fmt):
    dataset = DATASETS[name]
    documented = [field.name for field in dataset.fields]
    response, body = fetch(client, url(name, fmt))

    assert response.status_code == 200
    assert response.streaming is True
    assert response["Content-Disposition"] == f'attachment; filename="{name}.{fmt}"'
    if fmt == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        reader = csv.DictReader(io.StringIO(body, newline=""))
        rows = list(reader)
        assert reader.fieldnames == documented
    else:
        assert response["Content-Type"] == "application/json"
        rows = json.loads(body)
        assert isinstance(rows, list)
        assert all(list(row) == documented for row in rows)
    # The real content fills every dataset, and the file holds every public row.
    assert len(rows) == dataset.count() > 0


def test_survey_results_carry_the_total_share_agreeing_and_mean(client):
    SurveyResultFactory(
        question_text="Zz counted question",
        strongly_disagree=10,
        disagree=20,
        neutral=30,
        agree=140,
        strongly_agree=200,
    )
    SurveyResultFactory(question_text="Zz unanswered question", **dict.fromkeys(
        ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"], 0
    ))  # fmt: skip

    rows = {r["question_text"]: r for r in download(client, "survey_results", "csv")}
    counted = rows["Zz counted question"]
    assert (counted["total"], counted["pct_agree"], counted["mean"]) == ("400", "85.0", "4.25")
    unanswered = rows["Zz unanswered question"]
    assert (unanswered["total"], unanswered["pct_agree"], unanswered["mean"]) == ("0", "", "")

    rows = {r["question_text"]: r for r in download(client, "survey_results", "json")}
    counted = rows["Zz counted question"]
    assert (counted["total"], counted["pct_agree"], counted["mean"]) == (400, 85.0, 4.25)
    assert rows["Zz unanswered question"]["mean"] is None


def test_real_survey_result_matches_the_published_figures(client):
    """VHA's outpatient email survey, FY21 Q2, question 1, as Touchpoints published it."""
    rows = download(client, "survey_results", "json")
    row = next(r for r in rows if r["touchpoints_id"] == 1 and r["question_number"] == 1)
    assert row["question_text"] == "I am satisfied with the service I received from the VA."
    assert row["hisp"] == "veterans-health-administration"
    assert (row["fiscal_year"], row["quarter"], row["period"]) == (2021, 2, "FY21 Q2")
    assert row["measure"] == "satisfied"
    assert row["volume_of_customers"] == 9707552
    assert row["total"] == 2302 + 3118 + 10615 + 55358 + 249586
    assert row["mean"] == 4.70  # Touchpoints' own point_scale for this question was 4.7


def test_lists_booleans_and_blanks_are_written_as_documented(client):
    ServiceFactory(
        name="Zz renewing a permit",
        channels=["computer", "phone"],
        designated=True,
        touchpoints_id=None,
    )
    row = next(
        r for r in download(client, "hisp_services", "csv") if r["name"] == "Zz renewing a permit"
    )
    assert row["channels"] == "computer | phone"
    assert (row["designated"], row["previously_reported"]) == ("true", "false")
    assert row["touchpoints_id"] == ""

    row = next(
        r for r in download(client, "hisp_services", "json") if r["name"] == "Zz renewing a permit"
    )
    assert row["channels"] == ["computer", "phone"]
    assert (row["designated"], row["touchpoints_id"]) == (True, None)


# Last-Modified and If-Modified-Since


def test_last_modified_is_the_newest_change_and_a_current_copy_gets_304(client):
    newest = Hisp.objects.public().latest("updated_at").updated_at
    response, _ = fetch(client, url("hisps", "csv"))
    assert parse_http_date(response["Last-Modified"]) >= int(newest.timestamp())

    again, body = fetch(
        client, url("hisps", "csv"), HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert again.status_code == 304
    assert body == ""

    earlier = http_date(parse_http_date(response["Last-Modified"]) - 60)
    stale, body = fetch(client, url("hisps", "json"), HTTP_IF_MODIFIED_SINCE=earlier)
    assert stale.status_code == 200
    assert json.loads(body)


def _last_modified(client, name="hisps"):
    response, _ = fetch(client, url(name, "csv"))
    return response["Last-Modified"]


def test_an_edit_a_withdrawal_and_a_scheduled_item_coming_due_each_refresh_the_download(client):
    start = timezone.now() + datetime.timedelta(days=1)
    with time_machine.travel(start, tick=False):
        hisp = HispFactory(name="Zz provider")
        HispFactory(name="Zz scheduled provider", publish_at=start + datetime.timedelta(hours=2))
        before = _last_modified(client)

    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        hisp.name = "Zz renamed provider"
        hisp.save()
        after_edit = _last_modified(client)
        assert parse_http_date(after_edit) > parse_http_date(before)
        names = [r["name"] for r in download(client, "hisps", "csv")]
        assert "Zz renamed provider" in names
        assert "Zz scheduled provider" not in names

    with time_machine.travel(start + datetime.timedelta(hours=3), tick=False):
        response, body = fetch(client, url("hisps", "csv"), HTTP_IF_MODIFIED_SINCE=after_edit)
        assert response.status_code == 200, "the scheduled provider is now public"
        assert "Zz scheduled provider" in body
        came_due = response["Last-Modified"]

    with time_machine.travel(start + datetime.timedelta(hours=4), tick=False):
        hisp.status = Status.DRAFT
        hisp.save()
        response, body = fetch(client, url("hisps", "csv"), HTTP_IF_MODIFIED_SINCE=came_due)
        assert response.status_code == 200, "a withdrawn row is a change"
        assert "Zz renamed provider" not in body


def test_editing_a_draft_does_not_change_the_public_date(client):
    before = _last_modified(client)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        department = Agency.objects.public().first()
        HispFactory(name="Zz draft provider", agency=department, status=Status.DRAFT)
        assert _last_modified(client) == before


def test_head_gives_the_headers_without_the_rows(client):
    response = client.head(url("survey_results", "csv"))
    assert response.status_code == 200
    assert response["Last-Modified"]
    assert response["Content-Disposition"] == 'attachment; filename="survey_results.csv"'
    assert response.content == b""


# Bad input

NONSENSE = [
    "/cx/data/nothing.csv",
    "/cx/data/hisps.xml",
    "/cx/data/hisps.csv.json",
    "/cx/data/hisps",
    "/cx/data/hisps.",
    "/cx/data/.csv",
    "/cx/data/services.csv",  # services is one of performance.gov's JSON files only
    "/cx/data/collections.csv",
    "/cx/data/hisps%00.csv",
    "/cx/data/%3Cscript%3E.json",
    "/cx/data/..%2F..%2Fsettings.csv",
    "/cx/data/hisps.json/",
]


@pytest.mark.parametrize("path", NONSENSE)
def test_unknown_datasets_and_formats_get_the_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_downloads_only_answer_reads(client):
    assert client.post(url("hisps", "csv")).status_code == 405
    assert client.post(reverse("data:cx_api", kwargs={"name": "services"})).status_code == 405
