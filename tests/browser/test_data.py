"""/cx/data/ in Chromium: accessible at phone and desktop widths, and its downloads work."""

import csv
import io
import re

from tests.browser.conftest import accessibility_problems

PATH = "/cx/data/"


def test_data_page_passes_axe_at_phone_and_desktop_widths(live_site, browser, axe):
    # The field tables must stack on a phone instead of widening the page.
    problems = accessibility_problems(browser, axe, live_site.url, [PATH])
    assert not problems, "\n".join(problems)


def test_a_download_button_saves_the_csv(live_site, page):
    page.goto(live_site.url + PATH)
    with page.expect_download() as info:
        page.get_by_role(
            "link", name=re.compile(r"^Download CSV\W+High Impact Service Providers")
        ).click()
    download = info.value
    assert download.suggested_filename == "hisps.csv"
    with open(download.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read(), newline="")))
    assert "Veterans Health Administration" in {row["name"] for row in rows}


def test_a_measure_link_lands_on_its_row(live_site, page):
    page.goto(live_site.url + PATH + "#measure-trust")
    row = page.locator("#measure-trust")
    assert row.is_visible()
    assert "Trust / Confidence" in row.inner_text()
    assert (
        page.evaluate("document.getElementById('measure-trust').getBoundingClientRect().top") < 900
    )
