"""What the admin's index tells an editor first: what waits for review, what goes live next, and
where the current quarter's reporting stands.

Each model's rows come from its own model admin's `get_queryset(request)`, so an agency editor
counts and sees only its own agencies' items, exactly as in the lists the panel links to. One query
a model, however many rows: the in-review and scheduled counts ride along as window counts on the
few soonest scheduled rows (or on a few in-review rows, when nothing is scheduled).
"""

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When, Window
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from content.admin import PublishingStateFilter, when
from content.publishing import ContentModel, Status
from hisps.models import ReportingPeriod

# How many scheduled items the panel lists, soonest first; the rest are counted, with links.
SCHEDULED_SHOWN = 10


@dataclass
class ModelCount:
    opts: object
    count: int
    url: str

    @property
    def name(self) -> str:
        """ "1 quarterly report", "3 quarterly reports": the model's name for the count."""
        return self.opts.verbose_name if self.count == 1 else self.opts.verbose_name_plural


@dataclass
class ScheduledItem:
    title: str
    kind: str
    publish_at: object
    when: str
    url: str


def _url(site, opts, view, *args) -> str:
    try:
        return reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args)
    except NoReverseMatch:
        return ""


def _rows(model_admin, request, now) -> list:
    """The model's soonest scheduled rows (up to SCHEDULED_SHOWN), else a few in review; each
    carries the counts of all its in-review and scheduled rows. One query."""
    review = Q(status=Status.IN_REVIEW)
    scheduled = Q(status=Status.PUBLISHED, publish_at__gt=now)
    queryset = model_admin.get_queryset(request).filter(review | scheduled)
    # What the list's rows read for their names (a survey's service and report) comes along.
    related = model_admin.list_select_related
    if related is True:
        queryset = queryset.select_related()
    elif related:
        queryset = queryset.select_related(*related)
    return list(
        queryset.annotate(
            review_count=Window(Count("pk", filter=review)),
            scheduled_count=Window(Count("pk", filter=scheduled)),
            scheduled_first=Case(
                When(scheduled, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        ).order_by("scheduled_first", "publish_at", "pk")[:SCHEDULED_SHOWN]
    )


def _period(request):
    """The latest reporting period, in words, for a user who may see periods; else None."""
    if not request.user.has_perm("hisps.view_reportingperiod"):
        return None
    period = ReportingPeriod.objects.order_by("-fiscal_year", "-quarter").first()
    if period is None:
        return {"text": "No reporting period has been opened yet."}
    text = f"{period.period}: {period.get_status_display()}"
    if period.status == ReportingPeriod.State.PUBLISHED and period.publish_at:
        if period.publish_at > timezone.now():
            text = f"{period.period}: scheduled to go public {when(period.publish_at)}"
        else:
            text = f"{text}, public since {when(period.publish_at)}"
    return {"text": text, "period": period}


def editorial_overview(site, request) -> dict:
    """The context of the index's panel (templates/admin/cxportal/editorial_overview.html)."""
    now = timezone.now()
    in_review, scheduled, scheduled_lists = [], [], []
    scheduled_total = 0
    state = PublishingStateFilter.parameter_name
    for model, model_admin in site._registry.items():
        if not issubclass(model, ContentModel):
            continue
        if not model_admin.has_view_or_change_permission(request):
            continue
        rows = _rows(model_admin, request, now)
        if not rows:
            continue
        opts = model._meta
        changelist = _url(site, opts, "changelist")
        if rows[0].review_count:
            url = f"{changelist}?{state}=in_review"
            in_review.append(ModelCount(opts, rows[0].review_count, url))
        if rows[0].scheduled_count:
            scheduled_total += rows[0].scheduled_count
            url = f"{changelist}?{state}=scheduled"
            scheduled_lists.append(ModelCount(opts, rows[0].scheduled_count, url))
        for row in rows:
            if row.status == Status.PUBLISHED and row.publish_at > now:
                scheduled.append(
                    ScheduledItem(
                        str(row),
                        opts.verbose_name,
                        row.publish_at,
                        when(row.publish_at),
                        _url(site, opts, "change", row.pk),
                    )
                )
    scheduled.sort(key=lambda item: item.publish_at)
    scheduled = scheduled[:SCHEDULED_SHOWN]
    period = _period(request)
    if period and "period" in period and ReportingPeriod in site._registry:
        period["url"] = _url(site, ReportingPeriod._meta, "change", period["period"].pk)
    return {
        "in_review": sorted(in_review, key=lambda entry: entry.opts.verbose_name),
        "scheduled": scheduled,
        "scheduled_more": scheduled_total - len(scheduled),
        "scheduled_lists": sorted(scheduled_lists, key=lambda entry: entry.opts.verbose_name),
        "reporting_period": period,
    }
