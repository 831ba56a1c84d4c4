"""Public pages and feeds link only to official addresses. Where imported text was read (a cloud.gov
Pages branch preview, staging.performance.gov) is provenance: it stays in the admin (ADR 0019)."""

import re

import pytest
from django.urls import reverse

from priorities.links import official_url, validate_official
from priorities.models import Highlight, LifeExperience, PriorityArea, ProgressUpdate
from tests.site.test_home import PUBLIC_PAGES

pytestmark = pytest.mark.django_db

UNOFFICIAL = re.compile(r"federalist|cloud\.gov|staging\.performance\.gov|website-staging", re.I)
# href="…" in HTML and Atom; <link>…</link> and <guid>…</guid> in RSS.
ADDRESS = re.compile(r'href="([^"]*)"|<(?:link|guid|id)>([^<]*)</', re.I)

FEEDS = ["discovery:updates_atom", "discovery:updates_rss"]
AREA_FEEDS = ["discovery:area_updates_atom", "discovery:area_updates_rss"]


def every_public_address():
    """Every public page type, every page of every area, post and life experience, and every
    feed: the places a reader or a feed reader follows links from."""
    paths = list(PUBLIC_PAGES)
    for area in PriorityArea.objects.public():
        paths += [area.get_absolute_url(), reverse("priorities:updates", args=[area.slug])]
        paths += [reverse(name, args=[area.slug]) for name in AREA_FEEDS]
    paths += [u.get_absolute_url() for u in ProgressUpdate.objects.public().summaries().dated()]
    paths += [post.get_absolute_url() for post in Highlight.objects.public()]
    paths += [life.get_absolute_url() for life in LifeExperience.objects.public()]
    paths += [reverse(name) for name in FEEDS] + ["/news/?page=2"]
    return paths


def test_no_public_page_or_feed_links_to_a_preview_or_staging_host(client):
    paths = every_public_address()
    assert {"/news/", "/cx/resources/", "/pma/cx-2018/", "/feeds/updates.atom"} <= set(paths)
    bad = []
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        body = response.content.decode()
        for match in ADDRESS.finditer(body):
            address = match.group(1) or match.group(2)
            if UNOFFICIAL.search(address):
                bad.append(f"{path}: {address}")
    assert not bad, "\n".join(bad)


def test_the_posts_read_from_previews_link_to_their_performance_gov_addresses(client):
    """The importer maps a preview or staging address to the same path on www.performance.gov."""
    expected = {
        "priority-area-leads": "https://www.performance.gov/blog/priority-area-leads",
        "six-month-update-on-cx-eo": "https://www.performance.gov/cx/blog/six-month-update-on-cx-eo",
        "celebrating-five-years-of-hisp-progress": (
            "https://www.performance.gov/cx/blog/celebrating-five-years-of-hisp-progress"
        ),
    }
    for slug, url in expected.items():
        post = Highlight.objects.get(slug=slug)
        assert post.external_url == url
        assert f'href="{url}"' in client.get(post.get_absolute_url()).content.decode()
        # Where the text was read stays with the record, for the admin.
        assert any(UNOFFICIAL.search(s.get("url") or "") for s in post.sources), slug


def test_the_admin_keeps_where_a_post_was_read(admin_client):
    client = admin_client
    post = Highlight.objects.get(slug="six-month-update-on-cx-eo")
    page = client.get(reverse("admin:priorities_highlight_change", args=[post.pk])).content.decode()
    assert "sites.pages.cloud.gov/preview/gsa/interimperformance-dot-gov-2018/" in page
    assert "read from a preview or staging copy" in page


def test_the_admin_refuses_a_preview_address_for_a_posts_original(admin_client):
    from tests.editorial.test_workflow import highlight_form

    client = admin_client
    post = Highlight.objects.get(slug="improving-cx-governmentwide")
    preview = "https://staging.performance.gov/cx/blog/a-post/"
    response = client.post(
        reverse("admin:priorities_highlight_change", args=[post.pk]),
        highlight_form(
            post, external_url=preview, priority_areas=[a.pk for a in post.priority_areas.all()]
        ),
    )
    assert response.status_code == 200  # the form again, with the message; nothing saved
    assert "This is a preview or staging address" in response.content.decode()
    assert "https://www.performance.gov/cx/blog/a-post/" in response.content.decode()
    post.refresh_from_db()
    assert post.external_url == "https://www.performance.gov/improving-cx-governmentwide/"


@pytest.mark.parametrize(
    ("read_from", "public"),
    [
        (
            "https://federalist-5232e959-9997-4f27-a482-3c19a3c9590f.sites.pages.cloud.gov/preview/"
            "gsa/interimperformance-dot-gov-2018/august-pma-release/pma/cx/",
            "https://www.performance.gov/pma/cx/",
        ),
        ("https://staging.performance.gov/cx/blog/x", "https://www.performance.gov/cx/blog/x"),
        ("https://bidenadministration.archives.performance.gov/blog/y", "https://bidenadministration.archives.performance.gov/blog/y"),
        ("https://www.va.gov/", "https://www.va.gov/"),
        ("https://federalist-1.sites.pages.cloud.gov/site/gsa/repo/", ""),
        ("", ""),
    ],
)  # fmt: skip
def test_official_url(read_from, public):
    assert official_url(read_from) == public


def test_validate_official_accepts_official_addresses():
    validate_official("https://www.performance.gov/cx/")
    validate_official("https://bidenadministration.archives.performance.gov/blog/x/")
    validate_official("")
