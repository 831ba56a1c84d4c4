"""The site-wide pages, in Chromium, at phone (375px) and desktop (1280px) widths: no axe-core
violations (WCAG 2.1 A/AA)."""

from tests.browser.conftest import accessibility_problems, axe_violations

# The site-wide pages. Each app's pages are checked in its own module (test_priorities, test_hisps,
# test_search, test_data), with their states opened.
PAGES = [
    "/",
    "/cx/",
    "/cx/agencies/",
    "/cx/executive-order/",
    "/cx/reporting/",  # the reporting rules: the status key and small samples
    "/about/",
    "/accessibility/",
    "/privacy/",
    "/cx/data/methods/",
    "/search/?q=trust",  # the search results of PUBLIC_PAGES
]


def test_pages_pass_axe_at_phone_and_desktop_widths(live_site, browser, axe):
    problems = accessibility_problems(browser, axe, live_site.url, PAGES)
    assert not problems, "\n".join(problems)


def test_not_found_page_is_in_the_site_design_and_accessible(live_site, browser, axe):
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        response = page.goto(live_site.url + "/no/such/page/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        assert page.locator(".usa-banner").count() == 1
        assert not axe_violations(axe, page), f"at {width}px"
        page.close()


def test_every_page_type_is_checked_with_axe_at_both_widths():
    """Each public page type is in the axe lists of this module or of its app's (all of which run
    at 375px and 1280px), so that none is left out when one is added to PUBLIC_PAGES."""
    from tests.browser import test_data, test_hisps, test_priorities, test_search
    from tests.site.test_home import PUBLIC_PAGES

    checked = {*PAGES, *test_hisps.PAGES, *test_priorities.PAGES, *test_search.SEARCH_PAGES}
    checked |= {test_data.PATH, "/no/such/page/"}  # the 404 page: the test above
    assert set(PUBLIC_PAGES) <= checked, set(PUBLIC_PAGES) - checked


def test_reference_page_reads_in_order_in_the_browser(live_site, page):
    page.goto(live_site.url + "/pma/cx/")
    headings = page.locator("main h2").all_inner_texts()
    expected = ["Overview", "Priority Area Leaders", "Summary of Progress", "Challenge", "Opportunity",
                "Strategies", "Highlights"]  # fmt: skip
    assert [h for h in headings if h in expected] == expected
    # The skip link takes keyboard users past the header to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    # Each update has an anchor that a link can point to.
    page.goto(live_site.url + "/pma/cx/#update-2023-08")
    assert page.locator("#update-2023-08 h3").inner_text() == "August 2023"


def test_strict_csp_blocks_nothing_the_page_needs(live_site, page):
    """No inline script or style: the page works under script-src 'self' with no console errors."""
    response = page.goto(live_site.url + "/pma/cx/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # The site's script (static/js/site.js) ran: the banner's "Here's how you know" button opens its panel.
    page.get_by_role("button", name="Here’s how you know").click()
    assert page.locator(".usa-banner__content").is_visible()


ZOOMED = [
    "/",
    "/pma/cx/",
    "/cx/hisps/",
    "/cx/hisps/veterans-health-administration/",
    "/cx/data/",
    "/cx/data/methods/",
    "/search/?q=trust",
]


def test_pages_work_at_200_percent_zoom_and_320px(live_site, browser):
    """200% zoom of a 1280px window lays the page out at 640 CSS pixels; 320px is the smallest phone."""
    for width, scale in ((640, 2), (320, 1)):
        page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
        for path in ZOOMED:
            assert page.goto(live_site.url + path).status == 200, path
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} is {scroll_width}px wide at {width}px"
            # The main heading is on screen and readable without scrolling sideways.
            box = page.locator("main h1").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, path
        page.close()


def test_print_stylesheet_prints_the_content_without_the_chrome(live_site, page):
    page.goto(live_site.url + "/pma/cx/")
    page.emulate_media(media="print")
    assert not page.locator(".usa-banner").is_visible()
    assert not page.locator(".usa-nav").is_visible()
    assert page.locator("main h1").is_visible()
    assert page.locator("#summary-of-progress").is_visible()
