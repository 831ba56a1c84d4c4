"""Factories for realistic content. Everything they make is published unless told otherwise."""

import datetime

import factory
from django.utils import timezone

from cxportal.publishing import Status
from hisps.models import Agency, Hisp, QuarterlyReport, Service
from milestones.models import Milestone
from priorities.models import Goal, Highlight, Leader, PriorityArea, ProgressUpdate, Strategy


class Published(factory.django.DjangoModelFactory):
    status = Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Meta:
        abstract = True


class AgencyFactory(Published):
    name = factory.Sequence(lambda n: f"Department of Examples {n}")
    abbreviation = factory.Sequence(lambda n: f"DOE{n}")
    slug = factory.Sequence(lambda n: f"doe{n}")

    class Meta:
        model = Agency


class HispFactory(Published):
    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Example Service Provider {n}")
    slug = factory.Sequence(lambda n: f"example-provider-{n}")
    description = "Provides an example service to the public."

    class Meta:
        model = Hisp


class ServiceFactory(Published):
    hisp = factory.SubFactory(HispFactory)
    name = factory.Sequence(lambda n: f"Applying for example benefit {n}")
    slug = factory.Sequence(lambda n: f"example-service-{n}")

    class Meta:
        model = Service


class QuarterlyReportFactory(Published):
    hisp = factory.SubFactory(HispFactory)
    fiscal_year = 2023
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    rating = QuarterlyReport.Rating.IN_LINE

    class Meta:
        model = QuarterlyReport


class PriorityAreaFactory(Published):
    agenda = "Example Management Agenda (2031–2035)"
    agenda_start_year = 2031
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Example priority area {n}")
    short_title = factory.Sequence(lambda n: f"Example {n}")
    slug = factory.Sequence(lambda n: f"example-{n}")
    challenge = "Services are hard to use."
    opportunity = "Make them easy."

    class Meta:
        model = PriorityArea


class LeaderFactory(Published):
    priority_area = factory.SubFactory(PriorityAreaFactory)
    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Leader Number {n}")
    title = "Deputy Secretary"
    order = factory.Sequence(lambda n: n)

    class Meta:
        model = Leader


class ProgressUpdateFactory(Published):
    priority_area = factory.SubFactory(PriorityAreaFactory)
    kind = ProgressUpdate.Kind.SUMMARY
    date = factory.Sequence(lambda n: datetime.date(2000 + n // 12, n % 12 + 1, 1))
    period_label = factory.LazyAttribute(lambda o: o.date.strftime("%B %Y"))
    body = factory.LazyAttribute(lambda o: f"Progress made in {o.period_label}.")

    class Meta:
        model = ProgressUpdate


class StrategyFactory(Published):
    priority_area = factory.SubFactory(PriorityAreaFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Do example thing {n}")

    class Meta:
        model = Strategy


class GoalFactory(Published):
    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: f"1.{n + 1}")
    statement = "Reach the goal."

    class Meta:
        model = Goal


class MilestoneFactory(Published):
    strategy = factory.SubFactory(StrategyFactory)
    title = factory.Sequence(lambda n: f"Milestone {n} reached")
    fiscal_year = 2023
    quarter = 2

    class Meta:
        model = Milestone


class HighlightFactory(Published):
    title = factory.Sequence(lambda n: f"Highlight {n}")
    slug = factory.Sequence(lambda n: f"highlight-{n}")
    date = datetime.date(2023, 5, 1)
    excerpt = "Something good happened."

    @factory.post_generation
    def priority_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.priority_areas.set(extracted)

    class Meta:
        model = Highlight
        skip_postgeneration_save = True
