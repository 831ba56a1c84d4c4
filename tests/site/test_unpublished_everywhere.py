"""Nothing that is not public appears on any public surface: a draft, a scheduled or an archived
object of every public model, and an object whose parent is a draft, are absent from pages, lists,
search, feeds, the sitemap, every download and API file, and the home page's figures; an object
with a page of its own answers 404 there (an archived one keeps its page, marked "Archived").

Each state is one test: it makes an object of every model in that state at once, then fetches
each surface once. Every object carries the word MARK and a tag of its kind, so a leak names the
kind that leaked.
"""

import datetime
import re

import pytest
from django.apps import apps
from django.utils import timezone

from content.publishing import ContentModel, Status
from hisps.models import CxMeasure, Hisp
from priorities.models import LifeExperience, PriorityArea, Strategy
from tests.factories import (
    AgencyFactory,
    CxMeasureFactory,
    DocumentFactory,
    GoalFactory,
    HighlightFactory,
    HispFactory,
    LeaderFactory,
    LegacyPathFactory,
    LegacyScoreFactory,
    LifeExperienceFactory,
    LifeExperienceProjectFactory,
    LifeExperienceStatFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    StrategyFactory,
    SuccessMetricFactory,
    SurveyResultFactory,
)

pytestmark = pytest.mark.django_db

MARK = "Zyxwvut"  # a word found nowhere in the real content
DRAFT = {"status": Status.DRAFT}


def _cx():
    return PriorityArea.objects.get(slug="cx")


def _strategy():
    return Strategy.objects.get(priority_area__slug="cx", number=2)


def _hisp():
    """A real, published provider with reports, services and results."""
    return Hisp.objects.get(external_id="tp-21")


def _milestone():
    """A real, published milestone of strategy 2."""
    return _strategy().milestones.get(external_id="pma2021-cx-s2-m5")


def _experience():
    return LifeExperience.objects.get(slug="approaching-retirement")


def _survey(**kw):
    hisp = _hisp()
    return ServiceSurveyFactory(
        report=hisp.quarterly_reports.first(), service=hisp.services.first(), **kw
    )


def _tag(kind):
    return "qk" + kind.replace(" ", "").lower()


def _kinds_in(body):
    """The kinds whose marked text is in `body`."""
    tags = set(re.findall(r"qk[a-z]+", body))
    return {kind for kind in KINDS if _tag(kind) in tags}


def _text(kind):
    """The marked text of one kind, e.g. "Zyxwvut qkhisp": MARK, and a tag naming the kind."""
    return f"{MARK} {_tag(kind)}"


def _agency(**kw):
    """A department labelling a published (earlier) provider: it shows on the provider's page."""
    agency = AgencyFactory(name=_text("agency"), abbreviation="ZYXW", **kw)
    hisp = HispFactory(agency=agency, bureau=None, active=False, name="Plainly labelled provider")
    return agency, [hisp.get_absolute_url()]


def _bureau_of_a_draft_department():
    bureau = AgencyFactory(name=_text("agency"), parent=AgencyFactory(**DRAFT))
    hisp = HispFactory(bureau=bureau, active=False, name="Plainly labelled provider")
    return bureau, [hisp.get_absolute_url()]


# kind: (model, make(**publishing) -> obj or (obj, extra URLs), make under a draft parent or None,
#        whether the object has a page of its own)
KINDS = {
    "priority area": (
        PriorityArea,
        lambda **kw: PriorityAreaFactory(title=_text("priority area"), short_title=MARK, **kw),
        None,
        True,
    ),
    "success metric": (
        "priorities.SuccessMetric",
        lambda **kw: SuccessMetricFactory(
            priority_area=_cx(), key_question=_text("success metric"), **kw
        ),
        lambda: SuccessMetricFactory(
            priority_area=PriorityAreaFactory(**DRAFT), key_question=_text("success metric")
        ),
        False,
    ),
    "leader": (
        "priorities.Leader",
        lambda **kw: LeaderFactory(priority_area=_cx(), name=_text("leader"), **kw),
        lambda: LeaderFactory(priority_area=PriorityAreaFactory(**DRAFT), name=_text("leader")),
        False,
    ),
    "progress update": (
        "priorities.ProgressUpdate",
        lambda **kw: ProgressUpdateFactory(
            priority_area=_cx(),
            date=datetime.date(2029, 5, 1),
            period_label=f"{MARK} 2029",
            body=_text("progress update"),
            **kw,
        ),
        lambda: ProgressUpdateFactory(
            priority_area=PriorityAreaFactory(**DRAFT),
            period_label=MARK,
            body=_text("progress update"),
        ),
        True,
    ),
    "strategy": (
        Strategy,
        lambda **kw: StrategyFactory(priority_area=_cx(), number=9, title=_text("strategy"), **kw),
        lambda: StrategyFactory(
            priority_area=PriorityAreaFactory(**DRAFT), title=_text("strategy")
        ),
        True,
    ),
    "goal": (
        "priorities.Goal",
        lambda **kw: GoalFactory(strategy=_strategy(), number="2.9", statement=_text("goal"), **kw),
        lambda: GoalFactory(
            strategy=StrategyFactory(priority_area=_cx(), number=8, **DRAFT),
            statement=_text("goal"),
        ),
        False,
    ),
    "milestone": (
        "milestones.Milestone",
        lambda **kw: MilestoneFactory(strategy=_strategy(), title=_text("milestone"), **kw),
        # A milestone of a public strategy, under a goal that is a draft.
        lambda: MilestoneFactory(
            strategy=_strategy(),
            goal=GoalFactory(strategy=_strategy(), number="2.8", **DRAFT),
            title=_text("milestone"),
        ),
        False,
    ),
    "milestone update": (
        "milestones.MilestoneUpdate",
        # A real milestone's status update, with a note: the note is shown with the change.
        lambda **kw: MilestoneUpdateFactory(
            milestone=_milestone(), note=_text("milestone update"), **kw
        ),
        lambda: MilestoneUpdateFactory(
            milestone=MilestoneFactory(strategy=_strategy(), **DRAFT),
            note=_text("milestone update"),
        ),
        False,
    ),
    "highlight": (
        "priorities.Highlight",
        lambda **kw: HighlightFactory(title=_text("highlight"), priority_areas=[_cx()], **kw),
        lambda: HighlightFactory(
            title=_text("highlight"), priority_areas=[PriorityAreaFactory(**DRAFT)]
        ),
        True,  # /news/<slug>/
    ),
    "life experience": (
        LifeExperience,
        lambda **kw: LifeExperienceFactory(name=_text("life experience"), **kw),
        None,
        True,
    ),
    "life experience stat": (
        "priorities.LifeExperienceStat",
        lambda **kw: LifeExperienceStatFactory(
            life_experience=_experience(), text=_text("life experience stat"), **kw
        ),
        lambda: LifeExperienceStatFactory(
            life_experience=LifeExperienceFactory(**DRAFT), text=_text("life experience stat")
        ),
        False,
    ),
    "life experience project": (
        "priorities.LifeExperienceProject",
        lambda **kw: LifeExperienceProjectFactory(
            life_experience=_experience(), name=_text("life experience project"), **kw
        ),
        lambda: LifeExperienceProjectFactory(
            life_experience=LifeExperienceFactory(**DRAFT), name=_text("life experience project")
        ),
        False,
    ),
    "agency": ("hisps.Agency", _agency, _bureau_of_a_draft_department, True),
    "HISP": (Hisp, lambda **kw: HispFactory(name=_text("HISP"), **kw), None, True),
    "service": (
        "hisps.Service",
        lambda **kw: ServiceFactory(hisp=_hisp(), name=_text("service"), **kw),
        lambda: ServiceFactory(hisp=HispFactory(**DRAFT), name=_text("service")),
        False,
    ),
    "old address": (
        "hisps.LegacyPath",
        lambda **kw: LegacyPathFactory(hisp=_hisp(), path="/cx/dashboard/zyxwvut/", **kw),
        lambda: LegacyPathFactory(hisp=HispFactory(**DRAFT), path="/cx/dashboard/zyxwvut/"),
        True,  # its own page is the redirect
    ),
    "CX measure": (
        CxMeasure,
        lambda **kw: CxMeasureFactory(label=_text("CX measure"), key="zyxwvut", **kw),
        None,
        False,
    ),
    "quarterly report": (
        "hisps.QuarterlyReport",
        lambda **kw: QuarterlyReportFactory(
            hisp=_hisp(), fiscal_year=2029, quarter=1, reflection=_text("quarterly report"), **kw
        ),
        # In a quarter that is already published and the latest: only the parent hides it.
        lambda: QuarterlyReportFactory(
            hisp=HispFactory(**DRAFT),
            fiscal_year=2023,
            quarter=1,
            reflection=_text("quarterly report"),
        ),
        False,
    ),
    "service survey": (
        "hisps.ServiceSurvey",
        lambda **kw: _survey(transaction_point=_text("service survey"), **kw),
        lambda: ServiceSurveyFactory(
            report=QuarterlyReportFactory(hisp=_hisp(), fiscal_year=2030, quarter=1, **DRAFT),
            service=_hisp().services.first(),
            transaction_point=_text("service survey"),
        ),
        False,
    ),
    "survey result": (
        "hisps.SurveyResult",
        lambda **kw: SurveyResultFactory(
            survey=_survey(volume_of_respondents=None), question_text=_text("survey result"), **kw
        ),
        lambda: SurveyResultFactory(
            survey=_survey(volume_of_respondents=None, **DRAFT),
            question_text=_text("survey result"),
        ),
        False,
    ),
    "legacy score": (
        "hisps.LegacyScore",
        lambda **kw: LegacyScoreFactory(
            hisp=_hisp(),
            fiscal_year=2012,
            measure=CxMeasure.objects.get(key="trust"),
            statement=_text("legacy score"),
            **kw,
        ),
        lambda: LegacyScoreFactory(
            hisp=HispFactory(**DRAFT),
            measure=CxMeasure.objects.get(key="trust"),
            statement=_text("legacy score"),
        ),
        False,
    ),
    "document": (
        "hisps.Document",
        lambda **kw: DocumentFactory(hisp=_hisp(), title=_text("document"), **kw),
        lambda: DocumentFactory(hisp=HispFactory(**DRAFT), title=_text("document")),
        False,
    ),
}

DATASETS = [
    "hisps",
    "hisp_services",
    "quarterly_reports",
    "survey_results",
    "legacy_scores",
    "cx_measures",
    "milestones",
    "progress_updates",
]
API_FILES = ["service_providers", "services", "collections", "omb_cx_reporting_collections"]


def surfaces():
    hisp = _hisp()
    return [
        "/",
        "/pma/",
        "/pma/cx/",
        "/pma/cx/updates/",
        "/pma/cx/strategy/2/",
        "/cx/life-experiences/",
        _experience().get_absolute_url(),
        "/news/",
        "/cx/resources/",
        "/cx/hisps/",
        "/cx/hisps/?earlier=on",
        f"/cx/hisps/?earlier=on&q={MARK}",
        hisp.get_absolute_url(),
        f"/cx/hisps/{hisp.slug}/results.csv",
        hisp.agency.get_absolute_url(),
        f"/search/?q={MARK}",
        "/feeds/updates.atom",
        "/feeds/updates.rss",
        "/feeds/pma/cx/updates.atom",
        "/sitemap.xml",
        "/cx/data/",
        *[f"/cx/data/{name}.{fmt}" for name in DATASETS for fmt in ("csv", "json")],
        *[f"/cx/data/{name}.json" for name in API_FILES],
    ]


def _content(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _home_figures(page):
    start = page.index('id="figures-heading"')
    return page[start : page.index("</section>", start)]


_PRISTINE = {}


def _pristine(client):
    """Each surface's count of MARK, and the home figures, with nothing added (read once: every
    test starts from the same imported content)."""
    if not _PRISTINE:
        for path in surfaces():
            _PRISTINE[path] = _content(client.get(path)).count(MARK)
        _PRISTINE["figures"] = _home_figures(client.get("/").content.decode())
    return _PRISTINE


def _model(kind):
    model = KINDS[kind][0]
    return apps.get_model(model) if isinstance(model, str) else model


def test_every_public_model_is_covered():
    public_models = {
        model
        for model in apps.get_models()
        if issubclass(model, ContentModel) and not model.__name__.startswith("Historical")
    }
    assert {_model(kind) for kind in KINDS} == public_models
    with_parents = {model for model in public_models if model.public_parents}
    assert {_model(kind) for kind, (_, _, orphan, _) in KINDS.items() if orphan} >= with_parents


def _scheduled():
    return {"status": Status.PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(days=30)}


STATES = {
    "draft": lambda make: make(**DRAFT),
    "scheduled": lambda make: make(**_scheduled()),
    "archived": lambda make: make(status=Status.ARCHIVED),
}


@pytest.mark.parametrize("state", [*STATES, "parent draft"])
def test_objects_that_are_not_public_appear_nowhere(client, state):
    before = _pristine(client)
    own_pages, extra = {}, []
    for kind, (_, make, orphan, has_page) in KINDS.items():
        if state == "parent draft":
            if orphan is None:
                continue
            made = orphan()
        else:
            made = STATES[state](make)
        obj, urls = made if isinstance(made, tuple) else (made, [])
        extra += urls
        if has_page:
            own_pages[kind] = obj.get_absolute_url()

    leaks = []
    for path in [*before.keys() - {"figures"}, *extra]:
        response = client.get(path)
        assert response.status_code == 200, path
        body = _content(response)
        if body.count(MARK) != before.get(path, 0):
            tags = sorted(_kinds_in(body))
            leaks.append(f"{path}: {tags or 'a marked text'}")
    assert not leaks, f"{state} objects leak:\n" + "\n".join(leaks)

    for kind, url in own_pages.items():
        response = client.get(url)
        if state == "archived" and response.status_code == 200:
            # An archived page is kept at its address, marked, and never indexed.
            assert 'aria-label="Archived"' in response.content.decode(), url
            assert response["X-Robots-Tag"].startswith("noindex"), url
        elif kind == "old address":
            # Like an unknown old address, it goes to the directory (ADR 21), not to the provider.
            assert (response.status_code, response["Location"]) == (301, "/cx/hisps/"), url
        else:
            assert response.status_code == 404, f"a {state} {kind} answers at {url}"
    assert _home_figures(client.get("/").content.decode()) == before["figures"]


def test_a_public_object_of_every_kind_is_found_where_the_hidden_ones_were_looked_for(client):
    """The same makers, published: each kind's marked text shows on some surface (or its page
    answers), so the test above looks where the objects would appear."""
    before = _pristine(client)
    own_pages, extra = {}, []
    for kind, (_, make, _, has_page) in KINDS.items():
        made = make()
        obj, urls = made if isinstance(made, tuple) else (made, [])
        extra += urls
        if has_page:
            own_pages[kind] = obj.get_absolute_url()
    seen = set()
    for path in [*before.keys() - {"figures"}, *extra]:
        body = _content(client.get(path))
        seen |= _kinds_in(body)
    answering = {
        kind for kind, url in own_pages.items() if client.get(url).status_code in (200, 301)
    }
    # Success metrics are on their area's page (/pma/cx/#success-metrics).
    assert seen | answering == set(KINDS)
