"""What the search tests read from a results page."""

import html
import re

from django.urls import reverse

URL = reverse("discovery:search")


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def search(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def group_headings(page: str) -> list[str]:
    return [
        words(h) for h in re.findall(r'<h3 [^>]*class="search-group__heading">(.*?)</h3>', page)
    ]


def hit_links(page: str) -> list[str]:
    links = re.findall(r'<h4 class="search-hit__title"><a href="([^"]+)"', page)
    return [html.unescape(link) for link in links]


def groups(page: str) -> dict[str, list[tuple[str, str]]]:
    """{group key: [(title, link), …]} in page order."""
    found = {}
    sections = re.findall(
        r'<section id="results-([\w-]+)" class="search-group".*?>(.*?)</section>', page, re.S
    )
    for key, body in sections:
        hits = re.findall(r'<h4 class="search-hit__title"><a href="([^"]+)">(.*?)</a></h4>', body)
        found[key] = [(words(title), html.unescape(link)) for link, title in hits]
    return found
