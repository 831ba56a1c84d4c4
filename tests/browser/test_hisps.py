"""The HISP pages in Chromium: axe-core at phone and desktop widths, and the directory's filter by
mouse, by keyboard and with JavaScript off."""

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import accessibility_problems

PAGES = [
    "/cx/hisps/",
    "/cx/hisps/?earlier=on&status=partial",
    "/cx/hisps/veterans-health-administration/",  # charts of the A-11 measures and pre-2021 means
    "/cx/hisps/va-vha/",  # a 2020 entry: the note, and the legacy charts
    "/cx/hisps/passport-services/",  # small samples, and measures with no data
    "/cx/agencies/va/",
    "/cx/agencies/va-vha/",
]
VA = ["Veterans Benefits Administration", "Veterans Health Administration"]


def result_names(page) -> list[str]:
    return page.locator("#hisp-results .usa-collection__heading").all_inner_texts()


def query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def test_hisp_pages_pass_axe_at_phone_and_desktop_widths(live_site, browser, axe):
    problems = accessibility_problems(browser, axe, live_site.url, PAGES)
    assert not problems, "\n".join(problems)


def test_charts_are_drawn_server_side_with_names(live_site, page):
    page.goto(live_site.url + "/cx/hisps/veterans-health-administration/")
    trust = page.get_by_role("img", name="Trust / Confidence").first
    assert trust.is_visible()
    assert "FY23 Q1: 90.4%" in trust.locator("desc").text_content()
    # The visible table has the same number.
    assert page.locator("#results table").get_by_text("90.4%").first.is_visible()


def test_small_samples_and_empty_measures_read_plainly(live_site, page):
    page.goto(live_site.url + "/cx/hisps/passport-services/")
    # A measure with no data says so, with no empty axes.
    efficiency = page.locator("#results figure").filter(has_text="Efficiency")
    assert efficiency.locator("p").inner_text() == "No data reported"
    assert efficiency.locator("svg").count() == 0
    # A share of few answers is marked, and its mark leads to the explanation.
    trust = page.get_by_role("img", name="Trust / Confidence").first
    assert "FY22 Q1: 62.5% (small sample: 8 answers)" in trust.locator("desc").text_content()
    page.locator("#results table").get_by_role("link", name="small sample").first.click()
    page.wait_for_url("**/cx/reporting/#small-samples")
    assert page.locator("#small-samples h2").is_visible()


def test_home_shows_trust_across_providers_as_a_chart_with_its_table(live_site, page):
    page.goto(live_site.url + "/")
    chart = page.get_by_role(
        "img", name="Trust after a transaction, all High Impact Service Providers"
    )
    assert chart.is_visible()
    table = page.get_by_role(
        "table", name="Trust after a transaction, all providers, by fiscal quarter"
    )
    assert table.is_visible()
    latest = table.locator("tbody tr").last.inner_text()
    assert (
        latest.startswith("FY23 Q1")
        and latest.split("\t")[1] in chart.locator("desc").text_content()
    )
    # No figure breaks across lines at a phone's width either.
    page.set_viewport_size({"width": 375, "height": 800})
    for cell in table.locator(".nowrap").all():
        box = cell.bounding_box()
        assert box["height"] < 30, cell.inner_text()


def test_filter_by_mouse_updates_results_in_place(live_site, page):
    page.goto(live_site.url + "/cx/hisps/")
    assert len(result_names(page)) == 28
    page.evaluate("window.notReloaded = true")
    page.locator("#id_agency").select_option("va")
    page.wait_for_url("**/cx/hisps/?*agency=va*")
    page.wait_for_function("document.querySelectorAll('#hisp-results h3').length === 2")
    assert result_names(page) == VA
    assert page.evaluate("window.notReloaded") is True  # htmx swapped the results in place
    assert page.locator("#hisp-count").inner_text() == (
        "2 providers that reported customer experience data, FY21 Q1 to FY23 Q1, match your filters."
    )
    # Back restores the unfiltered list.
    page.go_back()
    page.wait_for_function("document.querySelectorAll('#hisp-results h3').length === 28")
    assert "agency" not in query(page)


def test_filter_by_keyboard_only(live_site, page):
    page.goto(live_site.url + "/cx/hisps/")
    # Tab from the top of the page to the search box.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    assert page.evaluate("document.activeElement.id") == "id_q"
    page.keyboard.type("passport")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=passport*")
    page.wait_for_function("document.querySelectorAll('#hisp-results h3').length === 1")
    assert result_names(page) == ["Passport Services"]
    # Clear the search, then Tab on to the agency list and choose one with the keyboard.
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_agency"
    page.keyboard.type("U.S. Department of Veterans")
    for _ in range(4):  # on to the submit button
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    assert page.evaluate("document.activeElement.textContent") == "Show providers"
    page.keyboard.press("Enter")
    page.wait_for_url("**agency=va*")
    page.wait_for_function("document.querySelectorAll('#hisp-results h3').length === 2")
    assert result_names(page) == VA
    assert query(page)["agency"] == ["va"] and not query(page).get("q")


def test_filter_works_with_javascript_disabled(live_site, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 900})
    page = context.new_page()
    page.goto(live_site.url + "/cx/hisps/")
    page.locator("#id_agency").select_option("va")
    page.locator("#id_status").select_option("in_line")
    with page.expect_navigation():
        page.get_by_role("button", name="Show providers").click()
    assert query(page)["agency"] == ["va"] and query(page)["status"] == ["in_line"]
    assert result_names(page) == VA
    # The form shows what was chosen, and "Clear filters" is a real link.
    assert page.locator("#id_agency").input_value() == "va"
    page.get_by_role("link", name="Clear filters").click()
    assert len(result_names(page)) == 28
    # Pagination is real links too.
    page.goto(live_site.url + "/cx/hisps/?earlier=on")
    page.get_by_role("link", name="Page 2").click()
    assert query(page)["page"] == ["2"] and query(page)["earlier"] == ["on"]
    assert len(result_names(page)) == 23
    context.close()


def test_legacy_address_lands_on_the_profile(live_site, page):
    response = page.goto(live_site.url + "/cx/dashboard/va/vha/")
    assert response.status == 200
    assert page.url == live_site.url + "/cx/hisps/va-vha/"
    assert page.locator("h1").inner_text() == "Outpatient Services"
    link = page.get_by_role("link", name="Veterans Health Administration").last
    assert link.get_attribute("href") == "/cx/hisps/veterans-health-administration/"
