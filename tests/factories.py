"""Factories for realistic content. Everything they make is published unless told otherwise."""

import datetime

import factory
from django.utils import timezone

from content.publishing import Status
from hisps.models import (
    Agency,
    CxMeasure,
    Document,
    Hisp,
    LegacyPath,
    LegacyScore,
    QuarterlyReport,
    ReportingPeriod,
    Service,
    ServiceSurvey,
    SurveyResult,
)
from milestones.models import Milestone, MilestoneUpdate, Progress
from priorities.models import (
    Goal,
    Highlight,
    Leader,
    LifeExperience,
    LifeExperienceProject,
    LifeExperienceStat,
    PriorityArea,
    ProgressUpdate,
    Strategy,
    SuccessMetric,
)


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


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    """A published quarter, unless told otherwise (`status="open"`)."""

    fiscal_year = 2023
    quarter = 2
    status = ReportingPeriod.State.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("fiscal_year", "quarter")


class QuarterlyReportFactory(Published):
    """A report, in a reporting period of its quarter, made if there is none yet: published with
    the report (at its time) if the report is published, else still open."""

    hisp = factory.SubFactory(HispFactory)
    fiscal_year = 2023
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    rating = QuarterlyReport.Rating.IN_LINE

    class Meta:
        model = QuarterlyReport
        skip_postgeneration_save = True  # the hook makes the period; the report is unchanged

    @factory.post_generation
    def period(report, create, extracted, **kwargs):
        if create:
            published = report.status == Status.PUBLISHED
            ReportingPeriodFactory(
                fiscal_year=report.fiscal_year,
                quarter=report.quarter,
                status=ReportingPeriod.State.PUBLISHED if published else ReportingPeriod.State.OPEN,
                publish_at=report.publish_at if published else None,
            )


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


class MilestoneUpdateFactory(Published):
    milestone = factory.SubFactory(MilestoneFactory)
    progress = Progress.COMPLETE
    note = ""

    class Meta:
        model = MilestoneUpdate


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


class LegacyPathFactory(Published):
    hisp = factory.SubFactory(HispFactory)
    path = factory.Sequence(lambda n: f"/cx/dashboard/example/{n}/")

    class Meta:
        model = LegacyPath


class CxMeasureFactory(Published):
    key = factory.Sequence(lambda n: f"example-measure-{n}")
    label = factory.Sequence(lambda n: f"Example measure {n}")
    order = factory.Sequence(lambda n: 100 + n)

    class Meta:
        model = CxMeasure


class ServiceSurveyFactory(Published):
    report = factory.SubFactory(QuarterlyReportFactory)
    service = factory.SubFactory(ServiceFactory, hisp=factory.SelfAttribute("..report.hisp"))
    channel = Service.Channel.COMPUTER
    transaction_point = "After the online application"
    volume_of_customers = 10000
    volume_offered_survey = 2000
    volume_of_respondents = 400
    touchpoints_id = factory.Sequence(lambda n: 900000 + n)
    touchpoints_collection_id = factory.Sequence(lambda n: 900000 + n)

    class Meta:
        model = ServiceSurvey


class SurveyResultFactory(Published):
    survey = factory.SubFactory(ServiceSurveyFactory)
    question_number = factory.Sequence(lambda n: n % 11 + 1)
    question_text = "I am satisfied with the service I received."
    strongly_disagree = 10
    disagree = 20
    neutral = 30
    agree = 140
    strongly_agree = 200

    class Meta:
        model = SurveyResult


class LegacyScoreFactory(Published):
    hisp = factory.SubFactory(HispFactory)
    fiscal_year = 2019
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    measure = factory.SubFactory(CxMeasureFactory)
    average_score = "4.50"

    class Meta:
        model = LegacyScore


class DocumentFactory(Published):
    kind = Document.Kind.HISP_ACTION_PLAN
    title = factory.Sequence(lambda n: f"Example action plan {n}")
    url = factory.Sequence(lambda n: f"https://www.example.gov/plans/{n}.pdf")
    year = 2023
    hisp = factory.SubFactory(HispFactory)

    class Meta:
        model = Document


class SuccessMetricFactory(Published):
    priority_area = factory.SubFactory(PriorityAreaFactory)
    key_question = factory.Sequence(lambda n: f"Is example question {n} answered?")
    order = factory.Sequence(lambda n: n)

    class Meta:
        model = SuccessMetric


class LifeExperienceFactory(Published):
    name = factory.Sequence(lambda n: f"Example life experience {n}")
    slug = factory.Sequence(lambda n: f"example-life-experience-{n}")
    order = factory.Sequence(lambda n: 100 + n)
    quote = "It was hard to find help."
    quote_attribution = "A member of the public"
    where_we_are = "People struggle."
    challenge = "How might we make it easier?"

    class Meta:
        model = LifeExperience


class LifeExperienceStatFactory(Published):
    life_experience = factory.SubFactory(LifeExperienceFactory)
    text = "1 in 4 people are affected."
    source = "An example survey"
    order = factory.Sequence(lambda n: n)

    class Meta:
        model = LifeExperienceStat


class LifeExperienceProjectFactory(Published):
    life_experience = factory.SubFactory(LifeExperienceFactory)
    name = factory.Sequence(lambda n: f"Example project {n}")
    slug = factory.Sequence(lambda n: f"example-project-{n}")
    description = "Makes something easier."
    order = factory.Sequence(lambda n: n)

    class Meta:
        model = LifeExperienceProject
