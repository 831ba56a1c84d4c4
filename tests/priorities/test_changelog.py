"""Each milestone's public changelog: what the public saw change, never a draft's states, each
change dated with the day it became public (not its fiscal quarter)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from content.publishing import Status
from milestones.models import Milestone, Progress
from priorities.models import LifeExperience, Strategy
from tests.factories import MilestoneFactory, MilestoneUpdateFactory

pytestmark = pytest.mark.django_db

EASTERN = ZoneInfo("America/New_York")
JANUARY_2023 = datetime.datetime(2023, 1, 10, 12, tzinfo=EASTERN)  # FY23 Q2
MAY_2023 = datetime.datetime(2023, 5, 4, 12, tzinfo=EASTERN)  # FY23 Q3
AUGUST_2023 = datetime.datetime(2023, 8, 15, 12, tzinfo=EASTERN)  # FY23 Q4
OCTOBER_2023 = datetime.datetime(2023, 10, 2, 12, tzinfo=EASTERN)  # FY24 Q1


def _strategy():
    return Strategy.objects.get(priority_area__slug="cx", number=2)


def _save(milestone, moment, **changes):
    with time_machine.travel(moment, tick=False):
        for field, value in changes.items():
            setattr(milestone, field, value)
        milestone.save()


def _row(get_text, milestone, url="/pma/cx/strategy/2/"):
    """The words of the milestone's row on the strategy page."""
    page = get_text(url)
    start = page.index(milestone.title)
    return page[start : start + 600]


def test_a_status_change_after_publishing_is_listed_with_the_day_it_became_public(get_text):
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(
            strategy=_strategy(), title="Launch the pilot", progress=Progress.PLANNED,
            publish_at=JANUARY_2023,
        )  # fmt: skip
    _save(milestone, MAY_2023, progress=Progress.COMPLETE)

    row = _row(get_text, milestone)
    assert "Changes (1) Status changed from Planned to Complete — May 4, 2023" in row
    assert "FY23 Q3 " not in row  # the day, not the quarter of the edit
    assert [change.text for change in milestone.public_changelog] == [
        "Status changed from Planned to Complete"
    ]


def test_changes_made_while_draft_are_hidden(get_text):
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(
            strategy=_strategy(), title="Secret working title", owner="Nobody yet",
            status=Status.DRAFT,
        )  # fmt: skip
    _save(milestone, MAY_2023, title="Publish the toolkit", progress=Progress.DELAYED)
    _save(milestone, AUGUST_2023, status=Status.PUBLISHED, owner="OMB", progress=Progress.PLANNED)
    # Unpublished, changed twice while a draft, then published again.
    _save(milestone, OCTOBER_2023, status=Status.DRAFT, progress=Progress.CANCELLED)
    _save(milestone, OCTOBER_2023, progress=Progress.IN_PROGRESS, quarter=4)
    _save(milestone, OCTOBER_2023 + datetime.timedelta(days=1), status=Status.PUBLISHED)

    row = _row(get_text, milestone)
    # Published again the day after the draft's edits: dated with that day.
    assert "Status changed from Planned to In progress — October 3, 2023" in row
    assert "Timing changed from FY23 Q2 to FY23 Q4 — October 3, 2023" in row
    assert "Changes (2)" in row
    page = get_text("/pma/cx/strategy/2/")
    assert "Secret working title" not in page and "Nobody yet" not in page
    assert "Delayed" not in row and "Cancelled" not in row


def test_a_scheduled_state_replaced_before_its_time_never_appears(get_text):
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(strategy=_strategy(), title="Hire the team")
    # Rescheduled to August as Delayed, then put back the next day as Complete.
    _save(milestone, MAY_2023, progress=Progress.DELAYED, publish_at=AUGUST_2023)
    _save(
        milestone, MAY_2023 + datetime.timedelta(days=1), progress=Progress.COMPLETE,
        publish_at=JANUARY_2023,
    )  # fmt: skip

    assert "Status changed from Planned to Complete — May 5, 2023" in _row(get_text, milestone)
    assert "Delayed" not in _row(get_text, milestone)


def test_every_public_field_has_its_sentence_and_other_fields_none(get_text):
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(strategy=_strategy(), title="Old name", owner="")
    _save(milestone, MAY_2023, title="New name", owner="GSA", fiscal_year=2024, quarter=1)
    _save(milestone, AUGUST_2023, description="Editors' notes.", order=7)

    texts = [change.text for change in Milestone.objects.get(pk=milestone.pk).public_changelog]
    assert texts == [
        "Timing changed from FY23 Q2 to FY24 Q1",
        "Milestone renamed from “Old name” to “New name”",
        "Owner changed from not named to GSA",
    ]
    assert "Changes (3)" in _row(get_text, milestone)


def test_the_prefetched_history_reads_the_same_as_the_milestones_own(get_text):
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(strategy=_strategy(), title="Compare")
    _save(milestone, MAY_2023, progress=Progress.IN_PROGRESS)
    _save(milestone, OCTOBER_2023, progress=Progress.COMPLETE)
    prefetched = Milestone.objects.with_history().get(pk=milestone.pk).public_changelog
    assert prefetched == Milestone.objects.get(pk=milestone.pk).public_changelog
    assert [change.when for change in prefetched] == [MAY_2023.date(), OCTOBER_2023.date()]


def test_performance_govs_own_changelog_lines_are_shown(get_text):
    page = get_text("/pma/cx/strategy/2/")
    row = page[page.index("Designated five Life Experiences") :][:400]
    # performance.gov gave no date for the change; the page's version that listed it is dated.
    assert (
        "Milestone changed from Pending to Complete — recorded by performance.gov as of "
        "November 2022" in row
    )


def test_project_milestones_have_their_changelog_on_the_life_experience_page(get_text):
    experience = LifeExperience.objects.get(slug="approaching-retirement")
    project = experience.projects.get()
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(strategy=None, project=project, title="Test the guide")
    _save(milestone, AUGUST_2023, progress=Progress.COMPLETE)
    row = _row(get_text, milestone, experience.get_absolute_url())
    assert "Status changed from Planned to Complete — August 15, 2023" in row


def test_milestones_without_recorded_history_cost_no_extra_query(client, django_assert_num_queries):
    strategy = _strategy()
    Milestone.objects.bulk_create(
        [Milestone(strategy=strategy, title=f"Loaded in bulk {n}", status=Status.PUBLISHED,
                   publish_at=JANUARY_2023) for n in range(5)]
    )  # fmt: skip
    with django_assert_num_queries(4):
        body = client.get("/pma/cx/strategy/2/").content.decode()
    assert body.count("Loaded in bulk") == 5


def test_status_updates_set_the_status_and_are_dated_by_the_day_they_went_public(get_text):
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(strategy=_strategy(), title="Run the pilot")
    MilestoneUpdateFactory(
        milestone=milestone, progress=Progress.IN_PROGRESS, note="Two sites.", publish_at=MAY_2023
    )
    # Scheduled for August, seen here in May: neither its status nor its line shows yet.
    MilestoneUpdateFactory(milestone=milestone, progress=Progress.COMPLETE, publish_at=AUGUST_2023)
    MilestoneUpdateFactory(milestone=milestone, progress=Progress.CANCELLED, status=Status.DRAFT)
    with time_machine.travel(MAY_2023 + datetime.timedelta(days=1), tick=False):
        row = _row(get_text, milestone)
        assert Milestone.objects.get(pk=milestone.pk).public_progress == Progress.IN_PROGRESS
    assert "Status changed from Planned to In progress — May 4, 2023 Two sites." in row
    assert "Changes (1)" in row and "In progress FY23 Q2" in row

    with time_machine.travel(AUGUST_2023, tick=False):
        row = _row(get_text, milestone)
    assert "Status changed from In progress to Complete — August 15, 2023" in row
    assert "Complete FY23 Q2" in row  # the status column
    assert "Cancelled" not in row


def test_after_an_update_the_milestones_own_status_no_longer_reads_as_a_change(get_text):
    with time_machine.travel(JANUARY_2023, tick=False):
        milestone = MilestoneFactory(strategy=_strategy(), title="Open the office")
    MilestoneUpdateFactory(milestone=milestone, progress=Progress.DELAYED, publish_at=MAY_2023)
    _save(milestone, AUGUST_2023, progress=Progress.COMPLETE)  # a re-import, say
    MilestoneUpdateFactory(
        milestone=milestone, progress=Progress.DELAYED, note="Still waiting.",
        publish_at=OCTOBER_2023,
    )  # fmt: skip
    with time_machine.travel(OCTOBER_2023, tick=False):
        texts = [change.text for change in Milestone.objects.get(pk=milestone.pk).public_changelog]
        row = _row(get_text, milestone)
    assert texts == ["Status changed from Planned to Delayed", "Status remains Delayed"]
    assert "Delayed FY23 Q2" in row
