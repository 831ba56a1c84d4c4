"""The quarterly milestone report screen in Chromium, as an OMB publisher: the screen, its error
summary and its preview pages have no axe-core violations (WCAG 2.1 A/AA).

The live server sees committed rows only (docs/decisions/0004), so this module commits one
publisher account and its session for its own tests and deletes both afterwards. The tests write
no content: the preview is rolled back, and the only form sent for real is refused as invalid.
"""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from cxportal.roles import OMB_PUBLISHER
from milestones.models import Milestone, MilestoneUpdate
from priorities.models import PriorityArea, ProgressUpdate
from tests.browser.conftest import axe_violations

SUMMARY = "Zqx browser summary: the agencies published their plans."


@pytest.fixture(scope="module")
def signed_in_publisher(django_db_setup, django_db_blocker):
    """A committed OMB publisher and a session for it: (the session cookie, the user's id)."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_user("browser-publisher", is_staff=True)
        user.groups.add(Group.objects.get(name=OMB_PUBLISHER))
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
    yield session.session_key
    with django_db_blocker.unblock():
        SessionStore(session_key=session.session_key).delete()
        user.delete()


@pytest.fixture
def publisher_page(browser, live_site, signed_in_publisher):
    """A desktop page signed in as the publisher, failing on any console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in_publisher,
                "url": live_site.url,
            }
        ]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def test_the_screen_and_its_preview_pass_axe(live_site, publisher_page, axe):
    page = publisher_page
    area = PriorityArea.objects.get(slug="cx")
    plans = Milestone.objects.get(external_id="pma2021-cx-s1-m3")
    counts = (ProgressUpdate.objects.count(), MilestoneUpdate.objects.count())
    url = reverse("admin:priorities_priorityarea_quarterly_report", args=[area.pk])

    response = page.goto(live_site.url + url)
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Quarterly milestone report: Customer Experience"
    assert not axe_violations(axe, page)

    page.get_by_role("textbox", name="Summary text").fill(SUMMARY)
    page.get_by_label(f"New status of “{plans.title}”").select_option("complete")
    page.get_by_label(f"Note on “{plans.title}”").fill("All the plans are in.")

    # Scheduling with no time is refused, with an error summary that links to the field.
    page.get_by_role("button", name="Schedule for that time").click()
    summary = page.get_by_role("alert")
    assert "Choose the day and time to publish it." in summary.inner_text()
    assert not axe_violations(axe, page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_schedule-publish_at"

    # The preview opens in a new tab: the area's page with the summary, then a strategy page.
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Preview the pages (opens in a new tab)").click()
    preview = opened.value
    preview.wait_for_load_state()
    assert "Preview — not published" in preview.locator(".site-notice").inner_text()
    assert SUMMARY in preview.locator("#summary-of-progress").inner_text()
    assert not axe_violations(axe, preview)

    preview.get_by_role("link", name="Preview: Strategy 1").click()
    preview.wait_for_load_state()
    row = preview.locator(f"#milestone-{plans.pk}")
    row.locator("summary").click()
    assert "Status changed from In progress to Complete" in row.inner_text()
    assert "All the plans are in." in row.inner_text()
    assert not axe_violations(axe, preview)

    assert (ProgressUpdate.objects.count(), MilestoneUpdate.objects.count()) == counts
