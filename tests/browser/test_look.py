"""How every page type looks, in Chromium at the smallest phone (320px) and at desktop width (1280px)
(issue 8): links in USWDS's link colour, not the browser's default blue; headline numbers on one
line; and every table readable, either fitting its box or inside a region that a keyboard user can
focus and scroll. Each check names the symptom it once found."""

import pytest

from tests.site.test_home import PUBLIC_PAGES

WIDTHS = (320, 1280)
BROWSER_COLOURS = ("rgb(0, 0, 238)", "rgb(85, 26, 139)")  # an unstyled link, and visited
USWDS_LINK = "rgb(0, 94, 162)"  # USWDS's primary link colour, #005ea2, as .usa-link has

# What the page shows, measured in the browser: computed colours and laid-out boxes.
MEASURE = """() => {
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const label = (el) => (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
  const links = [...document.querySelectorAll("main a[href]")].filter(visible).map((a) => ({
    text: label(a), color: getComputedStyle(a).color, plain: !a.className,
  }));
  const numbers = [...document.querySelectorAll(".headline-figure__number")].map((n) => {
    const box = n.getBoundingClientRect(), parent = n.parentElement.getBoundingClientRect();
    return { text: label(n), height: box.height, line: parseFloat(getComputedStyle(n).lineHeight),
             inside: box.right <= parent.right + 0.5 && box.left >= parent.left - 0.5 };
  });
  const tables = [...document.querySelectorAll("main table")].filter(visible).map((table) => {
    const box = table.parentElement;
    const region = table.closest('[tabindex="0"][role="region"]');
    const scrolls = region && ["auto", "scroll"].includes(getComputedStyle(region).overflowX);
    return {
      caption: label(table.caption || table), width: table.getBoundingClientRect().width,
      room: box.clientWidth, stacked: table.classList.contains("usa-table--stacked")
        && getComputedStyle(table.rows[0].cells[0]).display === "block",
      region: !!(scrolls && (region.getAttribute("aria-label") || region.getAttribute("aria-labelledby"))),
    };
  });
  return { links, numbers, tables };
}"""


@pytest.fixture(scope="module")
def measured(_site_server, django_db_blocker, browser):
    """Every page type measured once at each width, for the checks below."""
    results = {}
    with django_db_blocker.unblock():
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            for path in PUBLIC_PAGES:
                page.goto(_site_server.url + path)
                results[width, path] = page.evaluate(MEASURE)
            page.close()
    return results


def test_links_in_the_content_have_the_uswds_link_colour(measured):
    """Before, 119 of the 196 links in the 15 page types' content were the browser's default blue."""
    problems = [
        f"{path} at {width}px: {link['text']!r} is {link['color']}"
        for (width, path), found in measured.items()
        for link in found["links"]
        if link["color"] in BROWSER_COLOURS
    ]
    assert not problems, "\n".join(problems)
    # The links in the text (those without a class of a component) are USWDS's blue.
    plain = [link for found in measured.values() for link in found["links"] if link["plain"]]
    blue = [link for link in plain if link["color"] == USWDS_LINK]
    assert len(plain) > 100 and len(blue) > 0.9 * len(plain), {link["color"] for link in plain}


def test_headline_numbers_stay_on_one_line(measured):
    """Before, "10,738,927" broke after "10,738," in its quarter-width card at 1280px."""
    for width in WIDTHS:
        numbers = measured[width, "/"]["numbers"]
        assert len(numbers) >= 3, numbers
        for number in numbers:
            assert number["height"] < 1.5 * number["line"], f"{number['text']} wraps at {width}px"
            assert number["inside"], f"{number['text']} overflows its card at {width}px"


def test_every_table_is_readable_at_phone_and_desktop_widths(measured):
    """Before: at 375px the Strategy 2 milestone table (369px, stacked) was clipped in its 343px box;
    at 1280px the HISP survey results table (1,175px) was cut off at the right of its 960px column.

    A stacked table always fits its box; at desktop width every table does; on a phone a wider
    table scrolls inside a region that a keyboard user can focus, with a name a screen reader reads.
    """
    problems = []
    for (width, path), found in measured.items():
        for table in found["tables"]:
            wider = table["width"] > table["room"] + 0.5
            where = f"{path} at {width}px: {table['caption']!r} is {table['width']:.0f}px in {table['room']}px"
            if wider and (table["stacked"] or width >= 1280):
                problems.append(f"{where}, and does not fit")
            elif wider and not table["region"]:
                problems.append(f"{where}, outside a focusable, labelled scroll region")
    assert not problems, "\n".join(problems)
    tables = [t for (width, _), found in measured.items() if width == 320 for t in found["tables"]]
    assert any(t["stacked"] for t in tables) and any(t["region"] for t in tables)
