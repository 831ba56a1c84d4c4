"""/search/: finds real content of every type, ranks and groups it, tells like titles apart, marks
the matches and suggests a spelling. Hostile input, visibility and query counts are in
test_search_safety.py."""

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from hisps.models import Document, Hisp, QuarterlyReport
from priorities.models import Highlight, Leader
from tests.discovery.searching import URL, group_headings, groups, hit_links, search, words
from tests.factories import HispFactory, LeaderFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_finds_a_real_update_milestone_and_goal(client):
    page = search(client, q="capacity assessment")
    assert "/pma/cx/updates/2023-08/" in hit_links(page)
    assert any(re.fullmatch(r"/pma/cx/strategy/1/#milestone-\d+", link) for link in hit_links(page))
    assert "Milestones (2)" in group_headings(page)

    page = search(client, q="overarching management framework")
    assert "/pma/cx/strategy/2/#goal-2.1" in hit_links(page)


def test_finds_real_hisps_services_and_life_experiences(client):
    page = search(client, q="passport")
    passport = Hisp.objects.get(slug="passport-services")
    assert passport.get_absolute_url() in hit_links(page)
    assert "High Impact Service Providers (2)" in group_headings(page)
    assert "Services (1)" in group_headings(page)
    # The 2020 list's entry of the same provider says it is no longer designated.
    contexts = re.findall(r'<p class="search-hit__context">(.*?)</p>', page)
    assert "U.S. Department of State · No longer designated" in contexts

    page = search(client, q="disaster")
    assert reverse("priorities:life_experience", args=["recovering-from-a-disaster"]) in hit_links(
        page
    )


def test_matches_are_marked_in_escaped_snippets(client):
    page = search(client, q="passport")
    snippets = re.findall(r'<p class="search-hit__snippet">(.*?)</p>', page)
    assert snippets and all("<mark>" in snippet for snippet in snippets)
    assert "<mark>Passport</mark> Services" in snippets[0]
    assert "<mark>passports</mark>" in page  # stemmed: "passport" finds "passports"


def test_groups_have_a_heading_with_their_count_and_a_jump_list(client):
    page = search(client, q="life experiences")
    headings = group_headings(page)
    assert len(headings) >= 4
    assert "Life experiences (5)" in headings
    total = sum(int(re.search(r"\((\d+)\)$", h).group(1)) for h in headings)
    assert f"{total} results for “life experiences”" in words(page)
    jumps = re.findall(r'<a href="#results-([\w-]+)">', page)
    assert jumps == re.findall(r'<section id="results-([\w-]+)" class="search-group"', page)


def test_ranking_puts_name_matches_first_and_the_best_type_first(client):
    HispFactory(name="Plain provider", description="Mentions zyxwombat once in passing.")
    named = HispFactory(name="Zyxwombat Services", description="All about zyxwombat and zyxwombat.")
    ServiceFactory(name="A service", description="Also mentions zyxwombat.")
    page = search(client, q="zyxwombat")
    assert group_headings(page)[0] == "High Impact Service Providers (2)"
    assert hit_links(page)[0] == named.get_absolute_url()


def test_one_type_with_pages_and_a_link_back_to_every_type(client):
    for n in range(25):
        HispFactory(name=f"Zyxnumbat provider {n}")
    ServiceFactory(name="Zyxnumbat service")
    page = search(client, q="zyxnumbat")
    assert len(hit_links(page)) == 10 + 1
    assert "See all 25 High Impact Service Providers" in words(page)
    more = html.unescape(re.search(r'class="search-group__more"><a href="([^"]+)"', page).group(1))

    page = words(client.get(URL + more).content.decode())
    assert "25 results for “zyxnumbat” among High Impact Service Providers" in page
    assert "Page 1 of 2" in page and "Show results of every type" in page
    second = search(client, q="zyxnumbat", type="hisps", page=2)
    assert len(hit_links(second)) == 5 and "Page 2 of 2" in words(second)
    beyond = words(search(client, q="zyxnumbat", type="hisps", page=9))
    assert "There are no results on page 9" in beyond


@pytest.mark.parametrize("q", ["", "   ", "\x07\x1b", None])
def test_empty_search_is_a_friendly_page_without_queries(client, django_assert_num_queries, q):
    with django_assert_num_queries(0):
        page = search(client, **({} if q is None else {"q": q}))
    text = words(page)
    assert "Search the priority areas" in text and "For example:" in text
    assert "results for" not in text and 'name="robots" content="noindex"' in page
    assert '<label class="usa-label" for="search-field">Search terms</label>' in page


def test_no_results_says_so(client):
    text = words(search(client, q="zyxnothingmatches"))
    assert "No results for “zyxnothingmatches”" in text
    assert "Try other words" in text


def test_header_search_box_leads_here(client):
    page = client.get(reverse("home")).content.decode()
    form = re.search(r'<form class="usa-search usa-search--small site-search"[^>]*>', page).group(0)
    assert f'action="{URL}"' in form and 'method="get"' in form


def test_the_page_search_form_keeps_the_words(client):
    page = search(client, q="passport")
    assert 'value="passport"' in page
    assert "<title>Search results for “passport” | Performance.gov</title>" in page


# --- Current over earlier, and like titles told apart (issue 8: "passport"). --------------------


@pytest.mark.parametrize(
    ("q", "current", "earlier"),
    [
        ("passport", "passport-services", "dos-ca"),
        ("Passport Services", "passport-services", "dos-ca"),
        ("Retirement Services", "retirement-services", "opm-rs"),
        ("medicare", "centers-for-medicare-and-medicaid-services", "hhs-medicare"),
        ("social security", "social-security-administration", "ssa-oo"),
    ],
)
def test_a_current_designation_ranks_above_the_2020_entry(client, q, current, earlier):
    providers = [link for _, link in groups(search(client, q=q))["hisps"]]
    assert providers.index(f"/cx/hisps/{current}/") < providers.index(f"/cx/hisps/{earlier}/")


@pytest.mark.parametrize(
    "q", ["passport", "Passport Services", "Retirement Services", "Recreation.gov", "customer"]
)
def test_no_two_hits_of_a_group_share_a_title(client, q):
    for key, hits in groups(search(client, q=q)).items():
        titles = [title for title, _ in hits]
        assert len(titles) == len(set(titles)), (key, titles)


def test_the_2020_entry_says_so_in_its_title(client):
    titles = dict((link, title) for title, link in groups(search(client, q="passport"))["hisps"])
    assert titles["/cx/hisps/passport-services/"] == "Passport Services"
    assert titles["/cx/hisps/dos-ca/"] == "Passport Services (2020 list)"


def test_like_titles_of_other_types_get_what_tells_them_apart(client):
    """Two current leaders' seats of the same name on two areas: told apart by the area."""
    first, second = (LeaderFactory(name="Zyxdingo Person") for _ in range(2))
    hits = groups(search(client, q="zyxdingo"))["leaders"]
    assert sorted(link for _, link in hits) == sorted(
        [first.get_absolute_url(), second.get_absolute_url()]
    )
    assert len({title for title, _ in hits}) == 2
    assert all(title.startswith("Zyxdingo Person (") for title, _ in hits)


# --- Every public type, each linked to the page where a reader sees it. -------------------------


def test_newborn_finds_the_life_experience_page_of_the_newborn_supply_kits(client):
    links = hit_links(search(client, q="newborn"))
    page = reverse("priorities:life_experience", args=["having-a-child-and-early-childhood"])
    assert f"{page}#project-newborn-supply-kit" in links
    # The anchor is on that page.
    assert 'id="project-newborn-supply-kit"' in client.get(page).content.decode()


def test_finds_current_leaders_on_their_priority_area_page(client):
    page = search(client, q="Carnahan")
    assert ("Robin Carnahan", "/pma/cx/#leaders") in groups(page)["leaders"]
    assert 'id="leaders"' in client.get("/pma/cx/").content.decode()
    # A leader who no longer holds the seat is not on the page, so not found.
    assert "No results for “Bronaugh”" in words(search(client, q="Bronaugh"))
    assert Leader.objects.filter(name__contains="Bronaugh").exists()


def test_finds_agency_reflections_on_their_hisp_page(client):
    report = QuarterlyReport.objects.public().get(reflection__contains="iClaim", fiscal_year=2023)
    hits = groups(search(client, q="iClaim"))["reflections"]
    assert (
        "Social Security Administration: reflection, FY23 Q1",
        report.get_absolute_url(),
    ) in hits
    hisp_page = client.get(report.hisp.get_absolute_url()).content.decode()
    assert f'<article id="{report.anchor}"' in hisp_page


def test_finds_documents_and_links_the_file(client):
    guide = Document.objects.get(title__contains="Buying Guide")
    assert (guide.title, guide.url) in groups(search(client, q="buying guide"))["documents"]
    plans = groups(search(client, q="action plan dos-ca"))["documents"]
    assert plans and all(link.endswith(".pdf") for _, link in plans)


def test_finds_news_priority_areas_and_agencies(client):
    news = Highlight.objects.public().get(title="Celebrating five years of HISP progress")
    assert (news.title, news.get_absolute_url()) in groups(search(client, q="five years"))["news"]
    assert ("Strengthening and Empowering the Federal Workforce", "/pma/workforce/") in groups(
        search(client, q="federal workforce")
    )["priority-areas"]
    agencies = groups(search(client, q="Veterans Benefits Administration"))["agencies"]
    assert ("Veterans Benefits Administration (VBA)", "/cx/agencies/va-vba/") in agencies


def test_a_leaders_unpublished_agency_is_neither_shown_nor_searched(client):
    LeaderFactory(name="Zyxkoala Lead", agency__name="Zz Hidden Agency", agency__status="draft")
    page = search(client, q="zyxkoala")
    assert [title for title, _ in groups(page)["leaders"]] == ["Zyxkoala Lead"]
    assert "Zz Hidden Agency" not in page
    assert "No results" in words(search(client, q="Hidden Agency zyxkoala"))


# --- "Did you mean …" (pg_trgm). ------------------------------------------------------------------


def suggestion(page: str) -> tuple[str, str] | None:
    found = re.search(
        r'<p class="search-suggestion">Did you mean <a href="([^"]+)">(.*?)</a>\?</p>', page
    )
    return (html.unescape(found.group(1)), words(found.group(2))) if found else None


def test_a_typo_gets_a_did_you_mean_link_that_finds_results(client):
    page = search(client, q="pasport")
    assert "No results for “pasport”" in words(page)
    link, text = suggestion(page)
    assert text == "passport"
    assert link.startswith("?")
    found = client.get(URL + link).content.decode()
    assert "/cx/hisps/passport-services/" in hit_links(found)


@pytest.mark.parametrize(
    ("q", "suggested"),
    [
        ("newbron", "newborn"),
        ("veteran benefts", "veteran benefits"),
        ('"pasport" -visa', '"passport" -visa'),
    ],
)
def test_suggestions_keep_the_other_words_and_operators(client, q, suggested):
    assert suggestion(search(client, q=q))[1] == suggested


def test_the_suggestion_keeps_the_type(client):
    link, _ = suggestion(search(client, q="pasport", type="hisps"))
    assert "type=hisps" in link and "q=passport" in link


@pytest.mark.parametrize("q", ["zyxqwvb", "pasport zyxqwvb"])
def test_no_suggestion_unless_it_would_find_results(client, q):
    page = search(client, q=q)
    assert "No results" in words(page) and suggestion(page) is None


def test_no_suggestion_from_unpublished_words(client):
    HispFactory(name="Zyxwallabyy Secret", status="draft")
    page = search(client, q="zyxwallaby")
    assert suggestion(page) is None and "Zyxwallabyy" not in page


def test_found_words_get_no_suggestion(client):
    assert suggestion(search(client, q="passport")) is None


def test_suggestions_follow_publishing_at_once(client):
    """The words are kept between searches (ADR 0028), and read again after any change: a word
    published is suggested on the next search, and no longer once it is unpublished or its
    parent is, nor before a scheduled item's time."""
    assert suggestion(search(client, q="zyxwalaby")) is None  # the words are now kept
    hisp = HispFactory(name="Zyxwallaby Benefits Office")
    assert suggestion(search(client, q="zyxwalaby"))[1] == "zyxwallaby"

    hisp.status = "draft"
    hisp.save()
    page = search(client, q="zyxwalaby")
    assert suggestion(page) is None and "Zyxwallaby" not in page

    service = ServiceFactory(name="Quokkaroo Renewals")
    assert suggestion(search(client, q="quokaroo"))[1] == "quokkaroo"
    service.hisp.status = "draft"
    service.hisp.save()
    assert suggestion(search(client, q="quokaroo")) is None


def test_a_scheduled_word_is_suggested_once_its_time_comes(client):
    soon = timezone.now() + datetime.timedelta(hours=1)
    HispFactory(name="Zyxbilby Assistance", publish_at=soon)
    assert suggestion(search(client, q="zyxbillby")) is None
    with time_machine.travel(soon + datetime.timedelta(minutes=1)):
        assert suggestion(search(client, q="zyxbillby"))[1] == "zyxbilby"
