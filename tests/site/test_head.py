"""Every public address answers HEAD as it answers GET, with the same status and type: link
checkers, crawlers and monitors send HEAD first. (Before, /pma/cx/ answered HEAD with 405.)"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# One address of every named public route (admin aside), with the status a visitor gets.
ADDRESSES = {
    "home": ("/", 200),
    "healthz": ("/healthz", 200),
    "about": ("/about/", 200),
    "accessibility": ("/accessibility/", 200),
    "privacy": ("/privacy/", 200),
    "cx_home": ("/cx/", 200),
    "cx_executive_order": ("/cx/executive-order/", 200),
    "priorities:list": ("/pma/", 200),
    "priorities:detail": ("/pma/cx/", 200),
    "priorities:updates": ("/pma/cx/updates/", 200),
    "priorities:update": ("/pma/cx/updates/2023-08/", 200),
    "priorities:strategy": ("/pma/cx/strategy/2/", 200),
    "priorities:life_experiences": ("/cx/life-experiences/", 200),
    "priorities:life_experience": ("/cx/life-experiences/approaching-retirement/", 200),
    "priorities:life_experience_charter": ("/cx/projects/approaching-retirement/", 301),
    "priorities:news": ("/news/", 200),
    "priorities:news_post": ("/news/priority-area-leads/", 200),
    "priorities:resources": ("/cx/resources/", 200),
    "hisps:list": ("/cx/hisps/?agency=va", 200),
    "hisps:detail": ("/cx/hisps/veterans-health-administration/", 200),
    "hisps:agencies": ("/cx/agencies/", 200),
    "hisps:agency": ("/cx/agencies/va/", 200),
    "hisps:dashboard": ("/cx/dashboard/", 301),
    "hisps:legacy": ("/cx/dashboard/va/vha/", 301),
    "hisps:reporting": ("/cx/reporting/", 200),
    "hisp_results_csv": ("/cx/hisps/veterans-health-administration/results.csv", 200),
    "data:index": ("/cx/data/", 200),
    "data:methods": ("/cx/data/methods/", 200),
    "data_catalog": ("/data.json", 200),
    "data:cx_api": ("/cx/data/services.json", 200),
    "data:download": ("/cx/data/hisps.csv", 200),
    "discovery:search": ("/search/?q=veterans", 200),
    "discovery:updates_atom": ("/feeds/updates.atom", 200),
    "discovery:updates_rss": ("/feeds/updates.rss", 200),
    "discovery:area_updates_atom": ("/feeds/pma/cx/updates.atom", 200),
    "discovery:area_updates_rss": ("/feeds/pma/cx/updates.rss", 200),
    "discovery:sitemap": ("/sitemap.xml", 200),
    "discovery:robots": ("/robots.txt", 200),
    "shared_preview": ("/preview/not-a-share-link/", 404),
}


def _route_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_public_route_has_an_address_here():
    assert set(_route_names()) == set(ADDRESSES)
    assert reverse("priorities:detail", kwargs={"slug": "cx"}) == ADDRESSES["priorities:detail"][0]


@pytest.mark.parametrize("name", ADDRESSES)
def test_head_answers_like_get(client, name):
    url, status = ADDRESSES[name]
    got = client.get(url)
    head = client.head(url)
    assert (got.status_code, head.status_code) == (status, status), url
    assert head["Content-Type"] == got["Content-Type"], url
