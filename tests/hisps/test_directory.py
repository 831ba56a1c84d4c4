"""/cx/hisps/: the directory's filters, htmx on the same URL, bad input, and its query count."""

import html
import re

import pytest
from django.urls import reverse

from hisps.models import Hisp
from tests.factories import AgencyFactory, HispFactory, QuarterlyReportFactory
from tests.hisps.conftest import make_directory

pytestmark = pytest.mark.django_db

URL = reverse("hisps:list")


def words(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def names(response) -> list[str]:
    page = response.content.decode()
    return [
        words(name)
        for name in re.findall(r'<h3 class="usa-collection__heading">(.*?)</h3>', page, re.S)
    ]


def item(response, name: str) -> str:
    """The markup of one provider's entry in the list."""
    entries = response.content.decode().split('<li class="usa-collection__item">')[1:]
    return next(entry for entry in entries if f">{name}</a></h3>" in entry)


def count_text(response) -> str:
    page = response.content.decode()
    match = re.search(r'<p id="hisp-count"[^>]*>(.*?)</p>', page, re.S)
    if match is None:  # an htmx response updates the count out of band
        match = re.search(r'hx-swap-oob="innerHTML:#hisp-count">(.*?)</span>', page, re.S)
    return words(match.group(1))


def test_lists_current_providers_by_name_with_recent_reporting_in_words(client):
    response = client.get(URL)
    assert response.status_code == 200
    active = list(Hisp.objects.public().filter(active=True).order_by("name"))
    assert names(response) == [hisp.name for hisp in active]
    # The count says what it counts: the providers whose data is published, over which quarters.
    assert count_text(response) == (
        f"{len(active)} providers that reported customer experience data, FY21 Q1 to FY23 Q1."
    )
    # VA's health administration: the four latest quarters, each with an icon AND a word.
    vha = item(response, "Veterans Health Administration")
    assert "FY22 Q2 In line FY22 Q3 In line FY22 Q4 In line FY23 Q1 In line" in words(vha)
    assert vha.count('class="usa-icon hisp-status__icon" aria-hidden="true"') == 4


def test_every_status_word_appears_for_the_real_data(client):
    text = words(client.get(URL, {"earlier": "on"}).content.decode())
    for word in ("In line", "Partial", "Not reported", "Not rated", "No report"):
        assert word in text, word


def test_earlier_designations_only_on_request(client):
    assert "Outpatient Services" not in names(client.get(URL))
    response = client.get(URL, {"earlier": "on"})
    assert "Outpatient Services" in names(response)
    total = Hisp.objects.public().count()
    assert (
        count_text(response)
        == f"{total} providers, including earlier designations (the 2020 list). Page 1 of 2."
    )
    # A 2020 entry is marked, and shows the last quarters it reported in.
    entry = words(item(response, "Outpatient Services"))
    assert "2020 list" in entry
    assert "FY20 Q1 Partial FY20 Q2 Partial" in entry


def test_filter_by_agency_status_and_text(client):
    by_agency = names(client.get(URL, {"agency": "va"}))
    assert by_agency == ["Veterans Benefits Administration", "Veterans Health Administration"]
    # NRCS and Retirement Services filed a report for FY23 Q1 that was not rated.
    assert names(client.get(URL, {"status": "not_rated"})) == [
        "Natural Resources Conservation Service",
        "Retirement Services",
    ]
    no_report = names(client.get(URL, {"status": "no_report"}))
    assert no_report and "Veterans Health Administration" not in no_report
    in_line = names(client.get(URL, {"status": "in_line", "agency": "va"}))
    assert in_line == by_agency
    # Every word must match: a name, the agency, or a service.
    assert names(client.get(URL, {"q": "veterans health"})) == ["Veterans Health Administration"]
    assert names(client.get(URL, {"q": "outpatient", "agency": "va"})) == [
        "Veterans Health Administration"
    ]  # its service "Receiving outpatient services"
    response = client.get(URL, {"q": "passport"})
    assert names(response) == ["Passport Services"]
    assert count_text(response) == (
        "1 provider that reported customer experience data, FY21 Q1 to FY23 Q1, matches your filters."
    )


def test_sort_by_agency(client):
    response = client.get(URL, {"sort": "agency"})
    hisps = Hisp.objects.public().filter(active=True).select_related("agency")
    expected = [h.name for h in sorted(hisps, key=lambda h: (h.agency.name, h.name, h.pk))]
    assert names(response) == expected
    assert names(response) != names(client.get(URL, {"sort": "name"}))


def test_form_keeps_the_chosen_filters(client):
    page = client.get(URL, {"agency": "va", "q": "health", "earlier": "on"}).content.decode()
    assert '<option value="va" selected>' in page
    assert 'value="health"' in page
    assert re.search(r'<input type="checkbox" name="earlier"[^>]*checked', page)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"agency": "no-such-agency"}, "Agency: That agency is not in the list."),
        ({"status": "excellent"}, "That reporting status is not in the list."),
        ({"sort": "-name;DROP TABLE"}, "Sort by: Results can be sorted by name or by agency only."),
        ({"q": "x" * 500}, "Ensure this value has at most 200 characters"),
        ({"q": "nul\x00byte"}, "Null characters are not allowed."),
        ({"agency": "va\x00"}, "Agency: Null characters are not allowed."),
    ],
)
def test_bad_filters_are_named_and_the_rest_still_apply(client, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    text = words(response.content.decode())
    assert "Some filters were not understood, so they were left out:" in text
    assert message in text
    # The filter that was understood still applies; the bad one is left out.
    assert len(names(response)) == Hisp.objects.public().filter(active=True).count()


def test_bad_page_numbers_show_a_real_page_and_say_so(client):
    for page, shown in (("abc", 1), ("99999", 1), ("-1", 1), ("1.5", 1)):
        response = client.get(URL, {"page": page})
        assert response.status_code == 200
        assert f"There is no page “{page}”. Showing page {shown} of 1." in words(
            response.content.decode()
        )
        assert len(names(response)) == 28


def test_hostile_text_is_escaped(client):
    response = client.get(URL, {"q": '<script>alert(1)</script>" onmouseover="x'})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in page
    assert "No providers match these filters." in words(page)
    # Broken UTF-8 in a percent-escape.
    response = client.get(URL + "?q=%ff%fe%80&agency=%c3%28")
    assert response.status_code == 200


def test_pagination_links_keep_the_filters(client):
    make_directory(count=70)
    first = client.get(URL, {"sort": "agency"})
    assert count_text(first).endswith("Page 1 of 3.")
    page = first.content.decode()
    assert 'href="?sort=agency&amp;page=2"' in page
    assert 'hx-get="?sort=agency&amp;page=2"' in page
    second = client.get(URL, {"sort": "agency", "page": "2"})
    assert set(names(first)).isdisjoint(names(second))
    assert 'aria-current="page">2</a>' in second.content.decode()


def test_htmx_request_gets_only_the_results_fragment(client):
    response = client.get(URL, {"agency": "va"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and "<form" not in page and "usa-banner" not in page
    assert names(response) == ["Veterans Benefits Administration", "Veterans Health Administration"]
    # The live count is updated out of band.
    assert count_text(response) == (
        "2 providers that reported customer experience data, FY21 Q1 to FY23 Q1, match your filters."
    )
    assert "HX-Request" in response["Vary"]


def test_history_restore_and_plain_requests_get_the_full_page(client):
    restore = client.get(
        URL, {"agency": "va"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    plain = client.get(URL, {"agency": "va"})
    for response in (restore, plain):
        page = response.content.decode()
        assert page.startswith("<!doctype html>") and "<form" in page
        assert "hx-swap-oob" not in page
        assert names(response) == [
            "Veterans Benefits Administration",
            "Veterans Health Administration",
        ]
        assert "HX-Request" in response["Vary"]


def test_the_filter_form_works_without_javascript_and_with_htmx(client):
    page = client.get(URL).content.decode()
    form = re.search(r'<form id="hisp-filters"[^>]*>', page, re.S).group(0)
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert f'hx-get="{URL}"' in form and 'hx-target="#hisp-results"' in form
    assert 'hx-push-url="true"' in form
    assert '<button class="usa-button" type="submit">' in page


def test_agency_choices_are_published_departments_with_providers(client):
    AgencyFactory(name="A Department With No Providers", slug="empty-dept")
    draft = AgencyFactory(name="A Draft Department", slug="draft-dept", status="draft")
    HispFactory(agency=draft, name="Provider of a draft department")
    page = client.get(URL).content.decode()
    assert '<option value="va">U.S. Department of Veterans Affairs</option>' in page
    assert "empty-dept" not in page and "draft-dept" not in page
    response = client.get(URL, {"agency": "draft-dept"})
    assert "That agency is not in the list." in words(response.content.decode())


def test_an_active_provider_that_missed_the_latest_quarter_shows_no_report(client):
    hisp = HispFactory(name="A Provider That Stopped Reporting")
    QuarterlyReportFactory(hisp=hisp, fiscal_year=2022, quarter=2, rating="in_line")
    response = client.get(URL, {"q": "stopped reporting"})
    assert words(item(response, hisp.name)).count("No report") == 3
    assert names(client.get(URL, {"q": "stopped", "status": "no_report"})) == [hisp.name]


@pytest.mark.parametrize("data", ["real", "synthetic"])
def test_query_count_is_the_same_for_ten_times_the_data(client, django_assert_num_queries, data):
    if data == "synthetic":
        make_directory(count=300)
    # latest quarters, agency choices, count, providers (with agency and bureau), their reports,
    # and the span of quarters the count speaks of
    with django_assert_num_queries(6):
        response = client.get(URL, {"earlier": "on"})
    assert len(names(response)) == 30
    # A filtered page: one more, to check the chosen agency.
    with django_assert_num_queries(7):
        response = client.get(URL, {"agency": "va", "status": "in_line", "q": "veterans"})
    assert len(names(response)) == 2
    # The htmx fragment does not render the form.
    with django_assert_num_queries(5):
        client.get(URL, {"page": "2", "earlier": "on"}, headers={"HX-Request": "true"})


def test_the_page_links_stay_few_however_many_pages(client):
    """USWDS pagination: the first and last pages, two on each side of this one, and an
    ellipsis for the rest, so the bar does not grow with the directory (ADR 0028)."""
    make_directory(count=300)
    page = client.get(URL, {"earlier": "on", "page": "6"}).content.decode()
    bar = page.split('aria-label="Pages of providers"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'aria-label="Page (\d+)"', bar) == ["1", "4", "5", "6", "7", "8", "12"]
    assert bar.count("usa-pagination__overflow") == 2
    assert 'aria-label="Page 6" aria-current="page"' in bar
