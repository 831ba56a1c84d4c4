"""The public pages' own script, static/js/site.js (ADR 0025), which does what USWDS's 79 KB
script did for the three components the pages use: the official-site banner, the mobile menu and
the skip link. In Chromium, as a keyboard and a touch user would use them."""

PATH = "/pma/cx/"


def test_the_banner_opens_and_closes_its_panel(live_site, page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_site.url + PATH)
    button = page.get_by_role("button", name="Here’s how you know")
    panel = page.locator("#gov-banner-default")
    assert button.get_attribute("aria-expanded") == "false" and not panel.is_visible()

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert panel.is_visible()
    assert "Official websites use .gov" in panel.inner_text()
    assert page.locator(".usa-banner__header--expanded").count() == 1

    button.click()
    assert button.get_attribute("aria-expanded") == "false" and not panel.is_visible()
    assert not errors, errors


def test_the_mobile_menu_opens_keeps_focus_inside_and_closes(live_site, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_site.url + PATH)
    nav = page.get_by_role("navigation", name="Primary navigation")
    menu = page.get_by_role("button", name="Menu")
    assert not nav.is_visible()

    menu.click()
    assert nav.is_visible()
    focused = "document.activeElement.textContent.trim() || document.activeElement.querySelector('img')?.alt"
    assert page.evaluate(focused) == "Close"
    # Tab from the last control goes round to the first, and Shift+Tab back: focus stays in the panel.
    for _ in range(30):
        page.keyboard.press("Tab")
        assert page.evaluate("document.querySelector('.usa-nav').contains(document.activeElement)")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.querySelector('.usa-nav').contains(document.activeElement)")

    # Escape closes it, and focus goes back to the Menu button.
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"

    # A tap on the page behind the panel (the overlay) closes it too.
    menu.click()
    page.locator(".usa-overlay").click(position={"x": 20, "y": 400})
    assert not nav.is_visible()

    # Opened, then the window widens to the desktop layout: the page is not left locked.
    menu.click()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function("!document.body.classList.contains('usa-js-mobile-nav--active')")
    assert not page.locator(".usa-overlay.is-visible").count()
    assert nav.is_visible()  # the header's row of links
    page.close()


def test_a_link_in_the_mobile_menu_leads_on_and_the_menu_is_closed(live_site, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(live_site.url + PATH)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Service providers"
    ).click()
    page.wait_for_url("**/cx/hisps/")
    assert page.locator("h1").inner_text()
    assert not page.get_by_role("navigation", name="Primary navigation").is_visible()
    page.close()


def test_the_skip_link_puts_focus_on_the_main_content(live_site, page):
    page.goto(live_site.url + PATH)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # The next Tab goes to the first link in the content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
