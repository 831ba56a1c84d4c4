"""Agencies, High Impact Service Providers, their services and their quarterly CX reporting."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

from content.fiscal import (
    QUARTER_VALIDATORS,
    YEAR_VALIDATORS,
    FiscalQuarter,
    fiscal_label,
    quarter_check,
)
from content.markdown import MarkdownField
from content.publishing import ContentModel, PublishedQuerySet, Status, shown
from content.searching import search_indexes, searchable


class Agency(ContentModel):
    """A department, or a bureau within one (a bureau has a parent)."""

    name = models.CharField(max_length=200)
    abbreviation = models.CharField(
        max_length=30, blank=True, help_text="For example USDA or FEMA."
    )
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="Part of the agency's web address. Never change it once published.",
    )
    url = models.URLField(blank=True, help_text="The agency's own website.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bureaus",
        help_text="The department, if this is a bureau.",
    )

    public_parents = ("parent",)
    address_fields = ("slug",)

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["name", "abbreviation"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("hisps_agency")
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        # Departments and their bureaus: one level, which the publishing rule relies on.
        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError({"parent": "Choose a department: a bureau cannot have bureaus."})

    def get_absolute_url(self):
        return reverse("hisps:agency", kwargs={"abbr": self.slug})

    @property
    def short_name(self) -> str:
        """The abbreviation, or the name if there is none: for breadcrumbs."""
        return self.abbreviation or self.name


class AgencyEditor(models.Model):
    """An agency editor's agency: the user sees and edits that agency's HISPs and their data
    (and its bureaus' ones) in the admin, and nothing of other agencies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agency_editors"
    )
    agency = models.ForeignKey(
        "Agency",
        on_delete=models.CASCADE,
        related_name="editors",
        help_text="A department (its bureaus come with it) or a bureau.",
    )

    class Meta:
        verbose_name = "agency of an agency editor"
        verbose_name_plural = "agencies (for the Agency editor role)"
        # Held by OMB's roles: without it a user sees only the HISP data of its own agencies.
        permissions = [("all_agencies", "Can see and edit the HISP data of every agency")]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency"], name="hisps_agencyeditor_once"),
        ]

    def __str__(self):
        return f"{self.user} edits {self.agency}"


class HispQuerySet(PublishedQuerySet):
    def search(self, text: str):
        """Providers matching every word of `text` in a name, agency, description or service."""
        queryset = self
        for word in text.split()[:12]:
            services = Service.objects.public().filter(hisp=OuterRef("pk"), name__icontains=word)
            # The department and bureau are labels: their names match only while they are public.
            agency = Q(agency__name__icontains=word) | Q(agency__abbreviation__icontains=word)
            bureau = Q(bureau__name__icontains=word) | Q(bureau__abbreviation__icontains=word)
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(abbreviation__icontains=word)
                | Q(headline__icontains=word)
                | Q(description__icontains=word)
                | (agency & Q(shown(self.model, "agency")))
                | (bureau & Q(shown(self.model, "bureau")))
                | Exists(services)
            )
        return queryset

    def with_labels(self):
        """Whether the department and the bureau may be shown (see `shown`): read by `department`
        and `public_bureau`."""
        return self.annotate(
            agency_shown=shown(self.model, "agency"), bureau_shown=shown(self.model, "bureau")
        )

    def with_status_in(self, quarter: FiscalQuarter, status: str):
        """Providers whose published report for `quarter` has this QuarterlyReport.reporting_status.

        "no_report" means no published report for that quarter at all.
        """
        reports = QuarterlyReport.objects.public().filter(
            fiscal_year=quarter.year, quarter=quarter.quarter
        )
        if status == QuarterlyReport.NO_REPORT:
            return self.exclude(pk__in=reports.values("hisp_id"))
        rating = "" if status == QuarterlyReport.NOT_RATED else status
        return self.filter(pk__in=reports.filter(rating=rating).values("hisp_id"))


class TouchpointsOrganization(models.Model):
    """The organization Touchpoints (GSA's reporting system) filed a record under, as Touchpoints
    wrote it. performance.gov's CX data API served these, and its clients join on them; this
    site's own agencies (Agency) are named and split differently (IRS and USCIS are organizations
    there, and one provider's FY23 Q1 report was filed under FWS rather than DOI), so both are kept.
    Imported, not edited: empty for records made on this site."""

    touchpoints_organization_id = models.PositiveIntegerField(
        "Touchpoints organization id", null=True, blank=True, editable=False
    )
    touchpoints_organization_name = models.CharField(
        "Touchpoints organization name", max_length=200, blank=True, editable=False
    )
    touchpoints_organization_abbreviation = models.CharField(
        "Touchpoints organization abbreviation", max_length=30, blank=True, editable=False
    )

    class Meta:
        abstract = True


class Hisp(ContentModel, TouchpointsOrganization):
    class Cohort(models.TextChoices):
        LIST_2020 = "2020", "2020 HISP list"
        TOUCHPOINTS = "touchpoints", "Service provider reporting in Touchpoints (FY21–FY23)"

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="hisps", help_text="The department."
    )
    bureau = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bureau_hisps",
        help_text="The bureau or office within the department, if any.",
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Part of the page's permanent web address, which agencies link to. Never change it.",
    )
    abbreviation = models.CharField(max_length=30, blank=True)
    headline = models.CharField(
        max_length=300, blank=True, help_text="One sentence on the scale of the service."
    )
    description = MarkdownField(blank=True)
    url = models.URLField(blank=True, help_text="The provider's own website.")
    year_designated = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=YEAR_VALIDATORS
    )
    active = models.BooleanField(
        default=True, help_text="Untick when the provider is no longer designated."
    )
    cohort = models.CharField(max_length=20, choices=Cohort.choices, default=Cohort.TOUCHPOINTS)
    touchpoints_id = models.PositiveIntegerField(
        "Touchpoints service provider id", null=True, blank=True, unique=True
    )
    overall_rating_2020 = models.DecimalField(
        "overall rating (2020)", max_digits=3, decimal_places=1, null=True, blank=True
    )
    earlier_designations = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="later_designations",
        help_text="Entries of the 2020 HISP list that this provider continues.",
    )

    objects = HispQuerySet.as_manager()
    address_fields = ("slug",)

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["name", "abbreviation"], B=["headline", "description"])

    class Meta(ContentModel.Meta):
        # The directory lists providers by name, a page at a time: read in that order, not sorted.
        indexes = [
            *search_indexes("hisps_hisp"),
            models.Index(fields=["name", "id"], name="hisps_hisp_by_name"),
        ]
        verbose_name = "High Impact Service Provider"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("hisps:detail", kwargs={"slug": self.slug})

    def recent_reporting(self, latest_quarters, count=4):
        """(quarter, report or None) for the provider's recent quarters, oldest first.

        Uses the prefetched `public_reports`. An active provider is shown against the site's latest
        reported quarters (`latest_quarters`, oldest first), so a missed quarter shows; an earlier
        designation against the last quarters it reported in.
        """
        reports = {report.fiscal_quarter: report for report in self.public_reports}
        quarters = list(latest_quarters) if self.active else sorted(reports)[-count:]
        return [(quarter, reports.get(quarter)) for quarter in quarters]

    @property
    def department(self):
        """The department, while it is public (a queryset's `with_labels()` decided), else None."""
        return self.agency if self.agency_shown else None

    @property
    def public_bureau(self):
        """The bureau, while there is one and it is public (decided by `with_labels()`), else None."""
        return self.bureau if self.bureau_shown else None

    def public_survey_results(self):
        """The public survey answers of the provider's reports."""
        return SurveyResult.objects.public().filter(survey__report__hisp=self)

    def survey_totals(self) -> dict:
        """{(FiscalQuarter, measure id): an unsaved SurveyResult holding the summed counts}.

        One query: every published answer to a published A-11 measure's question in a quarter,
        over all of the provider's services and channels, summed point by point.
        """
        rows = (
            self.public_survey_results()
            .filter(measure__in=CxMeasure.objects.public())
            .values("survey__report__fiscal_year", "survey__report__quarter", "measure_id")
            .annotate(
                **{name: Sum(name) for name in SurveyResult.COUNT_FIELDS},
                newest=Max("last_updated"),
            )
            .order_by()
        )
        totals = {}
        for row in rows:
            quarter = FiscalQuarter(
                row["survey__report__fiscal_year"], row["survey__report__quarter"]
            )
            result = SurveyResult(
                measure_id=row["measure_id"],
                last_updated=row["newest"],
                **{name: row[name] for name in SurveyResult.COUNT_FIELDS},
            )
            totals[quarter, row["measure_id"]] = result
        return totals


class Service(ContentModel):
    class Channel(models.TextChoices):
        COMPUTER = "computer", "Computer"
        EMAIL = "email", "Email"
        AUTOMATED_PHONE = "automated_phone", "Automated phone"
        PHONE = "phone", "Phone"
        MOBILE = "mobile", "Mobile"
        IN_PERSON = "in_person", "In person"
        WEBSITE = "website", "Website"
        MIXED = "mixed", "Mixed"
        PAPER = "paper", "Paper"
        POSTAL_MAIL = "postal_mail", "Postal mail"

    hisp = models.ForeignKey(Hisp, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    description = MarkdownField(blank=True)
    why_designated = MarkdownField(
        blank=True, help_text="Why this service was designated, in plain words."
    )
    channels = ArrayField(
        models.CharField(max_length=20, choices=Channel.choices), default=list, blank=True
    )
    designated = models.BooleanField(default=True, help_text="A currently designated service.")
    previously_reported = models.BooleanField(
        default=False, help_text="Reported in earlier years but no longer designated."
    )
    service_provided = ArrayField(models.CharField(max_length=500), default=list, blank=True)
    transaction_points = ArrayField(models.CharField(max_length=500), default=list, blank=True)
    omb_control_numbers = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    touchpoints_id = models.PositiveIntegerField(
        "Touchpoints service id", null=True, blank=True, unique=True
    )
    touchpoints_slug = models.CharField(
        max_length=80, blank=True, help_text="The service_slug in Touchpoints."
    )
    touchpoints_name = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="The name as Touchpoints spelt it, stray spaces included: performance.gov's data "
        "API served it, and the API here serves it while it reads the same as the name.",
    )

    public_parents = ("hisp",)

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["name"], B=["description", "why_designated"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("hisps_service")
        ordering = ["hisp__name", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.hisp.get_absolute_url()}#service-{self.slug}"

    @property
    def channel_labels(self) -> list[str]:
        labels = dict(self.Channel.choices)
        return [labels.get(channel, channel) for channel in self.channels]


class LegacyPath(ContentModel):
    """An old performance.gov address of a HISP's profile, answered with a permanent redirect."""

    hisp = models.ForeignKey(Hisp, on_delete=models.PROTECT, related_name="legacy_paths")
    path = models.CharField(
        max_length=300,
        unique=True,
        help_text="The old path, starting and ending with a slash, e.g. /cx/dashboard/va/vha/.",
    )

    public_parents = ("hisp",)

    class Meta(ContentModel.Meta):
        ordering = ["path"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(path__startswith="/") & models.Q(path__endswith="/"),
                name="hisps_legacypath_path_slashes",
            ),
        ]

    def __str__(self):
        return self.path

    def get_absolute_url(self):
        return self.path


class CxMeasure(ContentModel):
    """One of the seven government-wide A-11 Section 280 customer experience measures."""

    key = models.SlugField(max_length=30, unique=True)
    label = models.CharField(max_length=100)
    sample_statement = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta(ContentModel.Meta):
        verbose_name = "CX measure"
        ordering = ["order"]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("data:index") + f"#measure-{self.key}"


class PeriodQuerySet(PublishedQuerySet):
    def latest_public(self, count: int = 1) -> list[FiscalQuarter]:
        """The latest `count` published quarters, oldest first: the site's "latest quarter"."""
        rows = (
            self.public()
            .order_by("-fiscal_year", "-quarter")
            .values_list("fiscal_year", "quarter")[:count]
        )
        return [FiscalQuarter(*row) for row in reversed(rows)]


class InQuarter:
    """For a model with `fiscal_year` and `quarter`: the quarter as a label and as a value."""

    @property
    def period(self) -> str:
        return fiscal_label(self.fiscal_year, self.quarter)

    @property
    def fiscal_quarter(self) -> FiscalQuarter:
        return FiscalQuarter(self.fiscal_year, self.quarter)


class ReportingPeriod(InQuarter, models.Model):
    """One fiscal quarter of HISP reporting, published as a whole.

    Open: agency editors enter and upload the quarter's data. Closed: entry has ended and OMB
    reviews it. Published: from `publish_at` on, the quarter's published reports, surveys and
    results are public (the period is a parent of every report of its quarter, see
    `QuarterlyReport.reporting_period`), so a quarter appears all at once, and a quarter still open changes
    nothing on the public site. Only OMB publishers open, close and publish periods.
    """

    class State(models.TextChoices):
        OPEN = "open", "Open for reporting"
        CLOSED = "closed", "Closed for review"
        # The publishing rule reads `status` and `publish_at`, as on every content model.
        PUBLISHED = Status.PUBLISHED, "Published"

    fiscal_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        validators=QUARTER_VALIDATORS, help_text="1 = Oct–Dec."
    )
    status = models.CharField(
        "state", max_length=20, choices=State.choices, default=State.OPEN, db_index=True
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the quarter's data goes public (Eastern Time). Set by publishing the period.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    note = models.TextField(blank=True, help_text="For OMB staff: not shown to the public.")

    public_parents: tuple[str, ...] = ()

    objects = PeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "-quarter"]
        default_permissions = ("add", "change", "delete", "view", "publish")
        constraints = [
            quarter_check(),
            models.UniqueConstraint(
                fields=["fiscal_year", "quarter"], name="hisps_reportingperiod_one_per_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "closed", "published"]),
                name="hisps_reportingperiod_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(publish_at__isnull=False),
                name="hisps_reportingperiod_published_has_time",
            ),
        ]

    def __str__(self):
        return self.period

    @property
    def is_open(self) -> bool:
        return self.status == self.State.OPEN


class PeriodRelation(models.ForeignObject):
    """A report's reporting period, read through the report's own `fiscal_year` and `quarter`.

    It has no column of its own, so the quarter is stored once and a report can never point to a
    period of another quarter. It is a private field, like a generic relation: not in forms,
    migrations or history, but usable in queries (`reporting_period__status`) and by the publishing rule.
    A report whose quarter has no period row is not public.
    """

    def __init__(self, **kwargs):
        kwargs.update(
            to=ReportingPeriod,
            on_delete=models.DO_NOTHING,
            from_fields=["fiscal_year", "quarter"],
            to_fields=["fiscal_year", "quarter"],
            related_name="quarterly_reports",
            editable=False,
        )
        super().__init__(**kwargs)

    def contribute_to_class(self, cls, name, private_only=False, **kwargs):
        super().contribute_to_class(cls, name, private_only=True, **kwargs)


class QuarterlyReport(InQuarter, ContentModel):
    """A HISP's CX report for one fiscal quarter."""

    # The reporting status shown to the public: a rating, or one of these two.
    NOT_RATED = "not_rated"
    NO_REPORT = "no_report"
    STATUS_WORDS = {
        "in_line": "In line",
        "partial": "Partial",
        "not_reported": "Not reported",
        NOT_RATED: "Not rated",
        NO_REPORT: "No report",
    }

    class Rating(models.TextChoices):
        IN_LINE = "in_line", "In line with A-11 Section 280 guidance"
        PARTIAL = "partial", "Partially in line"
        NOT_REPORTED = "not_reported", "Not reported"
        __empty__ = "Not rated"

    hisp = models.ForeignKey(Hisp, on_delete=models.PROTECT, related_name="quarterly_reports")
    fiscal_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(
        validators=QUARTER_VALIDATORS, help_text="1 = Oct–Dec."
    )
    rating = models.CharField(
        max_length=20,
        choices=Rating.choices,
        blank=True,
        help_text="OMB's reporting compliance flag.",
    )
    rating_note = models.CharField(max_length=300, blank=True)
    reflection = MarkdownField(blank=True, help_text="The agency's written reflection.")
    reporting_period = PeriodRelation()

    # Public only once its quarter's reporting period is published.
    public_parents = ("hisp", "reporting_period")

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(B=["reflection"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("hisps_quarterlyreport")
        ordering = ["hisp__name", "-fiscal_year", "-quarter"]
        constraints = [
            *ContentModel.Meta.constraints,
            quarter_check(),
            models.UniqueConstraint(
                fields=["hisp", "fiscal_year", "quarter"],
                name="hisps_quarterlyreport_one_per_quarter",
            ),
        ]

    def __str__(self):
        return f"{self.hisp} {self.period}"

    def get_absolute_url(self):
        return f"{self.hisp.get_absolute_url()}#report-fy{self.fiscal_year}-q{self.quarter}"

    @property
    def reporting_status(self) -> str:
        """in_line, partial, not_reported or not_rated (not the publishing `status`)."""
        return self.rating or self.NOT_RATED

    @property
    def reporting_status_label(self) -> str:
        """A short word for it: "In line", "Partial", "Not reported", "Not rated"."""
        return self.STATUS_WORDS[self.reporting_status]

    @property
    def anchor(self) -> str:
        return f"report-fy{self.fiscal_year}-q{self.quarter}"


class ServiceSurvey(ContentModel, TouchpointsOrganization):
    """One service's post-transaction survey on one channel, in one quarterly report.

    Touchpoints calls this an "OMB CX reporting collection". Its questions are SurveyResults. Its
    Touchpoints organization is the one of the collection (the quarterly report) it was filed in.
    """

    report = models.ForeignKey(QuarterlyReport, on_delete=models.PROTECT, related_name="surveys")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="surveys")
    channel = models.CharField(max_length=20, choices=Service.Channel.choices, blank=True)
    service_provided = models.CharField(max_length=500, blank=True)
    transaction_point = models.CharField(max_length=500, blank=True)
    volume_of_customers = models.BigIntegerField(null=True, blank=True)
    volume_offered_survey = models.BigIntegerField(
        "customers offered the survey", null=True, blank=True
    )
    volume_of_respondents = models.BigIntegerField(null=True, blank=True)
    omb_control_number = models.CharField(max_length=60, blank=True)
    federal_register_url = models.CharField(max_length=500, blank=True)
    operational_metrics = models.TextField(blank=True)
    touchpoints_id = models.PositiveIntegerField(
        "Touchpoints id", null=True, blank=True, unique=True
    )
    touchpoints_collection_id = models.PositiveIntegerField(
        "Touchpoints collection id", null=True, blank=True, db_index=True
    )
    reported_created_at = models.DateTimeField(null=True, blank=True)
    reported_updated_at = models.DateTimeField(null=True, blank=True)
    touchpoints_blank_texts = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="The text Touchpoints held in question slots the agency left unused (a space), by "
        "question number: performance.gov's data API served it as it was.",
    )

    public_parents = ("report", "service")

    class Meta(ContentModel.Meta):
        ordering = ["report", "service", "channel"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(volume_of_customers__gte=0)
                | models.Q(volume_of_customers__isnull=True),
                name="hisps_servicesurvey_customers_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(volume_offered_survey__gte=0)
                | models.Q(volume_offered_survey__isnull=True),
                name="hisps_servicesurvey_offered_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(volume_of_respondents__gte=0)
                | models.Q(volume_of_respondents__isnull=True),
                name="hisps_servicesurvey_respondents_not_negative",
            ),
        ]

    def __str__(self):
        return (
            f"{self.service} · {self.get_channel_display() or 'no channel'} · {self.report.period}"
        )

    def get_absolute_url(self):
        return self.report.get_absolute_url()


class SurveyResult(ContentModel):
    """One question of a service survey: the count of answers at each point of the 5-point scale.

    The share agreeing and the mean are computed from the counts, never typed in.
    """

    COUNT_FIELDS = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")

    survey = models.ForeignKey(ServiceSurvey, on_delete=models.PROTECT, related_name="results")
    question_number = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    question_text = models.TextField(blank=True)
    measure = models.ForeignKey(
        CxMeasure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        help_text="The A-11 measure this question reports, if any.",
    )
    strongly_disagree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    neutral = models.PositiveIntegerField(default=0)
    agree = models.PositiveIntegerField(default=0)
    strongly_agree = models.PositiveIntegerField(default=0)

    public_parents = ("survey",)

    class Meta(ContentModel.Meta):
        ordering = ["survey", "question_number"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["survey", "question_number"], name="hisps_surveyresult_one_per_question"
            ),
        ]

    def __str__(self):
        return f"Q{self.question_number}: {self.question_text[:60]}"

    def get_absolute_url(self):
        return self.survey.get_absolute_url()

    @property
    def counts(self) -> list[int]:
        return [
            self.strongly_disagree,
            self.disagree,
            self.neutral,
            self.agree,
            self.strongly_agree,
        ]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def pct_agree(self) -> Decimal | None:
        """Percent answering agree or strongly agree, to one decimal place."""
        if not self.total:
            return None
        value = Decimal(100 * (self.agree + self.strongly_agree)) / Decimal(self.total)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def mean(self) -> Decimal | None:
        """Mean on the 5-point scale, to two decimal places."""
        if not self.total:
            return None
        weighted = sum(point * count for point, count in enumerate(self.counts, start=1))
        return (Decimal(weighted) / Decimal(self.total)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


class LegacyScore(ContentModel):
    """A mean score a HISP published before 2021, when only the mean was reported (no counts)."""

    hisp = models.ForeignKey(Hisp, on_delete=models.PROTECT, related_name="legacy_scores")
    fiscal_year = models.PositiveSmallIntegerField(validators=YEAR_VALIDATORS)
    quarter = models.PositiveSmallIntegerField(validators=QUARTER_VALIDATORS)
    measure = models.ForeignKey(CxMeasure, on_delete=models.PROTECT, related_name="legacy_scores")
    average_score = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Empty where the source said 'No Data'.",
    )
    statement = models.CharField(max_length=300, blank=True)
    universe = models.BigIntegerField(null=True, blank=True)
    surveyed = models.BigIntegerField(null=True, blank=True)
    respondents = models.BigIntegerField(null=True, blank=True)
    response_rate = models.CharField(max_length=10, blank=True)

    public_parents = ("hisp",)

    class Meta(ContentModel.Meta):
        ordering = ["hisp", "fiscal_year", "quarter", "measure__order"]
        constraints = [
            *ContentModel.Meta.constraints,
            quarter_check(),
            models.UniqueConstraint(
                fields=["hisp", "fiscal_year", "quarter", "measure"],
                name="hisps_legacyscore_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(average_score__gte=1, average_score__lte=5)
                | models.Q(average_score__isnull=True),
                name="hisps_legacyscore_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.hisp} {fiscal_label(self.fiscal_year, self.quarter)} {self.measure}"

    def get_absolute_url(self):
        return self.hisp.get_absolute_url()


class Document(ContentModel):
    class Kind(models.TextChoices):
        HISP_ACTION_PLAN = "hisp_cx_action_plan", "HISP CX action plan"
        CAP_GOAL_ACTION_PLAN = "cap_goal_action_plan", "CAP Goal action plan and progress update"
        A11_TOOLKIT = "a11_280_toolkit", "A-11 Section 280 toolkit"
        OTHER = "other", "Other"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=500)
    year = models.PositiveSmallIntegerField(null=True, blank=True, validators=YEAR_VALIDATORS)
    hisp = models.ForeignKey(
        Hisp, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )

    public_parents = ("hisp",)

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["title"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("hisps_document")
        ordering = ["-year", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url
