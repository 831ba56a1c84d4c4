"""Milestones of strategies, goals and life-experience projects."""

from django.core.exceptions import ValidationError
from django.db import models

from cxportal.fiscal import QUARTER_VALIDATORS, YEAR_VALIDATORS, fiscal_label, quarter_check
from cxportal.publishing import ContentModel


class Progress(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    DELAYED = "delayed", "Delayed"
    CANCELLED = "cancelled", "Cancelled"


class Milestone(ContentModel):
    """A milestone belongs to a strategy (and maybe one of its goals), or to a life-experience project.

    `progress` is the milestone's own status (planned, complete…); `status` is the publishing status
    that every public model has.
    """

    strategy = models.ForeignKey(
        "priorities.Strategy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
    )
    goal = models.ForeignKey(
        "priorities.Goal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        help_text="A goal of the strategy, if the milestone serves one.",
    )
    project = models.ForeignKey(
        "priorities.LifeExperienceProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
    )
    title = models.TextField()
    description = models.TextField(blank=True, help_text="Markdown.")
    progress = models.CharField(
        "milestone status", max_length=20, choices=Progress.choices, default=Progress.PLANNED
    )
    fiscal_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text="Timing: the fiscal year, e.g. 2023.",
    )
    quarter = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=QUARTER_VALIDATORS,
        help_text="Timing: 1 = Oct–Dec … 4 = Jul–Sep.",
    )
    due_date = models.DateField(null=True, blank=True)
    owner = models.CharField(
        max_length=300, blank=True, help_text="Who is responsible, in free text."
    )
    order = models.PositiveSmallIntegerField(default=0)
    source_changelog = models.JSONField(
        default=list, blank=True, help_text="Changes recorded by performance.gov before this site."
    )

    class Meta(ContentModel.Meta):
        ordering = ["fiscal_year", "quarter", "order", "pk"]
        constraints = [
            *ContentModel.Meta.constraints,
            quarter_check(nullable=True),
            models.CheckConstraint(
                condition=(models.Q(strategy__isnull=False) & models.Q(project__isnull=True))
                | (
                    models.Q(strategy__isnull=True)
                    & models.Q(goal__isnull=True)
                    & models.Q(project__isnull=False)
                ),
                name="milestones_milestone_one_parent",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__in=Progress.values),
                name="milestones_milestone_progress_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(fiscal_year__isnull=True, quarter__isnull=True)
                | models.Q(fiscal_year__isnull=False, quarter__isnull=False),
                name="milestones_milestone_timing_whole",
            ),
        ]

    def __str__(self):
        return self.title[:100]

    def clean(self):
        # An admin inline gives an unsaved parent object, not yet an id: look at both.
        strategy = self.strategy if self.strategy_id is None else self.strategy_id
        project = self.project if self.project_id is None else self.project_id
        if strategy is None and project is None:
            raise ValidationError(
                "Choose the strategy or the life-experience project this milestone belongs to."
            )
        if strategy is not None and project is not None:
            raise ValidationError(
                "A milestone belongs to a strategy or to a life-experience project, not both."
            )
        if self.goal_id and self.strategy_id and self.goal.strategy_id != self.strategy_id:
            raise ValidationError({"goal": "The goal must belong to the milestone's strategy."})

    def get_absolute_url(self):
        parent = self.strategy or self.project
        return parent.get_absolute_url() + f"#milestone-{self.pk}"

    @property
    def timing(self) -> str:
        return fiscal_label(self.fiscal_year, self.quarter)
