"""A draft or a scheduled object of any public model appears on no public surface: its own URL,
lists, search, feeds, sitemap, data downloads and the home page's counts."""

import datetime

import pytest
from django.utils import timezone

from content.publishing import Status
from hisps.models import Hisp
from priorities.models import LifeExperience, PriorityArea, Strategy
from tests.factories import (
    DocumentFactory,
    GoalFactory,
    HighlightFactory,
    HispFactory,
    LeaderFactory,
    LifeExperienceFactory,
    LifeExperienceProjectFactory,
    LifeExperienceStatFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    ServiceSurveyFactory,
    StrategyFactory,
    SurveyResultFactory,
)

pytestmark = pytest.mark.django_db

MARK = "Zyxwvut"  # a word found nowhere in the real content


def _cx():
    return PriorityArea.objects.get(slug="cx")


def _hisp():
    return Hisp.objects.get(external_id="tp-21")


def _experience():
    return LifeExperience.objects.get(slug="approaching-retirement")


def _survey(**kw):
    """A survey of a real, published provider's report and service."""
    hisp = _hisp()
    return ServiceSurveyFactory(
        report=hisp.quarterly_reports.first(), service=hisp.services.first(), **kw
    )


def _strategy():
    return Strategy.objects.get(priority_area__slug="cx", number=2)


MAKERS = {
    "priority area": lambda **kw: PriorityAreaFactory(title=f"{MARK} area", short_title=MARK, **kw),
    "leader": lambda **kw: LeaderFactory(priority_area=_cx(), name=f"{MARK} Leader", **kw),
    "progress update": lambda **kw: ProgressUpdateFactory(
        priority_area=_cx(),
        date=datetime.date(2029, 5, 1),
        period_label=f"{MARK} 2029",
        body=MARK,
        **kw,
    ),
    "strategy": lambda **kw: StrategyFactory(
        priority_area=_cx(), number=9, title=f"{MARK} strategy", **kw
    ),
    "goal": lambda **kw: GoalFactory(
        strategy=_strategy(), number="2.9", statement=f"{MARK} goal", **kw
    ),
    "milestone": lambda **kw: MilestoneFactory(
        strategy=_strategy(), title=f"{MARK} milestone", **kw
    ),
    "highlight": lambda **kw: HighlightFactory(
        title=f"{MARK} highlight", priority_areas=[_cx()], **kw
    ),
    "life experience": lambda **kw: LifeExperienceFactory(name=f"{MARK} experience", **kw),
    "life experience stat": lambda **kw: LifeExperienceStatFactory(
        life_experience=_experience(), text=f"{MARK} stat", **kw
    ),
    "life experience project": lambda **kw: LifeExperienceProjectFactory(
        life_experience=_experience(), name=f"{MARK} project", **kw
    ),
    "HISP": lambda **kw: HispFactory(name=f"{MARK} provider", **kw),
    "service": lambda **kw: ServiceFactory(hisp=_hisp(), name=f"{MARK} service", **kw),
    "quarterly report": lambda **kw: QuarterlyReportFactory(
        hisp=_hisp(), fiscal_year=2029, quarter=1, reflection=MARK, **kw
    ),
    "service survey": lambda **kw: _survey(transaction_point=MARK, **kw),
    "survey result": lambda **kw: SurveyResultFactory(
        survey=_survey(volume_of_respondents=None), question_text=f"{MARK} question", **kw
    ),
    "document": lambda **kw: DocumentFactory(hisp=_hisp(), title=f"{MARK} plan", **kw),
}

OWN_PAGES = {"priority area", "progress update", "strategy", "life experience", "HISP"}

SURFACES = [
    "/",
    "/pma/",
    "/pma/cx/",
    "/pma/cx/updates/",
    "/pma/cx/strategy/2/",
    "/cx/life-experiences/",
    "/cx/hisps/",
    "/cx/hisps/?include_inactive=on",
    f"/search/?q={MARK}",
    "/feeds/updates.atom",
    "/feeds/updates.rss",
    "/feeds/pma/cx/updates.atom",
    "/sitemap.xml",
    *[
        f"/cx/data/{name}.{fmt}"
        for name in [
            "hisps",
            "hisp_services",
            "quarterly_reports",
            "survey_results",
            "milestones",
            "progress_updates",
        ]  # fmt: skip
        for fmt in ("csv", "json")
    ],
    "/cx/data/service_providers.json",
    "/cx/data/services.json",
    "/cx/data/collections.json",
    "/cx/data/omb_cx_reporting_collections.json",
]


def _content(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _home_figures(client):
    page = client.get("/").content.decode()
    return page[
        page.index('id="figures-heading"') : page.index(
            "</section>", page.index('id="figures-heading"')
        )
    ]


@pytest.mark.parametrize("kind", list(MAKERS))
@pytest.mark.parametrize(
    "visibility",
    [
        {"status": Status.DRAFT},
        {"status": Status.PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(days=30)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_objects_appear_nowhere(client, kind, visibility):
    # The search page repeats the query itself: count the marker before and after.
    before = {path: _content(client.get(path)).count(MARK) for path in SURFACES}
    figures_before = _home_figures(client)
    obj = MAKERS[kind](**visibility)

    for path in SURFACES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert _content(response).count(MARK) == before[path], (
            f"{kind} ({visibility['status']}) leaks on {path}"
        )

    url = obj.get_absolute_url()
    if kind in OWN_PAGES:
        assert client.get(url).status_code == 404, f"{kind} answers at its own URL {url}"
    assert _home_figures(client) == figures_before
