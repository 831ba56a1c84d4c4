"""Site search in Chromium: accessible at phone and desktop widths, and usable from the keyboard."""

from tests.browser.conftest import accessibility_problems

SEARCH_PAGES = [
    "/search/",  # the empty search: what to search for
    "/search/?q=life+experiences",  # results of several types
    "/search/?q=passport&type=hisps",  # one type
    "/search/?q=zyxnothing",  # no results
    "/search/?q=" + "x" * 300,  # too long: the error message
    "/search/?q=pasport",  # a typo: "Did you mean"
    "/search/?q=%21%21%21",  # punctuation only: the error message
    "/search/?q=passport&page=abc",  # a bad page number: the warning
]


def test_search_pages_pass_axe_and_fit_the_screen(live_site, browser, axe):
    problems = accessibility_problems(browser, axe, live_site.url, SEARCH_PAGES)
    assert not problems, "\n".join(problems)


def test_search_from_the_header_box_with_the_keyboard(live_site, page):
    page.goto(live_site.url + "/pma/cx/")
    box = page.get_by_role("searchbox", name="Search this site")
    box.focus()
    page.keyboard.type("capacity assessment")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=capacity+assessment")
    assert page.title() == "Search results for “capacity assessment” | Performance.gov"
    assert page.locator("#results-heading").inner_text().startswith("5 results")
    # Matches are marked, and each result is a link to its page.
    assert page.locator(".search-hit__snippet mark").first.inner_text().lower() == "capacity"
    first = page.locator(".search-hit__title a").first
    href = first.get_attribute("href")
    first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == live_site.url + href


def test_search_from_the_header_box_on_a_phone(live_site, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_site.url + "/")
    # The header search sits in the menu on a phone: open it with the keyboard.
    page.get_by_role("button", name="Menu").focus()
    page.keyboard.press("Enter")
    box = page.get_by_role("searchbox", name="Search this site")
    box.focus()
    page.keyboard.type("passport")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=passport")
    assert page.get_by_role("heading", name="High Impact Service Providers (2)").is_visible()
    page.close()


def test_the_results_page_form_searches_again(live_site, page):
    page.goto(live_site.url + "/search/?q=passport")
    field = page.get_by_label("Search terms")
    assert field.input_value() == "passport"
    field.fill("<i>disaster")
    field.press("Enter")
    page.wait_for_url("**/search/?q=*disaster*")
    # The words are shown as typed, not as markup, and still find the life experience.
    assert page.locator("#results-heading").inner_text().endswith(" results for “<i>disaster”")
    assert page.get_by_role("heading", name="Life experiences (1)").is_visible()
    assert page.get_by_role("heading", name="Life experiences (1)").is_visible()


def test_a_typo_leads_to_the_results_with_the_keyboard(live_site, page):
    page.goto(live_site.url + "/search/?q=pasport")
    assert page.locator("#results-heading").inner_text() == "No results for “pasport”"
    link = page.get_by_role("link", name="passport", exact=True)
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_label("Search terms").input_value() == "passport"
    heading = page.get_by_role("heading", name="High Impact Service Providers (2)")
    assert heading.is_visible()
    # The provider designated now comes first; the 2020 list's entry says which it is.
    titles = page.locator("#results-hisps .search-hit__title").all_inner_texts()
    assert titles == ["Passport Services", "Passport Services (2020 list)"]
