"""A priority area's quarterly milestone report: the quarter's Summary of Progress and the status
changes of its strategies' milestones, prepared together and published together.

The report is not a model of its own. What it holds is stored as the content it becomes: a
`ProgressUpdate` (the Summary of Progress) and one `MilestoneUpdate` per milestone that changes,
each a draft, in review, or published with the same `publish_at`. The report is "pending" while
those rows are not public by their own state (a draft, in review, or scheduled for later), so an
OMB editor can save it and come back, and a publisher sees the same report. Publishing writes
every row in one transaction with one `publish_at`: the public rule (`content.publishing`) then
shows all of it from that moment, and a scheduled report goes live by itself, with no job to run.

`Report` is what a form holds (nothing saved yet); `plan` turns it into the rows to write or
discard, so that the screen can check the user's permissions for each before anything is
written, and a preview can write the same rows inside a savepoint that is rolled back.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django import forms
from django.db.models import Q
from django.utils import timezone

from content.admin import EDITOR_STATUSES
from content.publishing import Status
from milestones.models import Milestone, MilestoneUpdate, Progress
from priorities.models import PriorityArea, ProgressUpdate

REASON = "Quarterly milestone report"


def pending(queryset, now=None):
    """The rows of `queryset` that are not public by their own state: drafts, rows in review, and
    rows published for a time still to come."""
    now = now or timezone.now()
    return queryset.filter(
        Q(status__in=EDITOR_STATUSES) | Q(status=Status.PUBLISHED, publish_at__gt=now)
    )


def milestones_of(area: PriorityArea):
    """The milestones the report may change: those of the area's strategies, not archived, in
    the order of their strategies and of the strategy page, each with the status the public sees."""
    return (
        Milestone.objects.filter(strategy__priority_area=area)
        .exclude(status=Status.ARCHIVED)
        .select_related("strategy", "goal")
        .with_public_progress()
        .order_by("strategy__number", *Milestone._meta.ordering)
    )


@dataclass
class Summary:
    period_label: str
    month: datetime.date
    body: str


@dataclass
class StatusChange:
    milestone_id: int
    progress: str
    note: str = ""


@dataclass
class Report:
    """What the screen's form holds: the summary (or none) and the milestones that change."""

    summary: Summary | None = None
    changes: list[StatusChange] = field(default_factory=list)

    def __bool__(self):
        return self.summary is not None or bool(self.changes)

    def as_json(self) -> dict:
        """For the session, so that the preview's other pages show the same unsaved report."""
        data = asdict(self)
        if self.summary:
            data["summary"]["month"] = self.summary.month.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Report":
        summary = data.get("summary")
        if summary:
            summary = Summary(**{**summary, "month": datetime.date.fromisoformat(summary["month"])})
        return cls(summary, [StatusChange(**change) for change in data.get("changes", [])])


@dataclass
class Saved:
    """What the database holds of an area's pending report."""

    summary: ProgressUpdate | None
    updates: dict[int, MilestoneUpdate]  # by milestone id

    @property
    def objects(self) -> list:
        return [obj for obj in (self.summary, *self.updates.values()) if obj is not None]

    def report(self) -> Report:
        """The saved report as the form shows it."""
        summary = None
        if self.summary is not None:
            summary = Summary(self.summary.period_label, self.summary.date, self.summary.body)
        changes = [
            StatusChange(milestone_id, update.progress, update.note)
            for milestone_id, update in self.updates.items()
        ]
        return Report(summary, changes)


def load(area: PriorityArea, now=None) -> Saved:
    """The area's pending report: its newest pending Summary of Progress, and the latest pending
    status update of each of its milestones."""
    summaries = ProgressUpdate.objects.summaries().filter(priority_area=area)
    summary = pending(summaries, now).order_by("-date", "-pk").first()
    updates = {}
    rows = MilestoneUpdate.objects.filter(milestone__strategy__priority_area=area)
    for update in pending(rows, now).order_by("publish_at", "pk"):
        updates[update.milestone_id] = update
    return Saved(summary, updates)


@dataclass
class Plan:
    """The rows a report writes (each with its status before), and the pending rows it drops."""

    writes: list[tuple[object, str]]
    discards: list


def plan(area: PriorityArea, report: Report, saved: Saved) -> Plan:
    """The rows `report` writes over `saved`, filled in but not saved.

    Raises ValidationError where a row would break a rule of its model, such as a second Summary
    of Progress for one month.
    """
    writes, discards = [], []
    summary = saved.summary
    if report.summary is not None:
        if summary is None:
            summary = ProgressUpdate(priority_area=area, kind=ProgressUpdate.Kind.SUMMARY)
        summary.period_label = report.summary.period_label
        summary.date = ProgressUpdate.month_of(report.summary.month)
        summary.body = report.summary.body
        summary.validate_constraints()
        writes.append((summary, summary.status if summary.pk else Status.DRAFT))
    elif summary is not None:
        discards.append(summary)

    wanted = [change.milestone_id for change in report.changes]
    milestones = Milestone.objects.filter(strategy__priority_area=area).in_bulk(wanted)
    # A milestone gone from the area since the form was filled (a preview kept in the session)
    # is left out rather than failing.
    changes = {
        change.milestone_id: change
        for change in report.changes
        if change.milestone_id in milestones
    }
    for milestone_id, update in saved.updates.items():
        if milestone_id not in changes:
            discards.append(update)
    for milestone_id, change in changes.items():
        update = saved.updates.get(milestone_id)
        if update is None:
            update = MilestoneUpdate(milestone=milestones[milestone_id])
        update.progress, update.note = change.progress, change.note.strip()
        writes.append((update, update.status if update.pk else Status.DRAFT))
    return Plan(writes, discards)


def apply(plan: Plan, *, status: str, user, reason: str, publish_at=None) -> None:
    """Write the plan: every row to `status` (and `publish_at`, when given), with the user and
    the reason in its history; drop the discarded rows. Call it inside a transaction."""
    now = timezone.now()
    for obj in plan.discards:
        if obj.published_at is None or obj.published_at > now:
            obj.delete()  # never public: nothing of it was ever seen
        else:
            obj.status = Status.ARCHIVED  # was public once: kept, as everything published is
            _save(obj, user, f"{reason} (left out of the report)")
    for obj, _ in plan.writes:
        obj.status = status
        if publish_at is not None:
            obj.publish_at = publish_at
        _save(obj, user, reason)


def _save(obj, user, reason):
    obj._change_reason = reason
    obj._history_user = user
    obj.save()


# The forms of the screen


class SummaryForm(forms.Form):
    """The quarter's Summary of Progress. Left blank, the report has none."""

    period_label = forms.CharField(
        label="Period",
        required=False,
        max_length=120,
        help_text="As the page shows it, e.g. December 2026.",
    )
    month = forms.DateField(
        label="Month",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=(
            "Any day of the update's month: the first is kept. It gives the update its address, "
            "so a priority area has one Summary of Progress a month."
        ),
    )
    body = forms.CharField(
        label="Summary text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text="Markdown. Paragraphs are separated by a blank line.",
    )

    def clean(self):
        """A summary is written when its text is: then it needs its period and month too (the
        form offers this month's, so a report without a summary needs only the text left blank)."""
        data = super().clean()
        if data.get("body"):
            for name in ("period_label", "month"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, "Fill this in too, or clear the text to publish none.")
        return data

    def summary(self) -> Summary | None:
        data = self.cleaned_data
        if not data.get("body"):
            return None
        return Summary(data["period_label"], data["month"], data["body"])


class StatusChangeForm(forms.Form):
    """One milestone's row: its new status, if it changes, and a note for the public."""

    progress = forms.ChoiceField(
        label="New status",
        required=False,
        choices=[("", "No change"), *Progress.choices],
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        # No help text: the table's column heading says what the note is, once for every row.
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
    )

    def __init__(self, *args, milestone, **kwargs):
        super().__init__(*args, prefix=f"milestone-{milestone.pk}", **kwargs)
        self.milestone = milestone

    def clean(self):
        data = super().clean()
        if data.get("note", "").strip() and not data.get("progress"):
            self.add_error(
                "progress",
                "Choose a status for this note: the current one to keep it, or the new one.",
            )
        return data

    def change(self) -> StatusChange | None:
        data = self.cleaned_data
        if not data.get("progress"):
            return None
        return StatusChange(self.milestone.pk, data["progress"], data.get("note", "").strip())


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Schedule for",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_publish_at(self):
        moment = self.cleaned_data.get("publish_at")
        if moment is not None and moment <= timezone.now():
            raise forms.ValidationError("Choose a time still to come, or publish now.", code="past")
        return moment
