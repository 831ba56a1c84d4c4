"""Every page so far, in Chromium, at phone and desktop widths: no axe-core violations (WCAG 2.1 A/AA)."""

from axe_playwright_python.sync_playwright import Axe

PAGES = ["/", "/pma/", "/pma/cx/", "/pma/cx/updates/2023-08/", "/pma/cx/strategy/2/"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_pages_pass_axe_at_phone_and_desktop_widths(live_server, real_content, browser):
    axe = Axe()
    problems = []
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        for path in PAGES:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            results = axe.run(page, options=WCAG)
            if results.violations_count:
                problems.append(f"{path} at {width}px:\n{results.generate_report()}")
            # Usable on a phone: nothing forces the reader to scroll sideways.
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path} is {scroll_width}px wide at {width}px"
        page.close()
    assert not problems, "\n".join(problems)


def test_reference_page_reads_in_order_in_the_browser(live_server, real_content, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/pma/cx/")
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
    page.goto(live_server.url + "/pma/cx/#update-2023-08")
    assert page.locator("#update-2023-08 h3").inner_text() == "August 2023"
    page.close()
