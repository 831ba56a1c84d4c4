"""/search/ under hostile and broken input (a clear message, never a 500), with drafts, scheduled
items and children of unpublished parents never found, in a fixed number of queries."""

import datetime
import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cxportal.discovery.search import KINDS, START, STOP, clean_text, highlight
from hisps.models import Hisp, ReportingPeriod
from tests.discovery.searching import URL, group_headings, hit_links, search, words
from tests.factories import (
    AgencyFactory,
    DocumentFactory,
    GoalFactory,
    HighlightFactory,
    HispFactory,
    LeaderFactory,
    LifeExperienceFactory,
    LifeExperienceProjectFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


# --- Hostile and broken input: an escaped 200, never a 500. -------------------------------------

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE hisps_hisp; --",
    "' OR 1=1 --",
    'passport" OR "1"="1',
    "the",
    "😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ￿",
    "\u202epassport\u202c",
    "x" * 200,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_text_is_escaped(client, q):
    hisps = Hisp.objects.count()
    page = search(client, q=q)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert f"for “{html.escape(clean_text(q).strip())}”" in page
    assert Hisp.objects.count() == hisps


@pytest.mark.parametrize("q", ["(", '"', "-", "!!! & | <-> :*", "😀 ￿", "…"])
def test_text_without_words_gets_a_message_and_no_query(client, django_assert_num_queries, q):
    with django_assert_num_queries(0):
        page = search(client, q=q)
    assert "Type a word or a number to search for" in words(page)
    assert "usa-form-group--error" in page and "results for" not in words(page)


@pytest.mark.parametrize("q", ["ｐａｓｓｐｏｒｔ", "𝐩𝐚𝐬𝐬𝐩𝐨𝐫𝐭", "\x07passport\x1f", "PASSPORT"])
def test_odd_forms_of_a_word_find_it(client, q):
    assert "/cx/hisps/passport-services/" in hit_links(search(client, q=q))


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
    "priority-areas": lambda text, **kw: PriorityAreaFactory(title=text, **kw),
    "leaders": lambda text, **kw: LeaderFactory(name=text, **kw),
    "news": lambda text, **kw: HighlightFactory(
        title=text, priority_areas=[PriorityAreaFactory()], **kw
    ),
    "projects": lambda text, **kw: LifeExperienceProjectFactory(name=text, **kw),
    "agencies": lambda text, **kw: AgencyFactory(name=text, **kw),
    "reflections": lambda text, **kw: QuarterlyReportFactory(reflection=text, **kw),
    "documents": lambda text, **kw: DocumentFactory(title=text, **kw),
}


def test_every_type_is_tried():
    assert set(MAKERS) == {kind.key for kind in KINDS}


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
        "leader of a draft area": lambda t: LeaderFactory(
            name=t, priority_area=PriorityAreaFactory(**draft)
        ),
        "leader who left the seat": lambda t: LeaderFactory(
            name=t, served_from=datetime.date(2019, 1, 1), served_to=datetime.date(2020, 1, 1)
        ),
        "news of a draft area only": lambda t: HighlightFactory(
            title=t, priority_areas=[PriorityAreaFactory(**draft)]
        ),
        "news of no area": lambda t: HighlightFactory(title=t),
        "project of a draft life experience": lambda t: LifeExperienceProjectFactory(
            name=t, life_experience=LifeExperienceFactory(**draft)
        ),
        "bureau of a draft department": lambda t: AgencyFactory(
            name=t, parent=AgencyFactory(**draft)
        ),
        "reflection of a draft HISP": lambda t: QuarterlyReportFactory(
            reflection=t, hisp__status="draft"
        ),
        "reflection of a quarter still open": lambda t: _open_quarter_report(t),
        "document of a draft HISP": lambda t: DocumentFactory(title=t, hisp__status="draft"),
    }


def _open_quarter_report(text):
    report = QuarterlyReportFactory(reflection=text, fiscal_year=2031, quarter=1)
    ReportingPeriod.objects.filter(fiscal_year=2031, quarter=1).update(
        status=ReportingPeriod.State.OPEN, publish_at=None
    )
    return report


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
    area = PriorityAreaFactory(title="Customer priority area")
    for n in range(30):  # more hits of every type than a page shows
        ProgressUpdateFactory(priority_area=area, body=f"Customer experience update {n}.")
        strategy = StrategyFactory(priority_area=area, number=100 + n, title="Customer strategy")
        GoalFactory(strategy=strategy, statement="A customer goal.")
        MilestoneFactory(strategy=strategy, title="Customer milestone")
        service = ServiceFactory(name=f"Customer service {n}", hisp__name=f"Customer provider {n}")
        LifeExperienceFactory(name=f"Customer life experience {n}")
        LeaderFactory(priority_area=area, title=f"Chief customer officer {n}")
        HighlightFactory(title=f"Customer news {n}", priority_areas=[area])
        LifeExperienceProjectFactory(name=f"Customer project {n}")
        AgencyFactory(name=f"Customer agency {n}")
        QuarterlyReportFactory(hisp=service.hisp, reflection="Customers were happier.")
        DocumentFactory(hisp=service.hisp, title=f"Customer action plan {n}")


def test_query_count_does_not_grow_with_hits(client, django_assert_max_num_queries):
    """One query per type on the real content and on ten times more hits than a page shows."""
    counts = []
    for scale in ("real", "10x"):
        if scale == "10x":
            _ten_times_the_content()
        with django_assert_max_num_queries(len(KINDS)) as queries:
            page = search(client, q="customer")
        counts.append(len(queries))
    assert counts == [len(KINDS), len(KINDS)]
    assert len(group_headings(page)) == len(KINDS)
    # Each group shows its first ten: the page grows no longer with the data.
    shown = [min(10, int(re.search(r"\((\d+)\)$", h).group(1))) for h in group_headings(page)]
    assert len(hit_links(page)) == sum(shown) > 10 * (len(KINDS) - 2)
    with django_assert_max_num_queries(1):
        page = search(client, q="customer", type="services")
    assert len(hit_links(page)) == 20


def test_a_typo_costs_three_queries_more_whatever_the_content(
    client, django_assert_max_num_queries
):
    """No results: the types, then one query to read the public words (outside a transaction
    they are kept until the content changes, see tests/site/test_render_cost.py), one for the
    spelling and one to check it finds."""
    counts = []
    for scale in ("real", "10x"):
        if scale == "10x":
            _ten_times_the_content()
        with django_assert_max_num_queries(len(KINDS) + 3) as queries:
            page = search(client, q="custmer")
        counts.append(len(queries))
        assert "Did you mean" in words(page)
    assert counts == [len(KINDS) + 3, len(KINDS) + 3]


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
