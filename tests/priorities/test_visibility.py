"""Drafts and scheduled objects of every model these pages show stay off every page until their time."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from content.publishing import Status
from priorities.models import LifeExperience, PriorityArea, ProgressUpdate, Strategy
from tests.factories import (
    GoalFactory,
    HighlightFactory,
    LeaderFactory,
    LifeExperienceFactory,
    LifeExperienceProjectFactory,
    LifeExperienceStatFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=3)
LIFE = "having-a-child-and-early-childhood"


def pages():
    """Every page of this app for the real content."""
    urls = ["/pma/", "/pma/cx/", "/pma/cx/updates/", "/pma/cx/updates/2023-12/"]
    urls += ["/pma/cx/strategy/1/", "/pma/cx/strategy/2/", "/cx/life-experiences/"]
    urls += [e.get_absolute_url() for e in LifeExperience.objects.public()]
    return urls


def snapshot(client):
    """Every page's HTML, fetched once."""
    texts = {}
    for url in pages():
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    return texts


def seen_on(texts, text):
    """The pages of a snapshot whose HTML contains `text`."""
    return [url for url, body in texts.items() if text in body]


def _cx():
    return PriorityArea.objects.get(slug="cx")


def _strategy():
    return Strategy.objects.get(priority_area__slug="cx", number=2)


def _life():
    return LifeExperience.objects.get(slug=LIFE)


# Each makes the n-th object of a model, whose page text is `marker`, with the publishing fields given.
MAKERS = {
    "priority area": lambda n, marker, **publishing: PriorityAreaFactory(
        title=marker, agenda_start_year=2021, number=40 + n, **publishing
    ),
    "leader": lambda n, marker, **publishing: LeaderFactory(
        priority_area=_cx(), name=marker, **publishing
    ),
    "summary of progress": lambda n, marker, **publishing: ProgressUpdateFactory(
        priority_area=_cx(), date=datetime.date(2024, 6 + n, 1), body=marker, **publishing
    ),
    "strategy status": lambda n, marker, **publishing: ProgressUpdateFactory(
        priority_area=_cx(),
        strategy=_strategy(),
        kind=ProgressUpdate.Kind.STRATEGY_STATUS,
        date=datetime.date(2024, 6 + n, 1),
        body=marker,
        **publishing,
    ),
    "strategy": lambda n, marker, **publishing: StrategyFactory(
        priority_area=_cx(), number=9 + n, title=marker, **publishing
    ),
    "goal": lambda n, marker, **publishing: GoalFactory(
        strategy=_strategy(), number=f"2.{9 + n}", statement=marker, **publishing
    ),
    "milestone": lambda n, marker, **publishing: MilestoneFactory(
        strategy=_strategy(), title=marker, **publishing
    ),
    "project milestone": lambda n, marker, **publishing: MilestoneFactory(
        strategy=None, project=_life().projects.first(), title=marker, **publishing
    ),
    "highlight": lambda n, marker, **publishing: HighlightFactory(
        title=marker, date=datetime.date(2030, 1, 1), priority_areas=[_cx()], **publishing
    ),
    "life experience": lambda n, marker, **publishing: LifeExperienceFactory(
        name=marker, **publishing
    ),
    "life experience stat": lambda n, marker, **publishing: LifeExperienceStatFactory(
        life_experience=_life(), text=marker, source=f"{marker} source", **publishing
    ),
    "life experience project": lambda n, marker, **publishing: LifeExperienceProjectFactory(
        life_experience=_life(), name=marker, **publishing
    ),
}


@pytest.mark.parametrize("model", list(MAKERS))
def test_drafts_never_show_and_scheduled_objects_show_from_their_time(client, model):
    scheduled_at = timezone.now() + LATER
    for n, status in enumerate((Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED)):
        MAKERS[model](n, f"Unpublished {status} {model}", status=status)
    MAKERS[model](3, f"Scheduled {model}", status=Status.PUBLISHED, publish_at=scheduled_at)

    now = snapshot(client)
    assert seen_on(now, f"Unpublished draft {model}") == []
    assert seen_on(now, f"Unpublished in_review {model}") == []
    assert seen_on(now, f"Unpublished archived {model}") == []
    assert seen_on(now, f"Scheduled {model}") == []
    with time_machine.travel(scheduled_at + datetime.timedelta(minutes=1)):
        later = snapshot(client)
    assert seen_on(later, f"Scheduled {model}") != []
    assert seen_on(later, f"Unpublished draft {model}") == []


@pytest.mark.parametrize("status", [Status.DRAFT, "scheduled"])
def test_own_addresses_of_unpublished_objects_are_not_found(client, status):
    publishing = {"status": Status.PUBLISHED, "publish_at": timezone.now() + LATER}
    if status == Status.DRAFT:
        publishing = {"status": Status.DRAFT}
    area = PriorityAreaFactory(**publishing)
    strategy = StrategyFactory(priority_area=area)
    update = ProgressUpdateFactory(priority_area=area)
    experience = LifeExperienceFactory(**publishing)
    for url in [
        area.get_absolute_url(),
        reverse("priorities:updates", kwargs={"slug": area.slug}),
        update.get_absolute_url(),
        strategy.get_absolute_url(),
        experience.get_absolute_url(),
        StrategyFactory(priority_area=_cx(), number=8, **publishing).get_absolute_url(),
        ProgressUpdateFactory(
            priority_area=_cx(), date=datetime.date(2024, 6, 1), **publishing
        ).get_absolute_url(),
    ]:
        assert client.get(url).status_code == 404, url


def test_a_draft_life_experience_keeps_its_old_addresses_unanswered(client):
    experience = _life()
    experience.status = Status.DRAFT
    experience.save()
    assert client.get(experience.get_absolute_url()).status_code == 404
    old = "/cx/life-experiences/having-a-child-and-early-childhood-for-low-income-families/"
    assert client.get(old).status_code == 404


def test_milestones_of_a_draft_goal_or_project_stay_hidden(get_text):
    goal = GoalFactory(strategy=_strategy(), number="2.8", status=Status.DRAFT)
    MilestoneFactory(strategy=_strategy(), goal=goal, title="Under a draft goal")
    project = LifeExperienceProjectFactory(life_experience=_life(), status=Status.DRAFT)
    MilestoneFactory(strategy=None, project=project, title="Under a draft project")
    assert "Under a draft goal" not in get_text("/pma/cx/strategy/2/")
    assert "Goal 2.8" not in get_text("/pma/cx/strategy/2/")
    assert "Under a draft project" not in get_text(_life().get_absolute_url())
    # Asking for the draft goal by its number is a filter value that does not exist.
    assert "Goal: Select a valid choice" in get_text("/pma/cx/strategy/2/?goal=2.8")


def test_a_draft_update_is_neither_previous_nor_next(get_text):
    ProgressUpdateFactory(
        priority_area=_cx(), date=datetime.date(2024, 6, 1), period_label="June 2024",
        status=Status.DRAFT,
    )  # fmt: skip
    page = get_text("/pma/cx/updates/2023-12/")
    assert "Previous update August 2023" in page
    assert "June 2024" not in page and "Next update" not in page


def test_real_content_the_public_may_not_see_stays_hidden(get_text):
    """The undated 2022 update is archived in the real content."""
    archived = ProgressUpdate.objects.get(priority_area__slug="cx", status=Status.ARCHIVED)
    assert archived.period_label not in get_text("/pma/cx/updates/")
    assert archived.period_label not in get_text("/pma/cx/")
