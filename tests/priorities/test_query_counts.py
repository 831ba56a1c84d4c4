"""Each page costs the same number of queries with the real content and with ten times as much."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from milestones.models import Progress
from priorities.models import LifeExperience, ProgressUpdate
from tests.factories import (
    GoalFactory,
    HighlightFactory,
    LeaderFactory,
    LifeExperienceFactory,
    LifeExperienceProjectFactory,
    LifeExperienceStatFactory,
    MilestoneFactory,
    MilestoneUpdateFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    StrategyFactory,
    SuccessMetricFactory,
)

pytestmark = pytest.mark.django_db

REAL = {
    "list": "/pma/",
    "detail": "/pma/cx/",
    "updates": "/pma/cx/updates/",
    "permalink": "/pma/cx/updates/2023-05/",
    "strategy": "/pma/cx/strategy/2/",
    "strategy_filtered": "/pma/cx/strategy/2/?status=complete&goal=2.1",
    "life_experiences": "/cx/life-experiences/",
    "life_experience": "/cx/life-experiences/having-a-child-and-early-childhood/",
}

# What each page reads, one query each.
QUERIES = {
    "list": 1,  # areas
    # area, leaders, updates, action plan PDFs, strategies, success metrics, highlights
    "detail": 7,
    "updates": 3,  # area, updates, action plan PDFs
    "permalink": 4,  # area, update, the older one, the newer one
    # strategy (and when its milestones changed), goals, milestones (with history, status updates
    # and the status shown), status updates of the strategy
    "strategy": 4,
    "strategy_filtered": 4,
    "life_experiences": 1,  # life experiences
    "life_experience": 4,  # life experience, stats, projects, their milestones with history and updates
}


def _milestone_with_history(**kwargs):
    """A milestone saved four more times (five history rows), then given three published status
    updates and a draft one."""
    milestone = MilestoneFactory(**kwargs)
    for progress in (
        Progress.IN_PROGRESS,
        Progress.DELAYED,
        Progress.IN_PROGRESS,
        Progress.COMPLETE,
    ):
        milestone.progress = progress
        milestone.save()
    for progress in (Progress.DELAYED, Progress.IN_PROGRESS, Progress.COMPLETE):
        MilestoneUpdateFactory(milestone=milestone, progress=progress, publish_at=timezone.now())
    MilestoneUpdateFactory(milestone=milestone, progress=Progress.CANCELLED, status=Status.DRAFT)
    return milestone


def _summaries(area, count):
    for n in range(count):
        ProgressUpdateFactory(priority_area=area, date=datetime.date(2040 + n // 12, n % 12 + 1, 1))


def _action_plans(area, count):
    """CAP Goal action plan PDFs, one a month."""
    for n in range(count):
        ProgressUpdateFactory(
            priority_area=area,
            kind=ProgressUpdate.Kind.ACTION_PLAN_PDF,
            date=datetime.date(2040 + n // 12, n % 12 + 1, 1),
            period_label=f"Plan {n}",
            document_url=f"https://www.performance.gov/plans/{n}.pdf",
        )


def ten_times(page: str) -> str:
    """Ten times the real content of a page, made by factories; returns the page's URL."""
    if page == "list":
        PriorityAreaFactory.create_batch(40)
        return reverse("priorities:list")
    if page == "detail":
        area = PriorityAreaFactory()
        LeaderFactory.create_batch(30, priority_area=area)
        StrategyFactory.create_batch(30, priority_area=area)
        HighlightFactory.create_batch(30, priority_areas=[area])
        SuccessMetricFactory.create_batch(20, priority_area=area)
        _summaries(area, 60)
        _action_plans(area, 100)
        return area.get_absolute_url()
    if page == "updates":
        area = PriorityAreaFactory()
        _summaries(area, 60)
        _action_plans(area, 100)
        return reverse("priorities:updates", kwargs={"slug": area.slug})
    if page == "permalink":
        area = PriorityAreaFactory()
        _summaries(area, 60)
        return reverse("priorities:update", kwargs={"slug": area.slug, "month": "2042-06"})
    if page.startswith("strategy"):
        strategy = StrategyFactory(number=2, cap_goal=True, as_of=datetime.date(2024, 4, 1))
        goals = [GoalFactory(strategy=strategy, number=f"2.{n}") for n in range(1, 21)]
        for n in range(50):
            _milestone_with_history(strategy=strategy, goal=goals[n // 2 % 20] if n % 2 else None)
        for n in range(20):
            ProgressUpdateFactory(
                priority_area=strategy.priority_area,
                strategy=strategy,
                kind=ProgressUpdate.Kind.STRATEGY_STATUS,
                date=datetime.date(2030 + n, 4, 1),
            )
        url = strategy.get_absolute_url()
        return url + "?status=complete&goal=2.1" if page == "strategy_filtered" else url
    if page == "life_experiences":
        LifeExperienceFactory.create_batch(50)
        return reverse("priorities:life_experiences")
    if page == "life_experience":
        experience = LifeExperienceFactory()
        LifeExperienceStatFactory.create_batch(20, life_experience=experience)
        for project in LifeExperienceProjectFactory.create_batch(30, life_experience=experience):
            for _ in range(5):
                _milestone_with_history(strategy=None, project=project)
        return experience.get_absolute_url()
    raise AssertionError(page)


@pytest.mark.parametrize("data", ["real", "10x"])
@pytest.mark.parametrize("page", list(QUERIES))
def test_query_count_is_the_same_for_real_and_ten_times_the_content(
    client, django_assert_num_queries, page, data
):
    url = REAL[page] if data == "real" else ten_times(page)
    with django_assert_num_queries(QUERIES[page]):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    if page.startswith("strategy"):
        assert "<table" in body and "Changes (" in body
    if page == "life_experience":
        assert 'id="source-1"' in body and "project-" in body


@pytest.mark.parametrize("data", ["real", "10x"])
def test_htmx_milestone_results_cost_three_queries(client, django_assert_num_queries, data):
    url = REAL["strategy"] if data == "real" else ten_times("strategy")
    with django_assert_num_queries(3):  # strategy, goals, milestones with history
        response = client.get(url + "?status=complete", headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    assert "Complete" in response.content.decode()


def test_ten_times_the_milestones_are_all_shown_with_their_changes(client):
    url = ten_times("strategy")
    body = client.get(url).content.decode()
    assert body.count('class="milestone"') == 50
    # Each milestone went Planned → In progress → Delayed → In progress → Complete while public,
    # then through its published status updates (never its draft one).
    assert body.count("Status changed from Delayed to In progress") == 100
    assert body.count("Status changed from Complete to Delayed") == 50
    assert "to Cancelled" not in body


def test_old_address_redirect_costs_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/cx/projects/approaching-retirement/")
    assert response.status_code == 301
    experience = LifeExperience.objects.get(slug="approaching-retirement")
    assert response["Location"] == experience.get_absolute_url() + "#charter-2022"
