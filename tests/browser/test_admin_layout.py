"""The admin in Chromium as an OMB publisher meets it, from a computer whose clock is in UTC (five
hours ahead of the server's America/New_York in winter), at 1,280 px: no page wider than the
window, no warning about the server's clock, the zone beside every time, "Now" still the
server's time, and no axe-core violations (WCAG 2.1 A/AA)."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from cxportal.roles import OMB_PUBLISHER
from hisps.models import Document, Hisp, QuarterlyReport, Service, ServiceSurvey, SurveyResult
from priorities.models import PriorityArea, ProgressUpdate, Strategy
from tests.browser.conftest import axe_violations

WIDTH = 1280
WARNING = re.compile(r"(ahead of|behind) server time")
ZONE = re.compile(r"^Eastern Time \(E[SD]T\)$")


@pytest.fixture(scope="module")
def publisher_session(django_db_setup, django_db_blocker):
    """A signed-in publisher's session key.

    Committed, not in a test's transaction: the live server's threads read only committed rows.
    Removed afterwards, so the shared test database keeps no account of these tests.
    """
    with django_db_blocker.unblock():
        user = User.objects.create_user("layout-publisher", is_staff=True)
        user.groups.add(Group.objects.get(name=OMB_PUBLISHER))
        client = Client()
        client.force_login(user)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield key
    with django_db_blocker.unblock():
        client.logout()
        user.delete()


@pytest.fixture(scope="module")
def waiting_items(django_db_setup, django_db_blocker):
    """A document in review and one scheduled, so the index's panel has lists and links to check.
    Committed for the live server, and removed afterwards with their history."""
    with django_db_blocker.unblock():
        documents = [
            Document.objects.create(
                kind=Document.Kind.OTHER,
                title=f"Layout test plan {n}",
                url="https://www.performance.gov/cx/",
                status=status,
                publish_at=timezone.now() + datetime.timedelta(days=n + 1),
            )
            for n, status in enumerate([Status.IN_REVIEW, Status.PUBLISHED])
        ]
    yield documents
    with django_db_blocker.unblock():
        ids = [document.pk for document in documents]
        Document.objects.filter(pk__in=ids).delete()
        Document.history.filter(id__in=ids).delete()


@pytest.fixture
def admin_page(browser, live_site, publisher_session, waiting_items):
    """A page in a UTC browser at 1,280 px, signed in as the publisher; fails the test on any
    console error."""
    context = browser.new_context(timezone_id="UTC", viewport={"width": WIDTH, "height": 800})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": publisher_session, "url": live_site.url}]
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"browser console errors: {errors}"


def url(model, view="changelist", obj=None):
    opts = model._meta
    args = [obj.pk] if obj is not None else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def most(model, relation):
    """The object with the most rows in `relation`: the widest inline the content has."""
    return model.objects.annotate(rows=Count(relation)).order_by("-rows", "pk").first()


def change_pages():
    survey = most(ServiceSurvey, "results")
    assert survey.results.count() >= 10
    return [
        url(ServiceSurvey, "change", survey),
        url(QuarterlyReport, "change", most(QuarterlyReport, "surveys")),
        url(Hisp, "change", most(Hisp, "services")),
        url(ProgressUpdate, "change", ProgressUpdate.objects.order_by("-date").first()),
        url(PriorityArea, "change", most(PriorityArea, "leaders")),
        url(Strategy, "change", most(Strategy, "milestones")),
    ]


def list_pages():
    """Each list with the new filters, filtered by them."""
    hisp = most(Hisp, "quarterly_reports")
    report = hisp.quarterly_reports.order_by("-fiscal_year", "-quarter").first()
    agency = f"agency={hisp.agency.slug}"
    quarter = f"{agency}&fiscal_quarter=FY{report.fiscal_year}Q{report.quarter}&period=published"
    return [
        f"{url(Hisp)}?{agency}",
        f"{url(Service)}?{agency}",
        f"{url(QuarterlyReport)}?{quarter}",
        f"{url(ServiceSurvey)}?{quarter}",
        f"{url(SurveyResult)}?{quarter}",
        f"{url(Document)}?state=live",
    ]


def layout_problems(page, axe, path) -> list[str]:
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"{path} is {width}px wide at {WIDTH}px")
    for warning in page.get_by_text(WARNING).all():
        if warning.is_visible():
            problems.append(f"{path} shows {warning.inner_text()!r}")
    for box in page.locator("input.vTimeField").all():
        box_id = box.get_attribute("id")
        zone = page.locator(f"#{box_id}_zone")
        if not (zone.is_visible() and ZONE.match(zone.inner_text())):
            problems.append(f"{path}: no zone beside {box_id}")
    report = axe_violations(axe, page)
    if report:
        problems.append(f"{path}:\n{report}")
    return problems


def test_admin_pages_fit_the_window_name_the_zone_and_pass_axe(live_site, admin_page, axe):
    problems = []
    for path in [reverse("admin:index"), *change_pages(), *list_pages()]:
        response = admin_page.goto(live_site.url + path)
        if response.status != 200:
            problems.append(f"{path} answered {response.status}")
            continue
        problems += layout_problems(admin_page, axe, path)
    assert not problems, "\n".join(problems)


def test_a_survey_results_table_fits_without_scrolling_sideways(live_site, admin_page):
    """The widest inline of the content, ten results of thirteen columns, fits whole: an editor
    sees every count and the Delete box without scrolling the table."""
    admin_page.goto(live_site.url + change_pages()[0])
    table = admin_page.locator("#results-group fieldset.module")
    assert table.evaluate("box => box.scrollWidth <= box.clientWidth")
    assert admin_page.locator("#results-group tbody tr.has_original").count() >= 10
    # And no count is cut off in its box.
    cut = admin_page.locator("#results-group input[type=number]").evaluate_all(
        "boxes => boxes.filter(box => box.scrollWidth > box.clientWidth).map(box => box.value)"
    )
    assert not cut


def test_the_index_lists_the_item_in_review_and_the_scheduled_one(
    live_site, admin_page, waiting_items
):
    admin_page.goto(live_site.url + reverse("admin:index"))
    review = admin_page.get_by_role("region", name="Waiting for review")
    with admin_page.expect_navigation():
        review.get_by_role("link", name=re.compile(r"^\d+ documents?$")).click()
    assert "state=in_review" in admin_page.url
    assert admin_page.get_by_role("link", name="Layout test plan 0").count() == 1
    admin_page.goto(live_site.url + reverse("admin:index"))
    scheduled = admin_page.get_by_role("region", name="Scheduled to go live")
    item = scheduled.get_by_role("listitem").filter(has_text="Layout test plan 1")
    assert re.search(r"\b(EST|EDT)$", item.inner_text().strip())


def test_the_browsers_clock_is_warned_of_by_django_but_not_shown_and_now_is_the_servers(
    live_site, admin_page
):
    """Django's script still finds the browser five hours off (so it still adds the warning, and
    its "Now" still corrects for the offset); the stylesheet keeps the warning out of sight, and
    "Now" fills in the server's time, not the browser's."""
    update = ProgressUpdate.objects.order_by("-date").first()
    admin_page.goto(live_site.url + url(ProgressUpdate, "change", update))
    warnings = admin_page.get_by_text(WARNING)
    assert warnings.count() >= 1
    assert not any(warning.is_visible() for warning in warnings.all())

    assert admin_page.evaluate("new Date().getTimezoneOffset()") == 0  # the browser is in UTC
    admin_page.locator(".field-publish_at").get_by_role("link", name="Now").click()
    typed = datetime.time.fromisoformat(admin_page.locator("#id_publish_at_1").input_value())
    eastern = timezone.localtime()  # the server's zone
    apart = abs(seconds(typed) - seconds(eastern.time())) % 86400
    assert min(apart, 86400 - apart) < 120, f"Now typed {typed}, the server's time is {eastern}"


def seconds(time: datetime.time) -> int:
    return time.hour * 3600 + time.minute * 60 + time.second
