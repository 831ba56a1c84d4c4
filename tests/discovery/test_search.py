"""/search/: finds real content, ranks and groups it, marks the matches, and shows only what is public."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cxportal.discovery.search import START, STOP, highlight
from hisps.models import Hisp
from tests.factories import (
    GoalFactory,
    HispFactory,
    LifeExperienceFactory,
    LifeExperienceProjectFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    ServiceFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

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
    return re.findall(r'<h4 class="search-hit__title"><a href="([^"]+)"', page)


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


@pytest.mark.parametrize("q", ["", "   ", None])
def test_empty_search_is_a_friendly_page_without_queries(client, django_assert_num_queries, q):
    with django_assert_num_queries(0):
        page = search(client, **({} if q is None else {"q": q}))
    text = words(page)
    assert "Search the progress updates" in text and "For example:" in text
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


# --- Hostile and broken input: an escaped 200, never a 500. -------------------------------------

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE hisps_hisp; --",
    "' OR 1=1 --",
    'passport" OR "1"="1',
    "(",
    '"',
    "-",
    "!!! & | <-> :*",
    "the",
    "😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ￿",
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_text_is_escaped(client, q):
    hisps = Hisp.objects.count()
    page = search(client, q=q)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert f"for “{html.escape(q.strip())}”" in page
    assert Hisp.objects.count() == hisps


def test_hostile_text_in_content_is_escaped_around_the_marks(client):
    HispFactory(
        name="Zyxbilby provider",
        description='<script>alert("zyxbilby")</script> and <b onmouseover=alert(1)>zyxbilby</b> '
        f"with stray markers {START} and {STOP} left by an editor.",
    )
    page = search(client, q="zyxbilby")
    assert "<script>" not in page.split("</head>")[1].replace('<script src="', "")
    assert "&lt;script&gt;alert(&quot;zyxbilby&quot;)&lt;/script&gt;" in page
    assert "&lt;b onmouseover=alert(1)&gt;<mark>zyxbilby</mark>&lt;/b&gt;" in page
    assert "<b onmouseover" not in page
    snippet = re.search(r'<p class="search-hit__snippet">(.*?)</p>', page).group(1)
    assert snippet.count("<mark>") == snippet.count("</mark>") >= 2
    assert START not in page and STOP not in page


def test_highlight_makes_only_complete_pairs_into_marks():
    assert highlight(f"a {START}b{STOP} <i>c</i>") == "a <mark>b</mark> &lt;i&gt;c&lt;/i&gt;"
    assert highlight(f"{START}open {STOP}{STOP} close{START}") == "<mark>open </mark> close"
    assert highlight("See [the plan](https://example.gov/x) **now**") == "See the plan now"


def test_nul_bytes_are_dropped(client):
    page = search(client, q="pass\x00port")
    assert "/cx/hisps/passport-services/" in hit_links(page)
    assert "\x00" not in page and "Null characters" not in page


def test_too_long_text_gets_a_message_and_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = search(client, q="passport " * 500)
    assert "Search for 200 characters or fewer" in words(page)
    assert "usa-form-group--error" in page and "results for" not in words(page)
    assert len(re.search(r'id="search-field"[^>]*value="([^"]*)"', page).group(1)) == 200


@pytest.mark.parametrize(
    "query_string",
    ["q=%ff%fe", "q=%C3%28passport", "q=%", "q=%zz", "q=passport&q=%ff", "q=%00%00", "q[]=x"],
)
def test_broken_percent_escapes(client, query_string):
    response = client.get(f"{URL}?{query_string}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Search</h1>" in page and "\x00" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"type": "bogus"},
            "There is no type of result called “bogus”. Showing results of every type.",
        ),
        ({"page": "abc"}, "The page number must be a whole number. Showing the first page."),
        ({"page": "0"}, "Showing the first page."),
        ({"page": "99999999999999999999"}, "Showing the first page."),
        ({"type": "hisps", "page": "-1"}, "Showing the first page."),
    ],
)
def test_nonsense_type_and_page_give_a_message(client, params, message):
    page = words(search(client, q="passport", **params))
    assert message in page
    assert "results for “passport”" in page


# --- Only public objects, with public parents. -------------------------------------------------

HIDDEN = [
    {"status": "draft"},
    {"status": "in_review"},
    {"status": "archived"},
    {"status": "published", "publish_at": "future"},
]


def _publishing(hidden):
    if hidden.get("publish_at") == "future":
        return {"status": "published", "publish_at": timezone.now() + timedelta(days=2)}
    return dict(hidden)


MAKERS = {
    "updates": lambda text, **kw: ProgressUpdateFactory(body=text, **kw),
    "strategies": lambda text, **kw: StrategyFactory(title=text, **kw),
    "goals": lambda text, **kw: GoalFactory(statement=text, **kw),
    "milestones": lambda text, **kw: MilestoneFactory(title=text, **kw),
    "hisps": lambda text, **kw: HispFactory(name=text, **kw),
    "services": lambda text, **kw: ServiceFactory(name=text, **kw),
    "life-experiences": lambda text, **kw: LifeExperienceFactory(name=text, **kw),
}


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda h: h.get("publish_at", h["status"]))
@pytest.mark.parametrize("kind", MAKERS)
def test_drafts_and_scheduled_objects_are_never_found(client, kind, hidden):
    shown = MAKERS[kind]("Zyxquokka shown")
    MAKERS[kind]("Zyxquokka secretword", **_publishing(hidden))
    page = search(client, q="zyxquokka")
    assert shown.get_absolute_url() in hit_links(page)
    assert "secretword" not in page
    assert re.search(r"\(1\)</span></h3>", page)


def _under_hidden_parent():
    draft = {"status": "draft"}
    scheduled = _publishing({"publish_at": "future"})
    return {
        "update of a draft area": lambda t: ProgressUpdateFactory(
            body=t, priority_area=PriorityAreaFactory(**draft)
        ),
        "strategy of a scheduled area": lambda t: StrategyFactory(
            title=t, priority_area=PriorityAreaFactory(**scheduled)
        ),
        "goal of a draft strategy": lambda t: GoalFactory(
            statement=t, strategy=StrategyFactory(**draft)
        ),
        "goal of a strategy of a draft area": lambda t: GoalFactory(
            statement=t, strategy=StrategyFactory(priority_area=PriorityAreaFactory(**draft))
        ),
        "milestone of a draft strategy": lambda t: MilestoneFactory(
            title=t, strategy=StrategyFactory(**draft)
        ),
        "milestone of a scheduled goal": lambda t: _milestone_of_goal(t, scheduled),
        "milestone of a project of a draft life experience": lambda t: _project_milestone(
            t, life_experience=draft
        ),
        "milestone of a draft project": lambda t: _project_milestone(t, project=draft),
        "service of a draft HISP": lambda t: ServiceFactory(name=t, hisp__status="draft"),
    }


def _milestone_of_goal(text, publishing):
    goal = GoalFactory(**publishing)
    return MilestoneFactory(title=text, strategy=goal.strategy, goal=goal)


def _project_milestone(text, life_experience=None, project=None):
    le = LifeExperienceFactory(**(life_experience or {}))
    proj = LifeExperienceProjectFactory(life_experience=le, **(project or {}))
    return MilestoneFactory(title=text, strategy=None, project=proj)


@pytest.mark.parametrize("case", list(_under_hidden_parent()))
def test_objects_under_a_hidden_parent_are_never_found(client, case):
    _under_hidden_parent()[case]("Zyxplatypus orphan")
    assert "No results for “zyxplatypus”" in words(search(client, q="zyxplatypus"))


# --- Query count: one query per type, whatever the number of hits. ------------------------------


def _ten_times_the_content():
    area = PriorityAreaFactory()
    for n in range(30):  # more hits of every type than a page shows
        ProgressUpdateFactory(priority_area=area, body=f"Customer experience update {n}.")
        strategy = StrategyFactory(priority_area=area, number=100 + n, title="Customer strategy")
        GoalFactory(strategy=strategy, statement="A customer goal.")
        MilestoneFactory(strategy=strategy, title="Customer milestone")
        ServiceFactory(name=f"Customer service {n}", hisp__name=f"Customer provider {n}")
        LifeExperienceFactory(name=f"Customer life experience {n}")


@pytest.mark.parametrize("scale", ["real", "10x"])
def test_query_count_does_not_grow_with_hits(client, django_assert_num_queries, scale):
    if scale == "10x":
        _ten_times_the_content()
    with django_assert_num_queries(7):
        page = search(client, q="customer")
    assert len(group_headings(page)) == (7 if scale == "10x" else 5)
    if scale == "10x":
        assert len(hit_links(page)) == 7 * 10
    with django_assert_num_queries(1):
        page = search(client, q="customer", type="services")
    assert hit_links(page)


def test_a_hisp_of_an_unpublished_agency_is_found(client):
    """The department is a label of the HISP, not its parent: the HISP's page answers, so search
    finds it."""
    HispFactory(
        name="Quillwort Benefits Office", agency__status="draft", agency__name="Zz Secret Dept"
    )
    response = client.get("/search/", {"q": "Quillwort"})
    results = response.content.decode().split('id="results-heading"', 1)[1]
    assert "Quillwort" in results
    # ...but the unpublished department's name is neither shown nor searchable.
    assert "Zz Secret Dept" not in results
    assert "Quillwort" not in client.get("/search/", {"q": "Secret Dept"}).content.decode()
