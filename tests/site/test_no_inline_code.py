"""No public page has inline script or style (ADRs 0005 and 0030): the CSP's `script-src 'self'`
and `style-src 'self'` would block it, and browsers would log the violation. Every public route is
rendered (test_head.py's list, which a test there keeps complete), with its htmx partials and the
error pages, and read with an HTML parser, so that SVG charts, attributes in any case and
`<style>` elements are all seen."""

from html.parser import HTMLParser

import pytest
from django.db import OperationalError
from django.test import override_settings

from tests.site.test_head import ADDRESSES

pytestmark = pytest.mark.django_db

# Filtered pages answer an htmx request with a partial (house style 5).
HTMX_PAGES = ["/cx/hisps/?agency=va", "/cx/hisps/?status=nonsense", "/pma/cx/strategy/2/?status=x"]


class InlineCode(HTMLParser):
    """Collects every inline script, style element, style attribute and event handler."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "script" and any(n in names for n in ("nonce", "integrity")):
            self.found.append("<script> with a nonce")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in names:
            self.found.append(f"style attribute on <{tag}>")
        self.found += [f"{n}= handler on <{tag}>" for n in names if n.startswith("on")]
        for name, value in attrs:
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL in {name} on <{tag}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_parser_sees_each_kind_of_inline_code():
    page = (
        "<p>ok</p><script>x()</script><svg><rect style='fill:red'/></svg>"
        "<style>p{}</style><a href='javascript:x()' onClick='y()'>a</a>"
    )
    assert sorted(inline_code(page)) == sorted(
        [
            "inline <script>",
            "style attribute on <rect>",
            "<style> element",
            "javascript: URL in href on <a>",
            "onclick= handler on <a>",
        ]
    )
    assert inline_code('<script src="/static/x.js" defer></script><rect fill="red"/>') == []


PAGES = [pytest.param(url, id=name) for name, (url, status) in ADDRESSES.items() if status == 200]


@pytest.mark.parametrize("url", PAGES)
def test_no_public_page_has_inline_script_or_style(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # Downloads, feeds and the sitemap too: none of them may carry markup that would run.
    assert inline_code(b"".join(response).decode()) == []


@pytest.mark.parametrize("url", HTMX_PAGES)
def test_no_htmx_partial_has_inline_script_or_style(client, url):
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


@override_settings(CXPORTAL_DAP_AGENCY="GSA")
def test_analytics_adds_only_a_script_file(client):
    page = client.get("/pma/cx/").content.decode()
    assert "_fed_an_ua_tag" in page
    assert inline_code(page) == []


def test_error_pages_have_no_inline_script_or_style(client, rf):
    from cxportal.views import server_error

    assert inline_code(client.get("/no/such/page/").content.decode()) == []
    assert inline_code(server_error(rf.get("/x/")).content.decode()) == []
    try:
        raise OperationalError("the database went away")
    except OperationalError:
        unavailable = server_error(rf.get("/x/"))
    assert unavailable.status_code == 503
    assert inline_code(unavailable.content.decode()) == []
