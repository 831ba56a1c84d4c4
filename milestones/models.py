"""Milestones of strategies, goals and life-experience projects."""

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.aggregates import JSONBAgg
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import cached_property

from content.fiscal import QUARTER_VALIDATORS, YEAR_VALIDATORS, fiscal_label, quarter_check
from content.markdown import MarkdownField
from content.publishing import ContentModel, PublishedQuerySet, Status, public_q
from content.searching import search_indexes, searchable


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


# The fields of a public status update that the public changelog reads.
UPDATE_FIELDS = {"id": "pk", "progress": "progress", "note": "note", "publish_at": "publish_at"}

# How performance.gov's own changelog lines may be dated in milestones.json: a month or a day.
_AS_OF = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def as_of_date(text) -> datetime.date | None:
    """The date of "2022-11" (its first day) or "2022-11-15"; None for anything else."""
    if not isinstance(text, str) or not _AS_OF.match(text):
        return None
    try:
        return datetime.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return None


@dataclass(frozen=True)
class Change:
    """One line of a milestone's public changelog.

    A change made on this site has `when`, the day (in the site's timezone) it became public:
    the day it was published, not the day it was typed, nor its quarter. performance.gov's own
    lines (`imported`) have no such day; `as_of` is the date of the source that listed them, where
    the data gives one, and they say so rather than borrow another date.
    """

    text: str
    when: datetime.date | None = None
    note: str = ""
    imported: bool = False
    as_of: str = ""  # "2022-11" or "2022-11-15", as the data gives it

    @property
    def as_of_label(self) -> str:
        """ "November 2022" for "2022-11", "November 15, 2022" for a whole date."""
        day = as_of_date(self.as_of)
        if day is None:
            return ""
        return date_format(day, "F Y" if len(self.as_of) == 7 else "F j, Y")


def imported_change(line) -> Change | None:
    """A line of performance.gov's changelog as stored: its text alone, or {"text", "as_of"}."""
    if isinstance(line, str):
        return Change(line.strip(), imported=True) if line.strip() else None
    if isinstance(line, dict) and isinstance(line.get("text"), str) and line["text"].strip():
        as_of = line.get("as_of") if as_of_date(line.get("as_of")) else ""
        return Change(line["text"].strip(), imported=True, as_of=as_of)
    return None


def public_updates(milestone=None):
    """The public status updates (of one milestone, or of the outer query's milestone)."""
    milestone = models.OuterRef("pk") if milestone is None else milestone
    return MilestoneUpdate._base_manager.filter(public_q(MilestoneUpdate), milestone=milestone)


def public_progress():
    """The status the public sees, as an expression on milestones: the progress of the latest
    public status update, or the milestone's own (as imported or first set) when it has none."""
    latest = public_updates().order_by("-publish_at", "-pk").values("progress")[:1]
    return Coalesce(models.Subquery(latest), models.F("progress"))


class MilestoneQuerySet(PublishedQuerySet):
    def with_history(self):
        """Each milestone with what its public status and changelog read, in the same query: its
        history rows, its public status updates (each oldest first), and its public status.

        A table of milestones so costs one query however many milestones, history rows or
        updates there are.
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
        updates = (
            public_updates()
            .order_by()
            .values("milestone")
            .annotate(rows=JSONBAgg(JSONObject(**UPDATE_FIELDS), order_by=("publish_at", "pk")))
            .values("rows")
        )
        return self.annotate(
            history_rows=models.Subquery(rows),
            update_rows=models.Subquery(updates),
            progress_shown=public_progress(),
        )

    def with_public_progress(self):
        """Each milestone with `progress_shown`, the status the public sees."""
        return self.annotate(progress_shown=public_progress())


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
        "milestone status",
        max_length=20,
        choices=Progress.choices,
        default=Progress.PLANNED,
        help_text=(
            "The status it starts with (or was imported with). Later changes are status updates, "
            "each dated with the day it is published: add one below, or in a priority area's "
            "quarterly milestone report."
        ),
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

    # Site search reads this (content.searching; the related rows' text: cxportal.discovery.search).
    search_vector = searchable(A=["title"], B=["description"], C=["owner"])

    class Meta(ContentModel.Meta):
        indexes = search_indexes("milestones_milestone")
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

    @property
    def public_progress(self) -> str:
        """The status the public sees: the latest public status update's, else the milestone's
        own. Read from `with_history()` or `with_public_progress()` when they annotated it."""
        if hasattr(self, "progress_shown"):
            return self.progress_shown
        if self.pk is None:
            return self.progress
        latest = public_updates(self).order_by("-publish_at", "-pk")
        return latest.values_list("progress", flat=True).first() or self.progress

    def get_public_progress_display(self) -> str:
        return _progress_label(self.public_progress)

    @cached_property
    def public_changelog(self) -> list[Change]:
        """What the public saw change, oldest first.

        First the lines performance.gov recorded ("Milestone changed from Pending to Complete"),
        then, in the order they became public, each public status update and each change of
        status, timing, title or owner between two states of the milestone the public saw. Each
        is dated by the day it became public. A state saved while the milestone was a draft, or
        scheduled and replaced before its time, was never public: it never appears, and changes
        through it read as one change. Once a status update is public, the public status is the
        updates' (`public_progress`), so a later change of the milestone's own status (a
        re-import) is not listed as a change the public saw.
        """
        lines = self.source_changelog if isinstance(self.source_changelog, list) else []
        imported = [change for change in map(imported_change, lines) if change]
        if hasattr(self, "history_rows"):  # from with_history(); None when there are none
            rows = self.history_rows or []
            updates = self.update_rows or []
        else:
            history = self.history.order_by("history_date", "history_id")
            rows = [
                {key: row[field] for key, field in HISTORY_FIELDS.items()}
                for row in history.values(*HISTORY_FIELDS.values())
            ]
            updates = list(public_updates(self).order_by("publish_at", "pk").values(*UPDATE_FIELDS))
        seen = _public_states([_read_row(row) for row in rows])
        updates = [_read_row(row) for row in updates]
        first_update = updates[0]["publish_at"] if updates else None

        events = []  # (the moment it became public, the change)
        for (_, before), (shown, after) in zip(seen, seen[1:], strict=False):
            day = timezone.localtime(shown).date()
            own_status_shown = first_update is None or shown < first_update
            for text in _differences(before, after, progress=own_status_shown):
                events.append((shown, Change(text, day)))
        before = None
        for update in updates:
            moment, after = update["publish_at"], update["progress"]
            if before is None:  # the milestone's own status, as the public saw it then
                earlier = [row for shown, row in seen if shown <= moment] or [
                    r for _, r in seen[:1]
                ]
                before = earlier[-1]["progress"] if earlier else self.progress
            if before == after:
                text = f"Status remains {_progress_label(after)}"
            else:
                text = f"Status changed from {_progress_label(before)} to {_progress_label(after)}"
            note = (update["note"] or "").strip()
            events.append((moment, Change(text, timezone.localtime(moment).date(), note)))
            before = after
        events.sort(key=lambda event: event[0])
        return imported + [change for _, change in events]


class MilestoneUpdate(ContentModel):
    """A change of a milestone's status, with an optional note, public from its `publish_at`.

    A milestone's status changes through these, not by editing the milestone: so a change can be
    prepared as a draft, reviewed, and published or scheduled together with the rest of a
    quarterly report, and until its time the public still sees the status before it. The public
    changelog dates it by the day it became public, which is its `publish_at`: publishing an
    update that was saved earlier moves that to the moment it is published (see `save`).
    """

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="updates")
    progress = models.CharField("new status", max_length=20, choices=Progress.choices)
    note = MarkdownField(blank=True, help_text="Optional. Shown to the public with the change.")

    public_parents = ("milestone",)

    class Meta(ContentModel.Meta):
        verbose_name = "milestone status update"
        ordering = ["milestone", "publish_at", "pk"]
        constraints = [
            *ContentModel.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(progress__in=Progress.values),
                name="milestones_milestoneupdate_progress_valid",
            ),
        ]

    def __str__(self):
        return f"{self.milestone}: {self.get_progress_display()}"

    def get_absolute_url(self):
        return self.milestone.get_absolute_url()

    @classmethod
    def from_db(cls, db, field_names, values):
        update = super().from_db(db, field_names, values)
        update._as_loaded = (update.__dict__.get("status"), update.__dict__.get("publish_at"))
        return update

    def save(self, *args, **kwargs):
        """Publishing a draft that kept the publish time it was saved with (by the admin's
        "publish" action, or a form whose publish time was left alone) makes it public from now,
        and its `publish_at` says so: the changelog then dates it by the day it was published,
        not the day the draft was written. A publish time chosen on purpose is kept."""
        status, publish_at = getattr(self, "_as_loaded", (None, None))
        now = timezone.now()
        if (
            self.status == Status.PUBLISHED
            and status is not None
            and status != Status.PUBLISHED
            and self.publish_at is not None
            and publish_at is not None
            and self.publish_at.replace(microsecond=0) == publish_at.replace(microsecond=0)
            and self.publish_at < now
        ):
            self.publish_at = now
        super().save(*args, **kwargs)
        self._as_loaded = (self.status, self.publish_at)


def _read_row(row: dict) -> dict:
    """A history or update row from the database (datetimes) or from `with_history` (JSON text)."""
    row = dict(row)
    for key in ("date", "publish_at"):
        if isinstance(row.get(key), str):
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


def _differences(before: dict, after: dict, progress: bool = True) -> list[str]:
    """Sentences for the public fields that differ between two public states (the status only
    while it is the one the public sees, `progress`)."""
    texts = []
    if progress and before["progress"] != after["progress"]:
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
