"""The quarterly data upload in Chromium, as an agency editor: the form, a bad file's problems, a
clean file's preview and the result page, each with no axe-core violations (WCAG 2.1 A/AA).

Unlike the other browser tests this one writes: the live server saves the upload, so it must see
the editor, its agency and the open quarter, which the test's transaction would hide. The fixture
commits them from a thread of its own, in a quarter no other test uses (FY32 Q3), and deletes them,
and what the upload saved, afterwards (ADR 0013).
"""

import csv
import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client

from content.models import Upload
from cxportal.roles import AGENCY_EDITOR
from hisps.models import (
    Agency,
    AgencyEditor,
    QuarterlyReport,
    ReportingPeriod,
    ServiceSurvey,
    SurveyResult,
)
from tests.browser.conftest import axe_violations, committed

YEAR, QUARTER = 2032, 3
UPLOAD = "/admin/hisps/quarterlyreport/upload/"
EDITOR = "browser-agency-editor"


def vha_trust_file(quarter=QUARTER) -> bytes:
    """The Veterans Health Administration's real trust scores of FY2022, moved to FY32 Q3."""
    path = settings.BASE_DIR / "data" / "performance_gov" / "trust_scores.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [
            r for r in reader if r["service_provider_id"] == "21" and r["fiscal_year"] == "2022"
        ][:1]
    for row in rows:
        row["fiscal_year"], row["quarter"] = str(YEAR), str(quarter)
    out = io.StringIO()
    writer = csv.DictWriter(out, reader.fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def delete_quarter(year=YEAR, quarter=QUARTER):
    """The quarter's period, reports, surveys and results, and their history: what a browser test
    committed (and the upload saved) in a quarter of its own."""
    reports = QuarterlyReport.objects.filter(fiscal_year=year, quarter=quarter)
    surveys = ServiceSurvey.objects.filter(report__in=reports)
    report_ids = list(reports.values_list("pk", flat=True))
    survey_ids = list(surveys.values_list("pk", flat=True))
    SurveyResult.objects.filter(survey__in=survey_ids).delete()
    surveys.delete()
    reports.delete()
    SurveyResult.history.filter(survey_id__in=survey_ids).delete()
    ServiceSurvey.history.filter(report_id__in=report_ids).delete()
    QuarterlyReport.history.filter(fiscal_year=year, quarter=quarter).delete()
    ReportingPeriod.objects.filter(fiscal_year=year, quarter=quarter).delete()
    ReportingPeriod.history.filter(fiscal_year=year, quarter=quarter).delete()


def _make_editor():
    delete_quarter()
    ReportingPeriod.objects.create(fiscal_year=YEAR, quarter=QUARTER, status="open")
    user = get_user_model().objects.create_user(EDITOR, is_staff=True)
    user.groups.add(Group.objects.get(name=AGENCY_EDITOR))
    AgencyEditor.objects.create(user=user, agency=Agency.objects.get(slug="va"))
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _delete_editor():
    delete_quarter()
    user = get_user_model().objects.filter(username=EDITOR).first()
    if user is None:
        return
    Upload.objects.filter(user=user).delete()
    mine = [
        s.pk for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    user.delete()


@pytest.fixture
def signed_in_editor(live_site):
    """The session cookie of a committed agency editor of the VA, with FY32 Q3 open; all of it,
    and whatever the upload saved, is deleted afterwards."""
    committed(_delete_editor)
    try:
        yield committed(_make_editor)
    finally:
        committed(_delete_editor)
        assert committed(_leftovers) == 0


def _leftovers() -> int:
    return (
        QuarterlyReport.objects.filter(fiscal_year=YEAR, quarter=QUARTER).count()
        + QuarterlyReport.history.filter(fiscal_year=YEAR, quarter=QUARTER).count()
        + ReportingPeriod.objects.filter(fiscal_year=YEAR, quarter=QUARTER).count()
        + get_user_model().objects.filter(username=EDITOR).count()
        + Upload.objects.count()
    )


def choose_and_check(page, content: bytes):
    page.locator("#id_file").set_input_files(
        files=[{"name": "fy32-q3.csv", "mimeType": "text/csv", "buffer": content}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()


def test_an_agency_editor_uploads_a_bad_then_a_clean_file(
    _site_server, signed_in_editor, page, axe
):
    base = _site_server.url
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": signed_in_editor, "url": base}]
    )
    assert page.goto(base + UPLOAD).status == 200
    assert page.get_by_label("CSV file").is_visible()
    assert page.locator("h1").inner_text() == "Upload quarterly data"
    report = axe_violations(axe, page)
    assert not report, report

    choose_and_check(page, vha_trust_file(quarter=5))
    summary = page.get_by_role("alert")
    assert "1 problem in fy32-q3.csv" in summary.inner_text()
    problems = page.get_by_role("table", name="Problems in fy32-q3.csv")
    assert problems.get_by_role("rowheader").all_inner_texts() == ["2"]
    assert "5 is not a quarter" in problems.inner_text()
    # The summary's link leads to the problem's row.
    summary.get_by_role("link").click()
    assert page.evaluate("location.hash") == "#problem-1"
    assert page.get_by_role("button", name="Save these rows as drafts").count() == 0
    report = axe_violations(axe, page)
    assert not report, report

    choose_and_check(page, vha_trust_file())
    assert page.get_by_role("alert").count() == 0
    table = page.get_by_role("table", name="The surveys in fy32-q3.csv, as saving will write them")
    assert "Veterans Health Administration" in table.inner_text()
    report = axe_violations(axe, page)
    assert not report, report

    with page.expect_navigation():
        page.get_by_role("button", name="Save these rows as drafts").click()
    assert page.locator("h1").inner_text() == "Saved as drafts"
    assert "Draft" in page.get_by_role("table", name="The surveys this upload saved").inner_text()
    report = axe_violations(axe, page)
    assert not report, report

    with page.expect_navigation():
        page.get_by_role("button", name="Submit these for review").click()
    assert "Submitted for review" in page.locator(".messagelist").inner_text()
    assert (
        "In review" in page.get_by_role("table", name="The surveys this upload saved").inner_text()
    )
