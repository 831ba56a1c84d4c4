import html
import re

import pytest


def words(text: str) -> str:
    """The visible words of an HTML fragment, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture
def get_text(client):
    """GET a page that must answer 200, and return its words."""

    def get(url, **headers):
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        return words(response.content.decode())

    return get
