"""/pma/ (every agenda, current first), the Summary of Progress archive and its permalinks."""

import re

import pytest
from django.urls import reverse

from tests.priorities.conftest import words

pytestmark = pytest.mark.django_db


def test_priority_areas_are_listed_by_agenda_newest_first_with_descriptions(client):
    body = client.get(reverse("priorities:list")).content.decode()
    agendas = [words(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", body, re.S)]
    assert agendas == [
        # Its term ended on January 20, 2025: today it is a past agenda, not the current one.
        "Biden-Harris President's Management Agenda (2021–2025) Past agenda",
        "President's Management Agenda (2018–2021), Cross-Agency Priority (CAP) Goal Past agenda",
    ]
    titles = [words(h) for h in re.findall(r'<h3 class="area-list__title">(.*?)</h3>', body, re.S)]
    assert titles == [
        "Strengthening and Empowering the Federal Workforce",
        "Delivering Excellent, Equitable, and Secure Federal Services and Customer Experience",
        "Managing the Business of Government to Build Back Better",
        "Improving Customer Experience with Federal Services",
    ]
    text = words(body)
    assert "The Federal Government must deliver a simple, seamless, and secure customer" in text
    assert (
        "This goal will provide a modern, streamlined, and responsive customer experience" in text
    )
    assert re.search(r'href="/pma/cx/">Delivering Excellent', body)
    assert "Last updated" not in text  # the source gives no date: nothing, rather than the import's


def test_the_archive_lists_every_published_summary_newest_first_with_permalinks(client):
    body = client.get(reverse("priorities:updates", kwargs={"slug": "cx"})).content.decode()
    labels = re.findall(r'<a href="(/pma/cx/updates/\d{4}-\d{2}/)"><time[^>]*>([^<]+)</time>', body)
    assert labels == [
        ("/pma/cx/updates/2023-12/", "December 2023"),
        ("/pma/cx/updates/2023-08/", "August 2023"),
        ("/pma/cx/updates/2023-05/", "May 2023"),
        ("/pma/cx/updates/2023-03/", "March 2023"),
        ("/pma/cx/updates/2022-11/", "November 2022"),
        ("/pma/cx/updates/2022-07/", "July 2022"),
    ]
    years = [words(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", body, re.S)]
    assert years == ["2023", "2022"]
    # Strategy status notes and action-plan PDFs are not Summary of Progress entries.
    assert "As of April 2024" not in body and "2018-Q1" not in body
    for url, _ in labels:
        assert client.get(url).status_code == 200


def test_the_reference_page_links_to_the_archive(client):
    body = client.get("/pma/cx/").content.decode()
    assert 'href="/pma/cx/updates/">All progress updates' in body


def test_an_area_without_updates_says_so(get_text):
    assert "No progress updates have been published yet." in get_text(
        "/pma/business-of-government/updates/"
    )


@pytest.mark.parametrize(
    ("month", "older", "newer"),
    [
        ("2023-08", "May 2023", "December 2023"),
        ("2023-12", "August 2023", None),
        ("2022-07", None, "November 2022"),
    ],
)
def test_permalinks_lead_to_the_previous_and_next_update(client, month, older, newer):
    body = client.get(f"/pma/cx/updates/{month}/").content.decode()
    text = words(body)
    assert "Last updated" in text
    if older:
        assert f"Previous update {older}" in text
        assert re.search(r'<a href="/pma/cx/updates/[\d-]+/" rel="prev">', body)
    else:
        assert "Previous update" not in text
    if newer:
        assert f"Next update {newer}" in text
    else:
        assert "Next update" not in text
    assert "All progress updates for Customer Experience" in text


def test_the_workforce_updates_do_not_mix_with_customer_experience(get_text):
    page = get_text("/pma/workforce/updates/2022-07/")
    assert "Next update November 2022" in page and "Previous update" not in page
    assert "December 2023" not in page and "August 2023" not in page


@pytest.mark.parametrize(
    "month",
    ["2023-13", "abc", "0000-00", "2023-00", "2023-8", "99999-01", "2023-08-01", "2023-08x",
     "%3Cscript%3E", "1999-01", "x" * 2000],
)  # fmt: skip
def test_bad_months_are_not_found(client, month):
    response = client.get(f"/pma/cx/updates/{month}/")
    assert response.status_code == 404
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("url", ["/pma/nope/", "/pma/nope/updates/", "/pma/nope/updates/2023-08/"])
def test_unknown_areas_are_not_found(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/pma/cx/", "/pma/cx/updates/", "/pma/cx/updates/2023-08/"])
def test_update_pages_advertise_the_areas_feeds(client, url):
    body = client.get(url).content.decode()
    feeds = re.findall(
        r'<link rel="alternate" type="application/(atom|rss)\+xml"[^>]*href="([^"]+)"', body
    )
    area_feeds = [href for _, href in feeds if "/pma/cx/" in href]
    assert len(area_feeds) == 2
    for href in area_feeds:
        response = client.get(href)
        assert response.status_code == 200
        assert b"December 2023" in response.content
