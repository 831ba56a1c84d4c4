import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from milestones.models import Milestone
from priorities.models import Strategy
from tests.factories import GoalFactory, MilestoneFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def test_milestone_of_an_unsaved_strategy_is_valid():
    """The admin validates inline milestones before it saves their new strategy."""
    milestone = Milestone(strategy=Strategy(number=9, title="New strategy"), title="First step")
    milestone.clean()


def test_milestone_needs_exactly_one_parent():
    with pytest.raises(ValidationError, match="Choose the strategy or the life-experience project"):
        Milestone(title="Orphan").clean()


def test_goal_must_belong_to_the_milestones_strategy():
    goal = GoalFactory()
    with pytest.raises(ValidationError, match="The goal must belong"):
        Milestone(strategy=StrategyFactory(), goal=goal, title="Crossed wires").clean()


def test_database_refuses_a_milestone_without_a_parent_or_with_a_half_timing():
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.create(title="Orphan")
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(fiscal_year=2024, quarter=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(quarter=5)


def test_timing_reads_as_a_fiscal_quarter():
    assert MilestoneFactory(fiscal_year=2023, quarter=2).timing == "FY23 Q2"
