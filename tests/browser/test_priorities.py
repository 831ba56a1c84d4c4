"""Priority areas, progress updates, strategies and Life Experiences in Chromium: axe-core at phone
and desktop widths, and the milestone filter by mouse, by keyboard and without JavaScript."""

import re

from tests.browser.conftest import accessibility_problems

PAGES = [
    "/pma/",
    "/pma/cx/",
    "/pma/cx/updates/",
    "/pma/cx/updates/2023-08/",
    "/pma/cx/strategy/2/",
    "/pma/cx/strategy/2/?status=bogus&goal=2.1",  # the filter's message
    "/pma/cx/strategy/2/?status=planned&goal=2.1",  # no milestones match
    "/cx/life-experiences/",
    "/cx/life-experiences/having-a-child-and-early-childhood/",  # research and personas
    "/cx/life-experiences/approaching-retirement/",  # numbered sources and the 2022 charter
    "/pma/cx-2018/",  # the CAP goal's action plans
    "/pma/cx-2018/updates/",
    "/news/",  # the collection and its pagination
    "/news/?page=2",
    "/news/what-we-learned-from-customers-2020/",  # an excerpt, with the link to the original
    "/cx/resources/",
]
STRATEGY = "/pma/cx/strategy/2/"
ROWS = "#milestone-results tbody tr"


def _open_changelogs(page):
    for details in page.locator("details.milestone__changelog").all():
        details.locator("summary").click()


def test_every_page_type_passes_axe_without_sideways_scrolling(live_site, browser, axe):
    # Every changelog is opened first, so that axe checks its contents too.
    problems = accessibility_problems(browser, axe, live_site.url, PAGES, prepare=_open_changelogs)
    assert not problems, "\n".join(problems)


def _mark_page(page):
    """A flag that a full page load would wipe out: proves an update happened in place."""
    page.evaluate("window.__noReload = true")


def _still_same_page(page) -> bool:
    return page.evaluate("window.__noReload === true")


def test_milestone_filter_with_the_mouse_updates_in_place_and_the_url(live_site, page):
    page.goto(live_site.url + STRATEGY)
    assert page.locator(ROWS).count() == 5
    _mark_page(page)

    page.get_by_role("combobox", name="Status").select_option("complete")
    page.wait_for_url(re.compile(r"\?status=complete"))
    assert page.locator(ROWS).count() == 4
    assert page.locator("#milestone-count").inner_text() == "4 milestones match the filters."

    page.get_by_role("combobox", name="Goal").select_option("2.1")
    page.wait_for_url(re.compile(r"\?status=complete&goal=2\.1"))
    assert page.locator(ROWS).count() == 3
    assert _still_same_page(page)

    # A changelog opens with a click.
    row = page.locator("#milestone-1")
    row.get_by_text("Changes (1)").click()
    assert row.get_by_text("Milestone changed from Pending to Complete").is_visible()

    # Back restores the unfiltered table.
    page.go_back()
    page.wait_for_url(re.compile(r"\?status=complete&goal=$"))
    assert page.locator(ROWS).count() == 4


def test_milestone_filter_with_the_apply_button(live_site, page):
    page.goto(live_site.url + STRATEGY + "?status=planned")
    assert page.locator(ROWS).count() == 1
    _mark_page(page)
    page.get_by_role("combobox", name="Status").evaluate(
        "select => { select.value = 'in_progress'; }"
    )
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"\?status=in_progress"))
    assert page.get_by_text("No milestones match these filters.").is_visible()
    assert _still_same_page(page)


def test_milestone_filter_with_the_keyboard(live_site, page):
    page.goto(live_site.url + STRATEGY)
    _mark_page(page)
    status = page.get_by_role("combobox", name="Status")
    status.focus()
    # Tab order: the status select, the goal select, then the Apply button.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_goal"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "id_status"
    page.keyboard.press("ArrowDown")  # Any status → Planned
    page.wait_for_url(re.compile(r"\?status=planned"))
    assert page.locator(ROWS).count() == 1
    # The results' focus is left where the user was: still on the select.
    assert page.evaluate("document.activeElement.id") == "id_status"
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # Any goal → Goal 2.1
    page.wait_for_url(re.compile(r"goal=2\.1"))
    assert page.get_by_text("No milestones match these filters.").is_visible()
    assert _still_same_page(page)


def test_milestone_filter_without_javascript(live_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(live_site.url + STRATEGY)
    page.get_by_role("combobox", name="Status").select_option("complete")
    # Nothing happens until the form is sent: then a full page loads with the filter in its URL.
    assert page.locator(ROWS).count() == 5
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert re.search(r"\?status=complete&goal=$", page.url)
    assert page.locator(ROWS).count() == 4
    assert page.get_by_role("combobox", name="Status").input_value() == "complete"
    # The goal links are plain links too.
    page.goto(live_site.url + STRATEGY)
    page.get_by_role("link", name="Milestones of goal 2.1").click()
    assert page.url.endswith("?goal=2.1#milestones")
    assert page.locator(ROWS).count() == 3
    # And the changelog opens without script.
    row = page.locator("#milestone-1")
    row.locator("summary").click()
    assert row.get_by_text("Milestone changed from Pending to Complete").is_visible()
    context.close()


def test_old_life_experience_addresses_land_on_the_page(live_site, page):
    page.goto(live_site.url + "/cx/projects/transitioning-to-civilian-life/")
    assert page.url.endswith(
        "/cx/life-experiences/navigating-the-transition-to-civilian-life/#charter-2022"
    )
    assert page.locator("h1").inner_text() == "Navigating the transition to civilian life"
    assert page.locator("#charter-2022 h2").is_visible()


def test_stat_citations_lead_to_their_source(live_site, page):
    page.goto(live_site.url + "/cx/life-experiences/approaching-retirement/")
    page.get_by_role("link", name="Source 1").click()
    assert page.evaluate("location.hash") == "#source-1"
    assert (
        page.locator("#source-1").inner_text().startswith("CMS Releases Latest Enrollment Figures")
    )
