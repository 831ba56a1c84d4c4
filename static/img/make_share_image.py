"""Draw the site's default share image, static/img/share.png (1200 x 630, the size Open Graph and
X/Twitter's large card ask for), offline: Chromium screenshots a page set in the vendored USWDS
fonts. base.html names it in og:image on every page.

    .venv/bin/python static/img/make_share_image.py

Uses what the test suite already has: Playwright and Debian's Chromium (/usr/bin/chromium).
"""

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "vendor" / "uswds" / "fonts"
OUTPUT = HERE / "share.png"
WIDTH, HEIGHT = 1200, 630


def font(name: str) -> str:
    """A font as a data: URL (a page set from a string may not read file: URLs)."""
    data = base64.b64encode((FONTS / name).read_bytes()).decode()
    return f"data:font/woff2;base64,{data}"


# USWDS colours: primary-darker, primary-light, base-lighter, and a bar chart's blues.
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><style>
@font-face {{ font-family: Merriweather; font-weight: 700;
  src: url("{font("merriweather/Latin-Merriweather-Bold.woff2")}"); }}
@font-face {{ font-family: "Source Sans Pro"; font-weight: 400;
  src: url("{font("source-sans-pro/sourcesanspro-regular-webfont.woff2")}"); }}
@font-face {{ font-family: "Source Sans Pro"; font-weight: 700;
  src: url("{font("source-sans-pro/sourcesanspro-bold-webfont.woff2")}"); }}
html, body {{ margin: 0; width: {WIDTH}px; height: {HEIGHT}px; }}
body {{ background: #162e51; color: #fff; font-family: "Source Sans Pro", sans-serif;
  box-sizing: border-box; padding: 72px 80px; position: relative; overflow: hidden; }}
.stripe {{ position: absolute; inset: 0 0 auto 0; height: 14px; background: #005ea2; }}
.site {{ font-weight: 700; font-size: 30px; letter-spacing: 0.06em; text-transform: uppercase;
  color: #73b3e7; margin: 0; }}
h1 {{ font-family: Merriweather, serif; font-weight: 700; font-size: 84px; line-height: 1.1;
  margin: 28px 0 24px; max-width: 760px; }}
p.lede {{ font-size: 36px; line-height: 1.35; color: #dfe1e2; margin: 0; max-width: 620px; }}
.bars {{ position: absolute; right: 80px; bottom: 72px; display: flex; align-items: flex-end;
  gap: 18px; height: 300px; }}
.bars span {{ display: block; width: 34px; background: #73b3e7; border-radius: 4px 4px 0 0; }}
.bars span:nth-child(odd) {{ background: #2491ff; }}
.axis {{ position: absolute; right: 68px; bottom: 70px; width: 386px; height: 4px;
  background: #dfe1e2; }}
</style></head><body>
<div class="stripe"></div>
<p class="site">Performance.gov</p>
<h1>Customer Experience</h1>
<p class="lede">Progress on the President’s Management Agenda, service by service and
quarter by quarter.</p>
<div class="bars" aria-hidden="true">
  <span style="height: 46%"></span><span style="height: 58%"></span><span style="height: 52%"></span>
  <span style="height: 67%"></span><span style="height: 74%"></span><span style="height: 83%"></span>
  <span style="height: 96%"></span>
</div>
<div class="axis"></div>
</body></html>
"""


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.set_content(PAGE, wait_until="load")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(OUTPUT), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
        browser.close()
    print(f"wrote {OUTPUT.relative_to(HERE.parent.parent)}: {OUTPUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
