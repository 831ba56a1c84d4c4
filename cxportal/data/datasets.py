"""The open datasets of /cx/data/: what each holds, its documented fields, and its rows.

Every dataset starts from its model's `public()`: a survey result of a draft HISP's report is not
public. An optional label that is not public (a draft department or CX measure) is left blank
rather than dropping the row (`content.publishing.label`).

A dataset's field list is the whole of its definition: the columns it selects, their order and
their documentation. Rows are read with .values() and .iterator(), so a download streams from a
database cursor and never holds the table in memory.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Expression, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from content import stamps
from content.fiscal import fiscal_label
from content.publishing import Status, label
from hisps.models import (
    Agency,
    CxMeasure,
    Hisp,
    LegacyScore,
    QuarterlyReport,
    ReportingPeriod,
    Service,
    ServiceSurvey,
    SurveyResult,
)
from milestones.models import Milestone, MilestoneUpdate, public_progress
from priorities.models import (
    Goal,
    LifeExperience,
    LifeExperienceProject,
    PriorityArea,
    ProgressUpdate,
    Strategy,
)

CHUNK_SIZE = 1000

# The types a field may have, as the page names them.
TEXT = "text"
MARKDOWN = "text (Markdown)"
INTEGER = "integer"
DECIMAL = "decimal"
BOOLEAN = "true or false"
DATE = "date (YYYY-MM-DD)"
DATETIME = "date and time (ISO 8601)"
TEXT_LIST = "list of text"


@dataclass(frozen=True)
class Field:
    """One column. Its value is read from the database (`source`: the lookup that holds it, by
    default its name; or `expression`: a function returning an expression, built per query as it
    may compare with the clock), or computed from the row's other fields (`compute`)."""

    name: str
    type: str
    meaning: str
    source: str | None = None
    expression: Callable[[], Expression] | None = None
    compute: Callable[[dict], Any] | None = None

    @property
    def key(self) -> str:
        """The key of .values() that holds it."""
        if self.expression:
            return f"value_of_{self.name}"  # an alias that no model field can clash with
        return self.source or self.name


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    public: Callable[[], QuerySet]  # the public rows
    order: tuple[str, ...]  # the rows' order
    models: tuple  # every model whose rows feed the dataset: its Last-Modified looks at all
    # A summary of a bounded size (one row per quarter) that reads every row of large tables:
    # its rows are kept until the content changes (content.stamps, ADR 0028).
    summary: bool = False

    def count(self) -> int:
        return self.public().count()

    def select(self, queryset: QuerySet) -> QuerySet:
        """The ordered .values() of what the fields read."""
        read = [field for field in self.fields if not field.compute]
        lookups = [field.key for field in read if not field.expression]
        expressions = {field.key: field.expression() for field in read if field.expression}
        return queryset.order_by(*self.order).values(*lookups, **expressions)

    def rows(self, queryset: QuerySet | None = None) -> Iterator[dict]:
        """Each public row (or each row of `queryset`, a narrower set of them) as {field: value}."""
        if self.summary and queryset is None:
            yield from self.list_rows()
            return
        queryset = self.public() if queryset is None else queryset
        for values in self.select(queryset).iterator(chunk_size=CHUNK_SIZE):
            yield self._row(values)

    def list_rows(self) -> list[dict]:
        """All public rows at once, for a summary of a bounded size: one plain query, without
        the server-side cursor that streaming a large download needs; kept until the content
        changes. Each call gets rows of its own, which it may change."""
        rows = stamps.kept(
            f"dataset:{self.name}",
            (*self.models, ReportingPeriod),  # reports are public once their period is
            lambda: [self._row(values) for values in self.select(self.public())],
        )
        return [dict(row) for row in rows]

    def _row(self, values: dict) -> dict:
        row = {field.name: values[field.key] for field in self.fields if not field.compute}
        return {
            field.name: field.compute(row) if field.compute else row[field.name]
            for field in self.fields
        }


# Last-Modified


def newest_changes(models) -> dict:
    """For each model, when its public content last changed: kept until the content changes
    (content.stamps; it reads every row of the models, ADR 0028), else in one query."""
    models = tuple(models)
    key = "newest-changes:" + ",".join(sorted(model._meta.label for model in models))
    return stamps.kept(key, models, lambda: _newest_changes(models))


def _newest_changes(models) -> dict:
    """For each model, when its public content last changed, in one query.

    That is the newest updated_at of rows that are or were public (so withdrawing a row counts as
    a change), the publish_at of scheduled rows whose time has come, and the newest deletion
    recorded in the model's history.
    """
    now = timezone.now()
    seen = Q(published_at__lte=now) | Q(status=Status.PUBLISHED, publish_at__lte=now)
    parts = []
    for model in models:
        name = Value(model._meta.label)
        changed = Greatest("updated_at", Least("publish_at", Value(now)))
        parts.append(
            model.objects.filter(seen)
            .annotate(data_model=name, data_changed=changed)
            .order_by("-data_changed")
            .values_list("data_model", "data_changed")[:1]
        )
        parts.append(
            model.history.filter(history_type="-")
            .annotate(data_model=name)
            .order_by("-history_date")
            .values_list("data_model", "history_date")[:1]
        )
    first, *rest = parts
    newest = {}
    for model_label, moment in first.union(*rest, all=True):
        newest[model_label] = max(moment, newest.get(model_label, moment))
    return {model: newest.get(model._meta.label) for model in models}


def last_modified(models) -> datetime.datetime | None:
    return max(filter(None, newest_changes(models).values()), default=None)


# The datasets

UPDATED_AT = Field("updated_at", DATETIME, "When this row last changed on this site.")
HISP_SLUG = Field(
    "hisp", TEXT, "The slug of the HISP (the slug of the HISPs dataset).", "hisp__slug"
)
HISP_NAME = Field("hisp_name", TEXT, "The HISP's name.", "hisp__name")
YEAR = Field(
    "fiscal_year", INTEGER, "The federal fiscal year, e.g. 2023 (October 2022 to September 2023)."
)
QUARTER = Field(
    "quarter",
    INTEGER,
    "The quarter of the fiscal year: 1 = Oct–Dec, 2 = Jan–Mar, 3 = Apr–Jun, 4 = Jul–Sep.",
)
PERIOD = Field(
    "period",
    TEXT,
    'The fiscal quarter as a label, e.g. "FY23 Q2".',
    compute=lambda row: fiscal_label(row["fiscal_year"], row["quarter"]),
)


class Counts:
    """The five counts of a question, with SurveyResult's own total, pct_agree and mean.

    The figures are computed by the model's definitions, without building a model instance per row.
    """

    counts = SurveyResult.counts
    total = SurveyResult.total
    pct_agree = SurveyResult.pct_agree
    mean = SurveyResult.mean

    def __init__(self, strongly_disagree=0, disagree=0, neutral=0, agree=0, strongly_agree=0):
        self.strongly_disagree, self.disagree, self.neutral = strongly_disagree, disagree, neutral
        self.agree, self.strongly_agree = agree, strongly_agree


def _result_share(name):
    """A figure computed from the row's counts: total, pct_agree or mean."""

    def compute(row):
        return getattr(Counts(**{point: row[point] for point in POINTS}), name)

    return compute


POINTS = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]

HISPS = Dataset(
    name="hisps",
    title="High Impact Service Providers (HISPs)",
    description=(
        "The federal programs designated as High Impact Service Providers because of the number "
        "of people they serve or the impact of their service. One row per provider, including the "
        "entries of the 2020 HISP list that later providers continue."
    ),
    fields=(
        Field(
            "slug",
            TEXT,
            "The provider's permanent identifier; its page address on this site ends in it.",
        ),
        Field("name", TEXT, "The provider's name."),
        Field("abbreviation", TEXT, "Its abbreviation, if it has one, e.g. FSA."),
        Field(
            "department",
            TEXT,
            "The department or independent agency.",
            expression=lambda: label(Hisp, "agency", "name"),
        ),
        Field(
            "department_abbreviation",
            TEXT,
            "The department's abbreviation, e.g. USDA.",
            expression=lambda: label(Hisp, "agency", "abbreviation"),
        ),
        Field(
            "bureau",
            TEXT,
            "The bureau or office within the department, if any.",
            expression=lambda: label(Hisp, "bureau", "name"),
        ),
        Field("headline", TEXT, "One sentence on the scale of the service."),
        Field("description", TEXT, "What the provider does."),
        Field("url", TEXT, "The provider's own website."),
        Field(
            "active",
            BOOLEAN,
            "False when the entry is no longer a designation of its own (a 2020 entry that a later provider continues).",
        ),
        Field(
            "cohort",
            TEXT,
            '"2020" for the 2020 HISP list; "touchpoints" for providers reporting in Touchpoints from FY21.',
        ),
        Field("year_designated", INTEGER, "The year the provider was designated, where known."),
        Field(
            "overall_rating_2020", DECIMAL, "OMB's overall rating of the provider on the 2020 list."
        ),
        Field(
            "touchpoints_id",
            INTEGER,
            "The provider's id in Touchpoints, GSA's reporting system (id in service_providers.json).",
        ),
        UPDATED_AT,
    ),
    public=lambda: Hisp.objects.public(),
    order=("slug",),
    models=(Hisp, Agency),
)

SERVICES = Dataset(
    name="hisp_services",
    title="HISP services",
    description="The services each HISP designated for customer experience reporting.",
    fields=(
        Field("slug", TEXT, "The service's permanent identifier on this site."),
        Field("name", TEXT, "The service, in the words of the customer's task."),
        HISP_SLUG,
        HISP_NAME,
        Field("description", TEXT, "What the service is."),
        Field("why_designated", TEXT, "Why the service was designated."),
        Field(
            "channels",
            TEXT_LIST,
            "How customers reach the service: computer, email, automated_phone, phone, mobile, in_person, website, mixed, paper, postal_mail.",
        ),
        Field("designated", BOOLEAN, "True for a currently designated service."),
        Field(
            "previously_reported",
            BOOLEAN,
            "True for a service reported in earlier years but no longer designated.",
        ),
        Field(
            "service_provided",
            TEXT_LIST,
            "The services provided, as the agency described them in its reports.",
        ),
        Field(
            "transaction_points",
            TEXT_LIST,
            "Where in the customer's journey the survey is offered.",
        ),
        Field(
            "omb_control_numbers",
            TEXT_LIST,
            "OMB control numbers of the survey instruments (Paperwork Reduction Act).",
        ),
        Field("touchpoints_id", INTEGER, "The service's id in Touchpoints (id in services.json)."),
        Field("touchpoints_slug", TEXT, "The service's service_slug in Touchpoints."),
        UPDATED_AT,
    ),
    public=lambda: Service.objects.public(),
    order=("hisp__slug", "slug"),
    models=(Service, Hisp, Agency),
)

REPORTS = Dataset(
    name="quarterly_reports",
    title="Quarterly reports",
    description=(
        "Each HISP's customer experience report for a fiscal quarter: OMB's rating of whether it "
        "was in line with A-11 Section 280, and the agency's written reflection."
    ),
    fields=(
        HISP_SLUG,
        HISP_NAME,
        YEAR,
        QUARTER,
        PERIOD,
        Field(
            "rating",
            TEXT,
            "OMB's reporting flag: in_line (in line with A-11 Section 280 guidance), partial (partially in line), not_reported, or empty when not rated.",
        ),
        Field("rating_note", TEXT, "A note on the rating."),
        Field("reflection", MARKDOWN, "The agency's reflection on the quarter's feedback."),
        UPDATED_AT,
    ),
    public=lambda: QuarterlyReport.objects.public(),
    order=("hisp__slug", "fiscal_year", "quarter"),
    models=(QuarterlyReport, Hisp, Agency),
)

SURVEY_RESULTS = Dataset(
    name="survey_results",
    title="Survey results",
    description=(
        "Every question of every post-transaction survey: how many customers answered each point "
        "of the 5-point agreement scale, with the total, the share agreeing and the mean computed "
        "from those counts. One row per question, with its survey's service, channel and volumes."
    ),
    fields=(
        Field(
            "survey_id",
            INTEGER,
            "This site's id of the survey (one service, channel and quarter); the rows of one survey share it.",
            "survey__pk",
        ),
        Field(
            "touchpoints_id",
            INTEGER,
            "The survey's id in Touchpoints (id in omb_cx_reporting_collections.json).",
            "survey__touchpoints_id",
        ),
        Field(
            "touchpoints_collection_id",
            INTEGER,
            "The Touchpoints collection (quarterly report) the survey was filed in.",
            "survey__touchpoints_collection_id",
        ),
        Field("hisp", TEXT, "The slug of the reporting HISP.", "survey__report__hisp__slug"),
        Field("hisp_name", TEXT, "The reporting HISP's name.", "survey__report__hisp__name"),
        Field(
            "service",
            TEXT,
            "The slug of the service (the slug of the HISP services dataset).",
            "survey__service__slug",
        ),
        Field("service_name", TEXT, "The service's name.", "survey__service__name"),
        Field(YEAR.name, YEAR.type, YEAR.meaning, "survey__report__fiscal_year"),
        Field(QUARTER.name, QUARTER.type, QUARTER.meaning, "survey__report__quarter"),
        PERIOD,
        Field(
            "channel",
            TEXT,
            "The channel surveyed: computer, email, automated_phone, phone, mobile, in_person, website, mixed, paper or postal_mail.",
            "survey__channel",
        ),
        Field(
            "service_provided",
            TEXT,
            "The service provided, as the agency described it.",
            "survey__service_provided",
        ),
        Field(
            "transaction_point", TEXT, "When the survey was offered.", "survey__transaction_point"
        ),
        Field(
            "volume_of_customers",
            INTEGER,
            "Customers served in the quarter.",
            "survey__volume_of_customers",
        ),
        Field(
            "volume_offered_survey",
            INTEGER,
            "Customers offered the survey.",
            "survey__volume_offered_survey",
        ),
        Field(
            "volume_of_respondents",
            INTEGER,
            "Customers who answered.",
            "survey__volume_of_respondents",
        ),
        Field(
            "omb_control_number",
            TEXT,
            "The OMB control number of the survey.",
            "survey__omb_control_number",
        ),
        Field("question_number", INTEGER, "The question's place in the survey, 1 to 11."),
        Field("question_text", TEXT, "The question as the agency asked it."),
        Field(
            "measure",
            TEXT,
            "The A-11 CX measure the question reports (see the measures below), or empty.",
            expression=lambda: label(SurveyResult, "measure", "key"),
        ),
        Field("strongly_disagree", INTEGER, "Answers of 1, strongly disagree."),
        Field("disagree", INTEGER, "Answers of 2, disagree."),
        Field("neutral", INTEGER, "Answers of 3, neither agree nor disagree."),
        Field("agree", INTEGER, "Answers of 4, agree."),
        Field("strongly_agree", INTEGER, "Answers of 5, strongly agree."),
        Field(
            "total",
            INTEGER,
            "All answers: the sum of the five counts.",
            compute=_result_share("total"),
        ),
        Field(
            "pct_agree",
            DECIMAL,
            "Percent answering agree or strongly agree, to one decimal place; empty when there are no answers.",
            compute=_result_share("pct_agree"),
        ),
        Field(
            "mean",
            DECIMAL,
            "The mean on the 5-point scale, to two decimal places; empty when there are no answers.",
            compute=_result_share("mean"),
        ),
        UPDATED_AT,
    ),
    public=lambda: SurveyResult.objects.public(),
    order=("survey__pk", "question_number"),
    models=(SurveyResult, ServiceSurvey, QuarterlyReport, Service, Hisp, Agency, CxMeasure),
)

MILESTONES = Dataset(
    name="milestones",
    title="Milestones",
    description=(
        "The milestones of the priority area's strategies and goals, and of the life-experience "
        "projects, with their status and timing."
    ),
    fields=(
        Field(
            "id",
            INTEGER,
            "This site's id of the milestone; its anchor on the strategy or life-experience page is milestone-<id>.",
            "pk",
        ),
        Field("title", TEXT, "The milestone."),
        Field("description", MARKDOWN, "More about it."),
        Field(
            "status",
            TEXT,
            "planned, in_progress, complete, delayed or cancelled: its latest published status update's, else its own.",
            expression=public_progress,
        ),
        Field("fiscal_year", INTEGER, "Timing: the fiscal year it is due, or empty."),
        Field(
            "quarter", INTEGER, "Timing: the quarter of that fiscal year (1 = Oct–Dec), or empty."
        ),
        Field(
            "timing",
            TEXT,
            'Timing as a label, e.g. "FY23 Q3".',
            compute=lambda row: fiscal_label(row["fiscal_year"], row["quarter"]),
        ),
        Field("due_date", DATE, "A due date, where one was given."),
        Field("owner", TEXT, "Who is responsible."),
        Field(
            "priority_area",
            TEXT,
            "The slug of the priority area of its strategy, or empty.",
            "strategy__priority_area__slug",
        ),
        Field(
            "strategy",
            INTEGER,
            "The number of its strategy within the priority area, or empty.",
            "strategy__number",
        ),
        Field(
            "goal", TEXT, "The number of the goal it serves, e.g. 2.1, or empty.", "goal__number"
        ),
        Field(
            "life_experience",
            TEXT,
            "The slug of the life experience of its project, or empty.",
            "project__life_experience__slug",
        ),
        Field(
            "project", TEXT, "The slug of its life-experience project, or empty.", "project__slug"
        ),
        UPDATED_AT,
    ),
    public=lambda: Milestone.objects.public(),
    order=("fiscal_year", "quarter", "order", "pk"),
    models=(
        Milestone,
        MilestoneUpdate,
        Strategy,
        Goal,
        PriorityArea,
        LifeExperienceProject,
        LifeExperience,
    ),
)

UPDATES = Dataset(
    name="progress_updates",
    title="Progress updates",
    description=(
        "The dated Summary of Progress entries of each priority area, strategy status updates, "
        "and links to the action plan and progress update documents."
    ),
    fields=(
        Field("priority_area", TEXT, "The slug of the priority area.", "priority_area__slug"),
        Field(
            "kind",
            TEXT,
            "summary_of_progress, strategy_status, or action_plan_pdf (a link to a document).",
        ),
        Field("period_label", TEXT, 'The period as published, e.g. "August 2023".'),
        Field("date", DATE, "The first day of the update's month, or empty."),
        Field(
            "strategy",
            INTEGER,
            "For a strategy status update, the strategy's number.",
            "strategy__number",
        ),
        Field("body", MARKDOWN, "The update."),
        Field("document_url", TEXT, "The document, for a linked action plan or progress update."),
        UPDATED_AT,
    ),
    public=lambda: ProgressUpdate.objects.public(),
    order=("priority_area__slug", F("date").desc(nulls_last=True), "pk"),
    models=(ProgressUpdate, PriorityArea, Strategy),
)

LEGACY_SCORES = Dataset(
    name="legacy_scores",
    title="Mean scores before 2021",
    description=(
        "Before FY2021 providers published only the mean score of each A-11 measure, with no "
        "counts. One row per provider, quarter and measure."
    ),
    fields=(
        HISP_SLUG,
        HISP_NAME,
        YEAR,
        QUARTER,
        PERIOD,
        Field(
            "measure",
            TEXT,
            "The A-11 CX measure (see the measures below).",
            expression=lambda: label(LegacyScore, "measure", "key"),
        ),
        Field(
            "average_score",
            DECIMAL,
            "The mean score on the 5-point scale; empty where the source said “No Data”.",
        ),
        Field("statement", TEXT, "The survey statement."),
        Field("universe", INTEGER, "Customers served."),
        Field("surveyed", INTEGER, "Customers surveyed."),
        Field("respondents", INTEGER, "Customers who answered."),
        Field("response_rate", TEXT, "The response rate as published."),
        UPDATED_AT,
    ),
    public=lambda: LegacyScore.objects.public(),
    order=("hisp__slug", "fiscal_year", "quarter", "measure__order"),
    models=(LegacyScore, Hisp, Agency, CxMeasure),
)

MEASURES = Dataset(
    name="cx_measures",
    title="The A-11 CX measures",
    description="The seven government-wide customer experience measures of OMB Circular A-11, Section 280.",
    fields=(
        Field("key", TEXT, "The measure's key, as used in the measure fields."),
        Field("label", TEXT, "Its name."),
        Field("sample_statement", TEXT, "The statement customers are asked to agree with."),
        Field("order", INTEGER, "Its place in the A-11 list."),
        UPDATED_AT,
    ),
    public=lambda: CxMeasure.objects.public(),
    order=("order",),
    models=(CxMeasure,),
)


def public_trust_by_quarter() -> QuerySet:
    """Every public answer to a published trust question, summed per fiscal quarter over all
    providers: one row per quarter. Public results belong to published reporting periods only, so
    a quarter still open or in review is not here. A question nobody answered is left out, so that
    `providers` counts only providers with answers."""
    return (
        SurveyResult.objects.public()
        .filter(measure__key="trust", measure__in=CxMeasure.objects.public())
        .exclude(**dict.fromkeys(POINTS, 0))
        .annotate(
            fiscal_year=F("survey__report__fiscal_year"), quarter=F("survey__report__quarter")
        )
        .values("fiscal_year", "quarter")
        .annotate(
            **{point: Sum(point) for point in POINTS},
            providers=Count("survey__report__hisp", distinct=True),
        )
    )


TRUST_BY_QUARTER = Dataset(
    name="trust_by_quarter",
    title="Trust after a transaction, all providers, by quarter",
    description=(
        "The agenda's success measure: how many customers agreed that a transaction increased "
        "their trust in the provider. Every published answer to the trust question of every HISP's "
        "post-transaction surveys, summed per fiscal quarter, so the share agreeing is weighted by "
        "the number of answers. One row per quarter; the chart on the home page shows it."
    ),
    fields=(
        YEAR,
        QUARTER,
        PERIOD,
        Field("providers", INTEGER, "Providers with answers to their trust question that quarter."),
        # The counts, total and share of the survey results, here summed over the quarter.
        *(f for f in SURVEY_RESULTS.fields if f.name in (*POINTS, "total", "pct_agree")),
    ),
    public=public_trust_by_quarter,
    order=("fiscal_year", "quarter"),
    models=(SurveyResult, ServiceSurvey, QuarterlyReport, Service, Hisp, CxMeasure),
    summary=True,
)

DATASETS = {
    dataset.name: dataset
    for dataset in (
        HISPS,
        SERVICES,
        REPORTS,
        SURVEY_RESULTS,
        TRUST_BY_QUARTER,
        LEGACY_SCORES,
        MEASURES,
        MILESTONES,
        UPDATES,
    )
}
