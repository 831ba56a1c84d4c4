"""/sitemap.xml lists every public page with its last change; /robots.txt points to it."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from hisps.models import Agency, Hisp
from priorities.models import LifeExperience, PriorityArea, ProgressUpdate, Strategy
from tests.factories import (
    AgencyFactory,
    HispFactory,
    LifeExperienceFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "http://testserver"


def sitemap(client) -> dict[str, str | None]:
    """Each location in the sitemap, with its lastmod (or None)."""
    response = client.get(reverse("discovery:sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    entries = {url.findtext(f"{NS}loc"): url.findtext(f"{NS}lastmod") for url in root}
    assert len(entries) == len(root), "a location is listed twice"
    return entries


def test_lists_the_site_pages(client):
    entries = sitemap(client)
    for name in ["home", "about", "accessibility", "privacy", "priorities:list", "hisps:list",
                 "data:index", "priorities:life_experiences"]:  # fmt: skip
        assert SITE + reverse(name) in entries


def test_lists_every_public_object_with_its_last_change(client):
    entries = sitemap(client)
    cx = PriorityArea.objects.get(slug="cx")
    # Imported without a date of its own: no lastmod rather than the import's time.
    assert cx.last_updated is None and entries[SITE + "/pma/cx/"] is None
    cx.save()  # a change to a published item: the public version changed now
    entries = sitemap(client)
    assert entries[SITE + "/pma/cx/"] == timezone.localdate().isoformat()
    # The August 2023 update was on performance.gov from a known day: that is its lastmod.
    assert entries[SITE + "/pma/cx/updates/2023-08/"].startswith("2023-")
    assert SITE + "/pma/cx/strategy/2/" in entries
    objects = [
        *PriorityArea.objects.public(),
        *Strategy.objects.public(),
        *Hisp.objects.public(),
        *LifeExperience.objects.public(),
        *Agency.objects.public().filter(hisps__in=Hisp.objects.public()).distinct(),
        *ProgressUpdate.objects.public().filter(
            kind=ProgressUpdate.Kind.SUMMARY, strategy=None, date__isnull=False
        ),
    ]
    for obj in objects:
        url = SITE + obj.get_absolute_url()
        assert url in entries, url
        known = obj.last_updated and timezone.localdate(obj.last_updated).isoformat()
        assert entries[url] == (known or None), url
    # Pages of their own only: no #anchors (goals, milestones, services) and no outside links.
    assert all(url.startswith(SITE + "/") and "#" not in url for url in entries)


def test_agencies_without_a_public_hisp_are_left_out(client):
    lonely = AgencyFactory()
    entries = sitemap(client)
    assert SITE + lonely.get_absolute_url() not in entries
    assert SITE + HispFactory(agency=lonely).agency.get_absolute_url() in sitemap(client)


def test_a_hisp_is_listed_whatever_state_its_agency_is_in(client):
    """The department is a label of the HISP, not its parent: the HISP's page answers (agencies link
    to it), so the sitemap lists it; the unpublished agency's own page is not listed."""
    agency = AgencyFactory(status=Status.DRAFT)
    hisp = HispFactory(agency=agency)
    entries = sitemap(client)
    assert SITE + hisp.get_absolute_url() in entries
    assert SITE + agency.get_absolute_url() not in entries


def _hidden(publishing):
    """One object of each model in the sitemap, not public, and children of a hidden parent."""
    area = PriorityAreaFactory(**publishing)
    objects = [
        area,
        ProgressUpdateFactory(**publishing),
        ProgressUpdateFactory(priority_area=area),
        StrategyFactory(**publishing),
        StrategyFactory(priority_area=area),
        HispFactory(**publishing),
        LifeExperienceFactory(**publishing),
    ]
    agency = AgencyFactory(**publishing)
    HispFactory(agency=agency)
    return [*objects, agency]


@pytest.mark.parametrize(
    "publishing",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"status": Status.ARCHIVED},
        {"status": Status.PUBLISHED, "publish_at": "later"},
    ],
    ids=["draft", "in_review", "archived", "scheduled"],
)
def test_drafts_and_scheduled_objects_are_absent(client, publishing):
    if publishing.get("publish_at") == "later":
        publishing = {**publishing, "publish_at": timezone.now() + datetime.timedelta(days=2)}
    hidden = _hidden(publishing)
    entries = sitemap(client)
    for obj in hidden:
        assert SITE + obj.get_absolute_url() not in entries, obj


def _ten_times_the_content():
    for _ in range(4):
        area = PriorityAreaFactory()
        ProgressUpdateFactory.create_batch(20, priority_area=area)
        StrategyFactory.create_batch(15, priority_area=area)
    HispFactory.create_batch(500)
    LifeExperienceFactory.create_batch(50)


@pytest.mark.parametrize("scale", ["real", "10x"])
def test_query_count_is_fixed(client, django_assert_num_queries, scale):
    if scale == "10x":
        _ten_times_the_content()
    # Two per object section (its count, then its rows); none for the site pages.
    with django_assert_num_queries(14):
        entries = sitemap(client)
    assert len(entries) > (1000 if scale == "10x" else 90)


def test_robots_txt_allows_all_but_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Sitemap: http://testserver/sitemap.xml",
    ]
