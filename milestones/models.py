"""Milestones of strategies, goals and life-experience projects."""

import datetime
from dataclasses import dataclass

from django.contrib.postgres.aggregates import JSONBAgg
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property

from content.fiscal import (
    QUARTER_VALIDATORS,
    YEAR_VALIDATORS,
    FiscalQuarter,
    fiscal_label,
    quarter_check,
)
from content.publishing import ContentModel, PublishedQuerySet, Status


class Progress(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    DELAYED = "delayed", "Delayed"
    CANCELLED = "cancelled", "Cancelled"


# The fields of a history row that the public changelog reads.
HISTORY_FIELDS = {
    "date": "history_date",
    "type": "history_type",
    "status": "status",
    "publish_at": "publish_at",
    "progress": "progress",
    "title": "title",
    "owner": "owner",
    "fiscal_year": "fiscal_year",
    "quarter": "quarter",
}


@dataclass(frozen=True)
class Change:
    """One line of a milestone's public changelog. `when` is None for performance.gov's own lines."""

    text: str
    when: datetime.date | None = None

    @property
    def quarter(self) -> str:
        """The fiscal quarter of the change, e.g. "FY23 Q3"."""
        if self.when is None:
            return ""
        year = self.when.year + (1 if self.when.month >= 10 else 0)
        return str(FiscalQuarter(year, (self.when.month - 10) % 12 // 3 + 1))


class MilestoneQuerySet(PublishedQuerySet):
    def with_history(self):
        """Each milestone with its history rows, oldest first, in the same query.

        `public_changelog` reads them, so a table of milestones costs one query however many
        milestones or history rows there are.
        """
        rows = (
            Milestone.history.filter(id=models.OuterRef("pk"))
            .order_by()
            .values("id")
            .annotate(
                rows=JSONBAgg(JSONObject(**HISTORY_FIELDS), order_by=("history_date", "history_id"))
            )
            .values("rows")
        )
        return self.annotate(history_rows=models.Subquery(rows))


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

    public_parents = ("strategy", "goal", "project")

    objects = MilestoneQuerySet.as_manager()

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
        if self.project_id:
            return self.project.life_experience.get_absolute_url() + f"#milestone-{self.pk}"
        return self.strategy.get_absolute_url() + f"#milestone-{self.pk}"

    @property
    def timing(self) -> str:
        return fiscal_label(self.fiscal_year, self.quarter)

    @cached_property
    def public_changelog(self) -> list[Change]:
        """What the public saw change, oldest first.

        First the lines performance.gov recorded ("Milestone changed from Pending to Complete"),
        then each change of status, timing, title or owner between two states the public saw.
        A state saved while the milestone was a draft, or scheduled and replaced before its time,
        was never public: it never appears, and changes through it read as one change.
        """
        lines = self.source_changelog if isinstance(self.source_changelog, list) else []
        imported = [
            Change(line.strip()) for line in lines if isinstance(line, str) and line.strip()
        ]
        if hasattr(self, "history_rows"):  # from with_history(); None when there are none
            rows = self.history_rows or []
        else:
            history = self.history.order_by("history_date", "history_id")
            rows = [
                {key: row[field] for key, field in HISTORY_FIELDS.items()}
                for row in history.values(*HISTORY_FIELDS.values())
            ]
        seen = _public_states([_read_row(row) for row in rows])
        changes = []
        for (_, before), (shown, after) in zip(seen, seen[1:], strict=False):
            day = timezone.localtime(shown).date()
            changes.extend(Change(text, day) for text in _differences(before, after))
        return imported + changes


def _read_row(row: dict) -> dict:
    """A history row from the database (datetimes) or from `with_history` (JSON text)."""
    row = dict(row)
    for key in ("date", "publish_at"):
        if isinstance(row[key], str):
            row[key] = parse_datetime(row[key])
    return row


def _public_states(rows: list[dict]) -> list[tuple[datetime.datetime, dict]]:
    """The states the public saw, each with the moment it became visible."""
    states = []
    now = timezone.now()
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        if row["type"] == "-" or row["status"] != Status.PUBLISHED:
            continue
        shown = max(row["date"], row["publish_at"])
        # Seen if its time came before the next save replaced it (or, for the last, by now).
        if (shown < following["date"]) if following else (shown <= now):
            states.append((shown, row))
    return states


def _progress_label(value: str) -> str:
    return Progress(value).label if value in Progress.values else value


def _differences(before: dict, after: dict) -> list[str]:
    """Sentences for the public fields that differ between two public states."""
    texts = []
    if before["progress"] != after["progress"]:
        texts.append(
            f"Status changed from {_progress_label(before['progress'])} "
            f"to {_progress_label(after['progress'])}"
        )
    timing = [fiscal_label(row["fiscal_year"], row["quarter"]) for row in (before, after)]
    if timing[0] != timing[1]:
        texts.append(f"Timing changed from {timing[0] or 'not set'} to {timing[1] or 'not set'}")
    if before["title"] != after["title"]:
        texts.append(f"Milestone renamed from “{before['title']}” to “{after['title']}”")
    if before["owner"] != after["owner"]:
        texts.append(
            f"Owner changed from {before['owner'] or 'not named'} to {after['owner'] or 'not named'}"
        )
    return texts
