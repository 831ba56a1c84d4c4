"""News and highlights: /news/ lists every public post, newest first, ten a page; each post has a
page of its own at /news/<slug>/ with its date, author, text and a link to the original."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from priorities.models import Highlight, PriorityArea
from tests.factories import HighlightFactory
from tests.priorities.conftest import words

pytestmark = pytest.mark.django_db

LATER = timezone.now() + datetime.timedelta(days=7)
POST_LINK = re.compile(r'<h2 class="usa-collection__heading"><a class="usa-link" href="([^"]+)">')


@pytest.fixture
def cx():
    """A highlight is public while one of its priority areas is."""
    return PriorityArea.objects.get(slug="cx")


def news_links(client) -> list[str]:
    """The post addresses of every page of /news/, in order."""
    found, page = [], 1
    while True:
        response = client.get(reverse("priorities:news"), {"page": page})
        assert response.status_code == 200
        html = response.content.decode()
        found += POST_LINK.findall(html)
        if 'aria-label="Next page"' not in html:
            return found
        page += 1


def test_every_public_post_is_listed_newest_first_on_pages_of_ten(client):
    """3 of the 11 posts were once reachable only through the feed, and highlights stopped at 6."""
    public = list(Highlight.objects.public())
    assert len(public) == 11
    first = client.get(reverse("priorities:news")).content.decode()
    assert len(POST_LINK.findall(first)) == 10
    assert "11 posts; showing 1 to 10." in words(first)
    assert 'aria-label="Pages of news and highlights"' in first
    links = news_links(client)
    assert links == [post.get_absolute_url() for post in public]
    # Newest first, with their own dates; undated posts come last.
    dates = [post.date for post in public]
    dated = [day for day in dates if day]
    assert dated == sorted(dated, reverse=True) and dates[: len(dated)] == dated
    assert '<time datetime="2023-03-03">March 3, 2023</time>' in first


def test_a_post_has_a_page_with_its_date_author_excerpt_and_original(client):
    post = Highlight.objects.get(slug="what-we-learned-from-customers-2020")
    assert post.get_absolute_url() == "/news/what-we-learned-from-customers-2020/"
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    text = words(page)
    assert "<h1>What have we learned from Federal customers in FY20?</h1>" in page
    assert "Published January 15, 2021" in text and "By Performance.gov Team" in text
    assert "over 2.2 million completed surveys" in text
    # Only an excerpt was kept: the page says so, and links to the whole post.
    assert "This page has an excerpt only. Read the full post on performance.gov" in text
    assert 'href="https://www.performance.gov/cx/blog/what-we-learned-from-customers-2020/"' in page


def test_a_post_with_a_body_renders_it_as_markdown(client, cx):
    post = HighlightFactory(
        priority_areas=[cx],
        body="The **whole** post, with [a link](https://www.performance.gov/cx/).",
        external_url="https://www.performance.gov/cx/blog/whole/",
        author="OMB",
        date=None,
    )
    page = client.get(post.get_absolute_url()).content.decode()
    assert "The <strong>whole</strong> post" in page
    assert '<a href="https://www.performance.gov/cx/" rel="noopener noreferrer">a link</a>' in page
    assert "excerpt only" not in page
    assert "Read the original post on performance.gov" in words(page)
    assert "The original post gives no date." in words(page)


def test_a_post_kept_only_as_an_excerpt_without_an_address_says_so(client, cx):
    post = HighlightFactory(priority_areas=[cx], external_url="", body="")
    text = words(client.get(post.get_absolute_url()).content.decode())
    assert "Something good happened." in text
    assert "Only this excerpt of the post has been kept." in text


@pytest.mark.parametrize(
    "publishing", [{"status": Status.DRAFT}, {"status": Status.PUBLISHED, "publish_at": LATER}]
)
def test_unpublished_posts_are_not_found_nor_listed(client, cx, publishing):
    post = HighlightFactory(
        title="Zz hidden post", date=datetime.date(2031, 1, 1), priority_areas=[cx], **publishing
    )
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Zz hidden post" not in client.get(reverse("priorities:news")).content.decode()


def test_a_post_of_an_unpublished_area_only_is_not_found(client, cx):
    post = HighlightFactory(priority_areas=[cx])
    assert client.get(post.get_absolute_url()).status_code == 200
    cx.status = Status.DRAFT
    cx.save()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_bad_page_numbers_get_a_page_not_an_error(client):
    for page in ("abc", "999", "-1"):
        response = client.get(reverse("priorities:news"), {"page": page})
        assert response.status_code == 200
        assert POST_LINK.findall(response.content.decode())


def test_home_and_area_pages_link_to_all_news(client):
    home = client.get(reverse("home")).content.decode()
    assert '<a class="usa-link" href="/news/">All news and highlights</a>' in home
    # The three newest posts, on their pages here.
    assert re.findall(r'<h3 class="usa-collection__heading"><a class="usa-link" href="([^"]+)"', home) == [
        post.get_absolute_url() for post in Highlight.objects.public()[:3]
    ]  # fmt: skip
    area = client.get(reverse("priorities:detail", args=["cx"])).content.decode()
    highlights = re.search(r'<section id="highlights".*?</section>', area, re.S).group(0)
    assert 'href="/news/">All news and highlights</a>' in highlights
    assert 'href="/news/2023-q1-pma-updates/"' in highlights


def test_news_is_in_the_navigation_and_the_sitemap(client):
    page = client.get(reverse("priorities:news")).content.decode()
    header = re.search(r'<header class="usa-header.*?</header>', page, re.S).group(0)
    assert 'href="/news/" class="usa-nav-link usa-current" aria-current="page"' in header
    footer = re.search(r"<footer.*?</footer>", page, re.S).group(0)
    assert 'href="/news/">News</a>' in footer
    sitemap = client.get(reverse("discovery:sitemap")).content.decode()
    assert "<loc>http://testserver/news/</loc>" in sitemap
    assert "<loc>http://testserver/news/priority-area-leads/</loc>" in sitemap
    assert sitemap.count("<loc>http://testserver/news/") == 12


@pytest.mark.parametrize("posts", [3, 30])
def test_news_query_count_does_not_grow_with_posts(client, cx, django_assert_num_queries, posts):
    HighlightFactory.create_batch(posts, date=datetime.date(2035, 1, 1), priority_areas=[cx])
    with django_assert_num_queries(2):  # the count, and the page of posts
        response = client.get(reverse("priorities:news"))
    assert len(POST_LINK.findall(response.content.decode())) == 10


def test_post_page_query_count(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/news/priority-area-leads/")
    assert "Announcing Priority Area Leaders" in response.content.decode()


def test_an_archived_post_keeps_its_page_with_the_notice(client, cx):
    post = HighlightFactory(priority_areas=[cx], title="Zz archived post")
    post.status = Status.ARCHIVED
    post.save()
    response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    assert 'aria-label="Archived"' in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex"
    assert "Zz archived post" not in client.get(reverse("priorities:news")).content.decode()


def test_staff_preview_a_draft_post_at_its_own_address(admin_client, cx):
    post = HighlightFactory(priority_areas=[cx], title="Zz draft post", status=Status.DRAFT)
    response = admin_client.get(reverse("admin:priorities_highlight_preview", args=[post.pk]))
    assert response.status_code == 200
    assert "<h1>Zz draft post</h1>" in response.content.decode()
