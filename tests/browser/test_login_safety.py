"""The admin's sign-in pages in Chromium: the login form with and without the OTP token, and the
lockout page, each with no axe-core violations (WCAG 2.1 A/AA)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from tests.browser.conftest import axe_violations


@pytest.mark.parametrize("two_factors", [False, True], ids=["password", "password-and-token"])
def test_admin_login_page_is_accessible_with_and_without_2fa(live_site, page, axe, two_factors):
    with override_settings(CXPORTAL_REQUIRE_2FA=two_factors):
        response = page.goto(live_site.url + reverse("admin:login"))
        assert response.status == 200
        token = page.get_by_label("OTP token")
        assert token.count() == (1 if two_factors else 0)
        assert not axe_violations(axe, page)

        # A wrong password: the page says so, and is still accessible with its errors.
        page.get_by_label("Username").fill("nobody")
        page.get_by_label("Password").fill("not a password")
        if two_factors:
            token.fill("123456")
        page.get_by_role("button", name="Log in").click()
        assert (
            "Please enter the correct username and password"
            in page.locator(".errornote").inner_text()
        )
        assert not axe_violations(axe, page)


@pytest.fixture
def failures_in_memory():
    """Lock out after one failure, counted in the process's cache instead of the database.

    The live server's threads commit what they write, outside the test's transaction: axes's
    cache handler keeps these tests from leaving failed attempts in the shared test database.
    """
    with override_settings(
        AXES_HANDLER="axes.handlers.cache.AxesCacheHandler", AXES_FAILURE_LIMIT=1
    ):
        yield
    cache.clear()


def test_lockout_page_says_when_to_try_again_and_is_accessible(
    live_site, browser, axe, failures_in_memory
):
    # Not the `page` fixture: the lockout page's 429 is logged to the console, as it should be.
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: m.type == "error" and "status of 429" not in m.text and errors.append(m.text),
    )
    page.goto(live_site.url + reverse("admin:login"))
    page.get_by_label("Username").fill("someone-locked-out")
    page.get_by_label("Password").fill("not a password")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Log in").click()
    assert posted.value.status == 429
    assert page.locator("h1").inner_text() == "Account locked"
    assert "You can try again after" in page.locator("#content-main").inner_text()
    assert page.get_by_role("alert").inner_text().startswith("This account is locked")
    assert not axe_violations(axe, page)
    page.close()
    assert not errors, f"browser console errors: {errors}"
