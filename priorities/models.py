"""Priority areas, their leaders, progress updates, strategies, goals, highlights and life experiences."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from content.markdown import MarkdownField
from content.publishing import ContentModel, PublishedQuerySet
from content.searching import search_indexes, searchable
from hisps.models import Agency
from priorities.links import official_url, source_name, validate_official


def month_label(text: str) -> str:
    """ "August 2023" for "2023-08"; any other text (a year alone, "2024") as it is."""
    try:
        return datetime.datetime.strptime(text, "%Y-%m").strftime("%B %Y")
    except ValueError:
        return text


class PriorityArea(ContentModel):
    agenda = models.CharField(
        max_length=200,
        help_text="The management agenda, e.g. Biden-Harris President's Management Agenda (2021–2025).",
    )
    agenda_start_year = models.PositiveSmallIntegerField(
        help_text="The year the agenda began; lists show the newest agenda first."
    )
    agenda_end_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The year its administration's term ended (on January 20), e.g. 2025. From "
        "then on the area is shown as part of a past agenda. Empty while the agenda is current.",
    )
    number = models.PositiveSmallIntegerField(help_text="Its number within the agenda.")
    title = models.CharField(max_length=300)
    short_title = models.CharField(max_length=100)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text="The address is /pma/<slug>/. Never change it once published.",
    )
    overview = MarkdownField(blank=True)
    goal_statement = MarkdownField(blank=True)
    quote = MarkdownField(blank=True)
    quote_author = models.CharField(max_length=200, blank=True)
    challenge = MarkdownField(blank=True)
    opportunity = MarkdownField(blank=True)
    original_url = models.URLField(blank=True, help_text="Where performance.gov published it.")

    address_fields = ("slug",)

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(
        A=["title", "short_title"],
        B=["overview", "goal_statement", "challenge", "opportunity"],
        C=["agenda", "quote"],
    )

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_area")
        ordering = ["-agenda_start_year", "number"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["agenda_start_year", "number"],
                name="priorities_priorityarea_number_per_agenda",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("priorities:detail", kwargs={"slug": self.slug})

    def agenda_ended(self, on=None) -> bool:
        """Whether the agenda's term had ended on the day `on` (today): terms end on January 20."""
        if not self.agenda_end_year:
            return False
        on = on or timezone.localdate()
        return on >= datetime.date(self.agenda_end_year, 1, 20)

    @property
    def past_agenda(self) -> bool:
        return self.agenda_ended()

    def current_leaders(self, on):
        """Published leader seats held on the date `on`, in page order."""
        return Leader.objects.public().serving(on).filter(priority_area=self)

    def summaries(self):
        """Published Summary of Progress entries, newest first."""
        return ProgressUpdate.objects.public().summaries().filter(priority_area=self)

    def action_plans(self):
        """Published CAP Goal Action Plan and Progress Update PDFs, newest first."""
        return ProgressUpdate.objects.public().action_plans().filter(priority_area=self)

    @property
    def is_customer_experience(self) -> bool:
        """The CX area of an agenda: /pma/cx/, or an earlier agenda's /pma/cx-2018/."""
        return self.slug == "cx" or self.slug.startswith("cx-")

    @property
    def public_url(self) -> str:
        """Where performance.gov published the area, at an address the public may use."""
        return official_url(self.original_url)

    @property
    def short_description(self) -> str:
        """The first paragraph (Markdown) of the overview, the goal, the opportunity or the challenge."""
        for text in (self.overview, self.goal_statement, self.opportunity, self.challenge):
            if text.strip():
                return text.strip().split("\n\n")[0]
        return ""


class SuccessMetric(ContentModel):
    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.PROTECT, related_name="success_metrics"
    )
    key_question = models.TextField()
    target = models.TextField(
        blank=True, help_text="What the metric contributes to, with its target."
    )
    bottom_line = models.TextField(blank=True, help_text="The bottom line up front.")
    url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    public_parents = ("priority_area",)

    class Meta(ContentModel.Meta):
        ordering = ["priority_area", "order"]

    def __str__(self):
        return self.key_question[:80]

    def get_absolute_url(self):
        return self.priority_area.get_absolute_url() + "#success-metrics"


class LeaderQuerySet(PublishedQuerySet):
    def serving(self, on):
        """Seats held on the date `on`: the ones a priority area's page lists (and search finds)."""
        return self.filter(
            models.Q(served_from__isnull=True) | models.Q(served_from__lte=on)
        ).filter(models.Q(served_to__isnull=True) | models.Q(served_to__gt=on))


class Leader(ContentModel):
    """A seat on a priority area. The person may be unnamed: August 2023 listed the VA seat by agency alone."""

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.PROTECT, related_name="leaders"
    )
    name = models.CharField(
        max_length=200, blank=True, help_text="Leave blank if the seat is listed by agency only."
    )
    honorific = models.CharField(max_length=20, blank=True, help_text="For example Dr.")
    title = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="leaders")
    role = models.CharField(max_length=100, default="Priority Area Lead")
    order = models.PositiveSmallIntegerField(default=0)
    as_of = models.CharField(
        max_length=100, blank=True, help_text="When the source listed this leader."
    )
    served_from = models.DateField(null=True, blank=True)
    served_to = models.DateField(
        null=True,
        blank=True,
        help_text="Leave blank while the leader serves. The page shows current leaders only.",
    )

    public_parents = ("priority_area",)

    objects = LeaderQuerySet.as_manager()

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["name"], B=["title", "role"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_leader")
        ordering = ["priority_area", "order"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(served_to__isnull=True)
                | models.Q(served_from__isnull=True)
                | models.Q(served_to__gte=models.F("served_from")),
                name="priorities_leader_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def as_of_label(self) -> str:
        """When the source listed this leader, e.g. "December 2023"."""
        return month_label(self.as_of)

    def get_absolute_url(self):
        return self.priority_area.get_absolute_url() + "#leaders"

    @property
    def display_name(self) -> str:
        """The person's name, or the agency's abbreviation for a seat listed by agency only."""
        if self.name:
            return f"{self.honorific} {self.name}".strip()
        return self.agency.abbreviation or self.agency.name


class Strategy(ContentModel):
    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.PROTECT, related_name="strategies"
    )
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    statement = MarkdownField(blank=True)
    cap_goal = models.BooleanField(
        "CAP goal", default=False, help_text="Designated a Cross-Agency Priority (CAP) goal."
    )
    as_of = models.DateField(
        null=True,
        blank=True,
        help_text="The date the strategy's status was last reviewed, shown as “As of”. Left "
        "empty, it is set to the day the strategy is first published.",
    )
    original_url = models.URLField(blank=True)

    public_parents = ("priority_area",)

    address_fields = ("number", "priority_area")

    as_of_field = "as_of"

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["title"], B=["statement"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_strategy")
        verbose_name_plural = "strategies"
        ordering = ["priority_area", "number"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["priority_area", "number"], name="priorities_strategy_number_unique"
            ),
        ]

    def __str__(self):
        return f"Strategy {self.number}: {self.title[:80]}"

    def get_absolute_url(self):
        return reverse(
            "priorities:strategy", kwargs={"slug": self.priority_area.slug, "number": self.number}
        )

    def public_status_updates(self):
        """Published status updates of this strategy ("As of April 2024"), newest first."""
        return ProgressUpdate.objects.public().filter(
            strategy=self, kind=ProgressUpdate.Kind.STRATEGY_STATUS
        )


class Goal(ContentModel):
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="goals")
    number = models.CharField(
        max_length=10,
        validators=[RegexValidator(r"^\d+\.\d+$", "Write the number like 2.1.")],
        help_text="For example 2.1.",
    )
    statement = MarkdownField()
    as_of = models.DateField(
        null=True,
        blank=True,
        help_text="Shown as “As of”. Left empty, it is set to the day the goal is first published.",
    )

    public_parents = ("strategy",)

    as_of_field = "as_of"

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["statement"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_goal")
        ordering = ["strategy", "number"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["strategy", "number"], name="priorities_goal_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^\d+\.\d+$"), name="priorities_goal_number_form"
            ),
        ]

    def __str__(self):
        return f"Goal {self.number}"

    def get_absolute_url(self):
        return self.strategy.get_absolute_url() + f"#goal-{self.number}"


class ProgressUpdateQuerySet(PublishedQuerySet):
    def summaries(self):
        """Summary of Progress entries: a priority area's own updates, not a strategy's."""
        return self.filter(kind=ProgressUpdate.Kind.SUMMARY, strategy__isnull=True).select_related(
            "priority_area"
        )

    def dated(self):
        """Updates with a month, so with a permalink (/pma/<slug>/updates/<yyyy-mm>/)."""
        return self.filter(date__isnull=False)

    def action_plans(self):
        """A priority area's CAP Goal Action Plan and Progress Update PDFs, newest first. Those
        known only by fiscal quarter ("FY18 Q3, April–June 2018") have no month and came before
        the dated ones; among themselves their labels sort by quarter."""
        return self.filter(
            kind=ProgressUpdate.Kind.ACTION_PLAN_PDF, strategy__isnull=True
        ).order_by(models.F("date").desc(nulls_last=True), "-period_label")


class ProgressUpdate(ContentModel):
    class Kind(models.TextChoices):
        SUMMARY = "summary_of_progress", "Summary of Progress"
        STRATEGY_STATUS = "strategy_status", "Strategy status"
        ACTION_PLAN_PDF = "action_plan_pdf", "Action plan and progress update (PDF)"

    priority_area = models.ForeignKey(
        PriorityArea, on_delete=models.PROTECT, related_name="updates"
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, null=True, blank=True, related_name="status_updates"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.SUMMARY)
    period_label = models.CharField(max_length=120, help_text="As shown, e.g. August 2023.")
    date = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "The update's month: any day of it may be typed, and the first is kept. It gives the "
            "update its address, so a priority area has one update a month."
        ),
    )
    body = MarkdownField(blank=True)
    document_url = models.URLField(blank=True, max_length=500)

    public_parents = ("priority_area", "strategy")

    objects = ProgressUpdateQuerySet.as_manager()

    address_fields = ("date", "priority_area", "kind")

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["period_label"], B=["body"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_update")
        ordering = [models.F("date").desc(nulls_last=True), "period_label"]
        constraints = [
            *ContentModel.Meta.constraints,
            # One address each: /pma/<slug>/updates/<yyyy-mm>/ is one update of one month.
            models.UniqueConstraint(
                fields=["priority_area", "strategy", "kind", "date"],
                nulls_distinct=False,
                condition=models.Q(date__isnull=False),
                name="priorities_progressupdate_one_per_month",
                violation_error_message=(
                    "This priority area already has an update of this kind for that month, and "
                    "each month's update has one address. Edit that update instead, or choose "
                    "another month."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(date__isnull=True) | models.Q(date__day=1),
                name="priorities_progressupdate_date_is_a_month",
                violation_error_message="The date is the first day of the update's month.",
            ),
        ]

    def __str__(self):
        return f"{self.priority_area.short_title}: {self.period_label}"

    def clean(self):
        self.date = self.month_of(self.date)

    def save(self, *args, **kwargs):
        self.date = self.month_of(self.date)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.date and self.kind == self.Kind.SUMMARY:
            return reverse(
                "priorities:update",
                kwargs={"slug": self.priority_area.slug, "month": self.date.strftime("%Y-%m")},
            )
        return self.priority_area.get_absolute_url() + "#summary-of-progress"

    @staticmethod
    def month_of(day):
        """The first day of `day`'s month: an update is of a month, whatever day was typed."""
        return day.replace(day=1) if day else day

    @property
    def anchor(self) -> str:
        return f"update-{self.date:%Y-%m}" if self.date else f"update-{self.pk}"

    @property
    def full_text_url(self) -> str:
        """Where a reader finds the whole update (for a stored copy that was cut off): the
        official address of the page it was read from, else its priority area's page."""
        for source in self.sources if isinstance(self.sources, list) else []:
            url = official_url(source.get("url") or "") if isinstance(source, dict) else ""
            if url and source_name(url) == "performance.gov":
                return url
        return self.priority_area.public_url

    def older_summary(self):
        """The published Summary of Progress just before this one, or None."""
        if not self.date:
            return None
        return self.priority_area.summaries().filter(date__lt=self.date).first()

    def newer_summary(self):
        """The published Summary of Progress just after this one, or None."""
        if not self.date:
            return None
        return self.priority_area.summaries().filter(date__gt=self.date).order_by("date").first()


class Highlight(ContentModel):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    date = models.DateField(null=True, blank=True)
    author = models.CharField(max_length=200, blank=True)
    excerpt = MarkdownField(blank=True, help_text="A sentence or two for lists of highlights.")
    body = MarkdownField(blank=True, help_text="Leave blank when the highlight links elsewhere.")
    external_url = models.URLField(
        "original post",
        blank=True,
        max_length=500,
        validators=[validate_official],
        help_text="The post's published address: www.performance.gov, its archive, or the "
        "agency's own site. Never a preview or staging address; where a copy was read from goes "
        "under Source.",
    )
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    priority_areas = models.ManyToManyField(PriorityArea, blank=True, related_name="highlights")

    public_parents = ("priority_areas",)

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["title"], B=["excerpt", "body"], C=["author"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_highlight")
        ordering = [models.F("date").desc(nulls_last=True), "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("priorities:news_post", kwargs={"slug": self.slug})

    @property
    def source_name(self) -> str:
        """The site of the original post, as a reader knows it: "performance.gov"."""
        return source_name(self.external_url)


# performance.gov's hosts: a life experience's old addresses are matched on these.
OLD_SITE_HOSTS = ("www.performance.gov", "performance.gov")


class LifeExperienceQuerySet(PublishedQuerySet):
    def at_old_address(self, path: str):
        """Life experiences that performance.gov published at `path`: their own page, another
        address of it (e.g. /cx/life-experiences/having-a-child-and-early-childhood-for-low-income-families/),
        or the 2022 charter page (/cx/projects/<slug>/). Matched on the stored original URL, the
        charter's URL and the URLs in `sources`."""
        stem = "/" + path.strip("/")
        urls = [
            f"{scheme}://{host}{stem}{slash}"
            for scheme in ("https", "http")
            for host in OLD_SITE_HOSTS
            for slash in ("/", "")
        ]
        match = models.Q(original_url__in=urls) | models.Q(charter_2022__url__in=urls)
        for url in urls:
            match |= models.Q(sources__contains=[{"url": url}])
        return self.filter(match)


class LifeExperience(ContentModel):
    name = models.CharField(max_length=200)
    pma_name = models.CharField(
        max_length=300, blank=True, help_text="The longer name used in the PMA."
    )
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    quote = MarkdownField(blank=True)
    quote_attribution = models.CharField(max_length=200, blank=True)
    where_we_are = MarkdownField(blank=True)
    challenge = MarkdownField(blank=True, help_text='The "How might we…" question.')
    approach = MarkdownField(blank=True)
    insights = MarkdownField(blank=True)
    research_summary = MarkdownField(blank=True)
    research_participants = models.JSONField(
        default=list, blank=True, help_text='A list of {"count", "group"}.'
    )
    personas = models.JSONField(default=list, blank=True, help_text='A list of {"name", "traits"}.')
    charter_2022 = models.JSONField(
        default=dict, blank=True, help_text="The 2022 project charter, as published."
    )
    image = models.JSONField(
        default=dict, blank=True, help_text='{"caption", "credit"} of the lead photo.'
    )
    original_url = models.URLField(blank=True)

    objects = LifeExperienceQuerySet.as_manager()

    address_fields = ("slug",)

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(
        A=["name", "pma_name"],
        B=["quote", "where_we_are", "challenge", "approach", "insights"],
        C=["research_summary"],
    )

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_lifeexp")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("priorities:life_experience", kwargs={"slug": self.slug})

    @property
    def public_url(self) -> str:
        """Its page on performance.gov, at an address the public may use."""
        return official_url(self.original_url)

    def cited_stats(self):
        """The published stats, each with `source_number` (None without a source), and the
        numbered list of their distinct sources."""
        stats = list(LifeExperienceStat.objects.public().filter(life_experience=self))
        sources = []
        for stat in stats:
            source = stat.source.strip()
            if source and source not in sources:
                sources.append(source)
            stat.source_number = sources.index(source) + 1 if source else None
        return stats, sources

    @property
    def charter(self) -> dict:
        """The 2022 project charter as lists for the page, or {} if there was none."""
        charter = self.charter_2022 if isinstance(self.charter_2022, dict) else {}
        if not any(charter.get(key) for key in ("where_are_we_now", "where_we_want_to_be")):
            return {}
        start = [str(item) for item in charter.get("where_we_will_start") or []]
        lead = start.pop(0) if start and start[0].rstrip().endswith(":") else ""
        goals = str(charter.get("where_we_want_to_be") or "").split("•")
        return {
            "where_are_we_now": str(charter.get("where_are_we_now") or ""),
            "where_we_want_to_be": [goal.strip() for goal in goals if goal.strip()],
            "where_we_will_start_lead": lead,
            "where_we_will_start": start,
            "incomplete": charter.get("complete") is False,
            "url": official_url(str(charter.get("url") or "")),
        }


class LifeExperienceStat(ContentModel):
    life_experience = models.ForeignKey(
        LifeExperience, on_delete=models.PROTECT, related_name="stats"
    )
    text = MarkdownField()
    source = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    public_parents = ("life_experience",)

    class Meta(ContentModel.Meta):
        ordering = ["life_experience", "order"]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return self.life_experience.get_absolute_url() + f"#stat-{self.order}"


class LifeExperienceProject(ContentModel):
    life_experience = models.ForeignKey(
        LifeExperience, on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    description = MarkdownField(blank=True)
    as_of = models.CharField(
        max_length=20,
        blank=True,
        help_text="Shown as “As of”: a month like 2023-08, or a year. Left empty, it is set to the "
        "month the project is first published.",
    )
    source = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    public_parents = ("life_experience",)

    as_of_field = "as_of"

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["name"], B=["description"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("priorities_project")
        ordering = ["life_experience", "order"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.life_experience.get_absolute_url() + f"#project-{self.slug}"

    @property
    def anchor(self) -> str:
        return f"project-{self.slug}"

    @property
    def as_of_label(self) -> str:
        return month_label(self.as_of)
