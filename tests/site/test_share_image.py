"""Every page, shared on social media or in a chat, shows a title, a description and the site's
default image (issue 8): og:image (absolute, 1200 x 630 PNG), og:title, og:description, og:url and
twitter:card."""

import re
import struct

import pytest
from django.conf import settings

from tests.site.test_home import PUBLIC_PAGES

pytestmark = pytest.mark.django_db
IMAGE = settings.BASE_DIR / "static" / "img" / "share.png"


def meta(page: str) -> dict[str, str]:
    tags = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', page)
    return dict(tags)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_has_share_metadata_and_an_absolute_image(client, path):
    tags = meta(client.get(path).content.decode())
    assert tags["og:image"] == "http://testserver/static/img/share.png"
    assert tags["og:url"] == "http://testserver" + path.split("?")[0]
    assert tags["og:title"] and tags["og:description"] and tags["og:image:alt"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
    assert tags["twitter:card"] == "summary_large_image"


def test_the_share_image_is_a_1200_by_630_png():
    data = IMAGE.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (1200, 630)
