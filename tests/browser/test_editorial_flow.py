"""The whole editorial flow in Chromium, as its users go through it:

1. an agency editor signs in, edits its provider's text, uploads a quarter's CSV and submits it
   for review;
2. an OMB publisher signs in, closes the quarter, previews it, publishes it, and sees it on the
   public pages.

axe-core reports zero WCAG 2.1 A/AA violations on every admin screen the flow passes through.

Like the upload's browser test, this one writes: the live server must see the users, the open
quarter and what they do, so the fixture commits them from a thread of its own, in a quarter no
other test uses (FY32 Q4), and puts everything back afterwards (ADR 0013).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from content.models import ShareLink, Upload
from cxportal.roles import AGENCY_EDITOR, OMB_PUBLISHER
from hisps.models import (
    Agency,
    AgencyEditor,
    Hisp,
    QuarterlyReport,
    ReportingPeriod,
)
from tests.browser.conftest import axe_violations, committed
from tests.browser.test_upload import delete_quarter, vha_trust_file

YEAR, QUARTER = 2032, 4
PASSWORD = "a long test passphrase 2032"
EDITOR, PUBLISHER = "flow-agency-editor", "flow-publisher"
HISP = "veterans-health-administration"
NEW_TEXT = "We answer **every** veteran's call within a day."


def _setup():
    _teardown()
    ReportingPeriod.objects.create(fiscal_year=YEAR, quarter=QUARTER, status="open")
    users = get_user_model().objects
    editor = users.create_user(EDITOR, password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=AGENCY_EDITOR))
    AgencyEditor.objects.create(user=editor, agency=Agency.objects.get(slug="va"))
    publisher = users.create_user(PUBLISHER, password=PASSWORD, is_staff=True)
    publisher.groups.add(Group.objects.get(name=OMB_PUBLISHER))
    hisp = Hisp.objects.get(slug=HISP)
    # Its "Last updated" too: the flow publishes the provider, and later tests (e.g. the data
    # catalog's dates) read the imported date.
    return {
        "description": hisp.description,
        "last_updated": hisp.last_updated,
        "history": hisp.history.count(),
    }


def _teardown(original=None):
    delete_quarter(YEAR, QUARTER)
    hisp = Hisp.objects.get(slug=HISP)
    if original is not None:
        Hisp.objects.filter(pk=hisp.pk).update(
            description=original["description"], last_updated=original["last_updated"]
        )
        extra = hisp.history.order_by("-history_id")[: hisp.history.count() - original["history"]]
        hisp.history.filter(history_id__in=[row.history_id for row in extra]).delete()
    for user in get_user_model().objects.filter(username__in=[EDITOR, PUBLISHER]):
        Upload.objects.filter(user=user).delete()
        ShareLink.objects.filter(created_by=user).delete()
        user.delete()


@pytest.fixture
def flow(live_site):
    original = committed(_setup)
    try:
        yield original
    finally:
        committed(lambda: _teardown(original))
        hisp = committed(lambda: Hisp.objects.get(slug=HISP))
        assert hisp.description == original["description"]
        assert hisp.last_updated == original["last_updated"]
        assert not committed(
            lambda: QuarterlyReport.objects.filter(fiscal_year=YEAR, quarter=QUARTER).exists()
        )


def checked(page, axe, where):
    report = axe_violations(axe, page)
    assert not report, f"{where}:\n{report}"


def sign_in(page, axe, base, username):
    page.context.clear_cookies()
    page.goto(base + "/admin/")
    checked(page, axe, "the sign-in page")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    checked(page, axe, "the admin index")


def test_an_agency_editor_reports_a_quarter_and_a_publisher_publishes_it(
    _site_server, flow, page, axe
):
    base = _site_server.url
    hisp = committed(lambda: Hisp.objects.get(slug=HISP))

    # 1. The agency editor: its provider's text, the quarter's file, and review.
    sign_in(page, axe, base, EDITOR)
    page.goto(f"{base}/admin/hisps/hisp/{hisp.pk}/change/")
    checked(page, axe, "the provider's form")
    page.get_by_label("Description").fill(NEW_TEXT)
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.goto(base + "/admin/hisps/quarterlyreport/upload/")
    checked(page, axe, "the upload form")
    page.locator("#id_file").set_input_files(
        files=[{"name": "va-fy32-q4.csv", "mimeType": "text/csv", "buffer": vha_trust_file(4)}]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    checked(page, axe, "the upload's preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Save these rows as drafts").click()
    checked(page, axe, "the upload's result")
    with page.expect_navigation():
        page.get_by_role("button", name="Submit these for review").click()
    assert "Submitted for review" in page.locator(".messagelist").inner_text()

    # The public site: the text changed at once (a published provider), the quarter did not.
    page.goto(base + hisp.get_absolute_url())
    assert "every" in page.locator("strong").all_inner_texts()
    page.goto(base + "/cx/hisps/")
    assert "FY32 Q4" not in page.content()

    # 2. The OMB publisher: close, preview, publish.
    sign_in(page, axe, base, PUBLISHER)
    period = committed(lambda: ReportingPeriod.objects.get(fiscal_year=YEAR, quarter=QUARTER))
    page.goto(f"{base}/admin/hisps/reportingperiod/{period.pk}/change/")
    checked(page, axe, "the period's form")
    page.get_by_label("State").select_option("closed")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    page.goto(f"{base}/admin/hisps/reportingperiod/{period.pk}/publish/")
    checked(page, axe, "the period's preview and publish page")
    assert "Providers that have not reported" in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name="The HISP directory").click()
    assert page.get_by_role("region", name="Preview — FY32 Q4 not published").is_visible()
    assert "Reporting status in FY32 Q4" in page.content()
    checked(page, axe, "the directory's preview")
    page.go_back()

    page.get_by_label("Publish now").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish FY32 Q4").click()
    message = page.locator(".messagelist").inner_text()
    assert "FY32 Q4 was published" in message and "1 quarterly report," in message
    checked(page, axe, "the periods' list")

    # Public, for everyone, at once.
    page.context.clear_cookies()
    page.goto(base + "/cx/hisps/")
    assert "Reporting status in FY32 Q4" in page.content()
    page.goto(base + hisp.get_absolute_url())
    assert "FY32 Q4" in page.content()
