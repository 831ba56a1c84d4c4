"""Reporting periods: a quarter's HISP data is entered while its period is open, changes nothing
on the public site, and appears everywhere at once when an OMB publisher publishes the period,
now or at a scheduled time (no job runs: the clock is moved)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from hisps.models import CxMeasure, Hisp, QuarterlyReport, ReportingPeriod
from tests.data.streams import download, fetch
from tests.factories import (
    QuarterlyReportFactory,
    ReportingPeriodFactory,
    ServiceSurveyFactory,
    SurveyResultFactory,
)

pytestmark = pytest.mark.django_db

IN_REVIEW = {"status": Status.IN_REVIEW}
QUESTION = "Zq31 I trust the example agency."


@pytest.fixture
def quarter():
    """FY31 Q1, open, with one real provider's report, survey and trust result in review, and
    a second provider's draft report (which publishing leaves a draft)."""
    period = ReportingPeriodFactory(fiscal_year=2031, quarter=1, status="open", publish_at=None)
    hisp, other = Hisp.objects.public().filter(active=True, services__isnull=False).distinct()[:2]
    report = QuarterlyReportFactory(hisp=hisp, fiscal_year=2031, quarter=1, **IN_REVIEW)
    survey = ServiceSurveyFactory(
        report=report, service=hisp.services.first(), volume_of_respondents=31_031, **IN_REVIEW
    )
    SurveyResultFactory(
        survey=survey,
        question_number=2,
        question_text=QUESTION,
        measure=CxMeasure.objects.get(key="trust"),
        **IN_REVIEW,
    )
    draft = QuarterlyReportFactory(
        hisp=other, fiscal_year=2031, quarter=1, status=Status.DRAFT, reflection="Zq31 draft."
    )
    return {"period": period, "hisp": hisp, "report": report, "draft": draft}


def surfaces(client, hisp) -> dict:
    """What the public sees of HISP reporting: directory, home, the provider, downloads."""
    return {
        "directory": client.get(reverse("hisps:list")).content.decode(),
        "home": client.get("/").content.decode(),
        "profile": client.get(hisp.get_absolute_url()).content.decode(),
        "csv": fetch(client, reverse("hisp_results_csv", kwargs={"slug": hisp.slug}))[1],
        "results": str(download(client, "survey_results", "csv")),
        "reports": str(download(client, "quarterly_reports", "csv")),
    }


def assert_quarter_absent(seen: dict):
    for name, body in seen.items():
        assert "FY31 Q1" not in body and QUESTION not in body, name


def publish_page(period):
    return reverse("admin:hisps_reportingperiod_publish", args=[period.pk])


def close(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(status="closed")


def test_an_open_quarter_changes_nothing_public_then_appears_all_at_once(publisher, quarter):
    public = Client()
    hisp = quarter["hisp"]
    before = surfaces(public, hisp)
    assert "Reporting status in FY23 Q1" in before["directory"]
    assert_quarter_absent(before)

    close(quarter["period"])
    assert_quarter_absent(surfaces(public, hisp))  # closed for review: still nothing

    response = publisher.post(publish_page(quarter["period"]), {"when": "now"})
    assert response.status_code == 302

    after = surfaces(public, hisp)
    assert "Reporting status in FY31 Q1" in after["directory"]
    assert "FY31 Q1" in after["home"]
    assert QUESTION in after["csv"] and QUESTION in after["results"]
    assert "FY31 Q1" in after["profile"]
    assert "FY31 Q1" in after["reports"]
    # The draft was not asked to be published: it stays a draft, and off the site.
    quarter["draft"].refresh_from_db()
    assert quarter["draft"].status == Status.DRAFT
    assert (
        "Zq31 draft." not in public.get(quarter["draft"].hisp.get_absolute_url()).content.decode()
    )
    # Who and why are on record.
    report = QuarterlyReport.objects.get(pk=quarter["report"].pk)
    latest = report.history.first()
    assert latest.history_user == publisher.user
    assert "FY31 Q1 reporting period" in latest.history_change_reason


def test_a_scheduled_quarter_goes_live_at_its_time_with_no_job(publisher, quarter):
    close(quarter["period"])
    at = timezone.localtime() + datetime.timedelta(days=3)
    response = publisher.post(
        publish_page(quarter["period"]),
        {"when": "later", "publish_at": at.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert "FY31 Q1 is scheduled for" in publisher.get(response["Location"]).content.decode()
    listing = publisher.get(reverse("admin:hisps_reportingperiod_changelist")).content.decode()
    assert "Scheduled for" in listing

    public = Client()
    assert_quarter_absent(surfaces(public, quarter["hisp"]))
    with time_machine.travel(at + datetime.timedelta(minutes=1)):
        after = surfaces(public, quarter["hisp"])
        assert "Reporting status in FY31 Q1" in after["directory"]
        assert QUESTION in after["csv"]


def test_the_preview_shows_the_directory_as_it_will_look_and_who_has_not_reported(
    publisher, quarter
):
    close(quarter["period"])
    page = publisher.get(publish_page(quarter["period"])).content.decode()
    active = Hisp.objects.public().filter(active=True).count()
    assert f"Providers that have not reported ({active - 1} of {active})" in page
    assert quarter["draft"].hisp.name in page  # a draft report is not a report

    preview = reverse("admin:hisps_reportingperiod_preview", args=[quarter["period"].pk])
    response = publisher.get(preview, {"path": reverse("hisps:list")})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Preview — FY31 Q1 not published" in body
    assert "Reporting status in FY31 Q1" in body
    assert "noindex" in response["X-Robots-Tag"]
    # Nothing was written.
    quarter["period"].refresh_from_db()
    assert quarter["period"].status == "closed"
    assert QuarterlyReport.objects.get(pk=quarter["report"].pk).status == Status.IN_REVIEW
    assert_quarter_absent(surfaces(Client(), quarter["hisp"]))
    # The preview shows only pages of the public site.
    assert publisher.get(preview, {"path": "/admin/"}).status_code == 404
    assert publisher.get(preview, {"path": "https://example.com/"}).status_code == 404


def test_an_open_quarter_cannot_be_published_until_closed(publisher, quarter):
    response = publisher.post(publish_page(quarter["period"]), {"when": "now"})
    assert response.status_code == 200
    assert "still open for reporting" in response.content.decode()
    quarter["period"].refresh_from_db()
    assert quarter["period"].status == "open"


def test_a_scheduled_time_in_the_past_is_refused(publisher, quarter):
    close(quarter["period"])
    response = publisher.post(
        publish_page(quarter["period"]), {"when": "later", "publish_at": "2020-01-01T09:00"}
    )
    assert "Choose a time in the future" in response.content.decode()
    quarter["period"].refresh_from_db()
    assert quarter["period"].status == "closed"


@pytest.mark.parametrize("role", ["omb_editor", "agency_editor"])
def test_only_publishers_publish_open_or_close_a_period(request, role, quarter):
    client = request.getfixturevalue(role)
    close(quarter["period"])
    for url in (
        publish_page(quarter["period"]),
        reverse("admin:hisps_reportingperiod_preview", args=[quarter["period"].pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(publish_page(quarter["period"]), {"when": "now"}).status_code == 403
    change = reverse("admin:hisps_reportingperiod_change", args=[quarter["period"].pk])
    client.post(change, {"status": "open", "note": ""})
    add = reverse("admin:hisps_reportingperiod_add")
    assert (
        client.post(add, {"fiscal_year": 2032, "quarter": 1, "status": "open"}).status_code == 403
    )
    quarter["period"].refresh_from_db()
    assert quarter["period"].status == "closed"
    assert not ReportingPeriod.objects.filter(fiscal_year=2032).exists()
    # Each role sees which quarter is open.
    assert client.get(reverse("admin:hisps_reportingperiod_changelist")).status_code == 200


def test_a_publisher_opens_and_closes_a_period(publisher):
    add = reverse("admin:hisps_reportingperiod_add")
    response = publisher.post(add, {"fiscal_year": 2032, "quarter": 2, "status": "open"})
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(fiscal_year=2032, quarter=2)
    assert period.status == "open"
    change = reverse("admin:hisps_reportingperiod_change", args=[period.pk])
    assert publisher.post(change, {"status": "closed", "note": ""}).status_code == 302
    period.refresh_from_db()
    assert period.status == "closed"
    # Publishing is its own page, with the preview first.
    publisher.post(change, {"status": "published", "note": ""})
    period.refresh_from_db()
    assert period.status == "closed"


def test_agency_editors_enter_data_only_into_an_open_period(agency_editor, own):
    report = own["hisps.QuarterlyReport"]  # FY31 Q1, open
    change = reverse("admin:hisps_quarterlyreport_change", args=[report.pk])
    assert b'name="rating_note"' in agency_editor.get(change).content

    ReportingPeriod.objects.filter(fiscal_year=2031, quarter=1).update(status="closed")
    page = agency_editor.get(change).content.decode()
    assert 'name="rating_note"' not in page  # read only now
    agency_editor.post(change, {"hisp": report.hisp_id, "fiscal_year": 2031, "quarter": 1,
                                "rating": "", "rating_note": "Changed late", "status": "draft"})  # fmt: skip
    report.refresh_from_db()
    assert report.rating_note != "Changed late"

    ReportingPeriodFactory(fiscal_year=2032, quarter=1, status="open", publish_at=None)
    add = reverse("admin:hisps_quarterlyreport_add")
    response = agency_editor.post(
        add,
        {
            "hisp": report.hisp_id,
            "fiscal_year": 2031,
            "quarter": 2,
            "rating": "",
            "rating_note": "",
            "reflection": "",
            "status": "draft",
            "publish_at_0": "2031-01-01",
            "publish_at_1": "09:00",
            "surveys-TOTAL_FORMS": 0,
            "surveys-INITIAL_FORMS": 0,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "FY31 Q2 is not open for reporting" in page
    assert "Open for reporting now: FY32 Q1" in page
    assert not QuarterlyReport.objects.filter(hisp=report.hisp, quarter=2).exists()
