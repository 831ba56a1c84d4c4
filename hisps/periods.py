"""Publishing a reporting period: a quarter's HISP data goes public as a whole, at one time.

Agency editors enter and upload a quarter's data while its period is open, and submit it for
review. An OMB publisher previews the quarter (the directory as it will look, and who has not
reported), then publishes it, now or at a chosen time: in one transaction every report, survey
and result of the quarter that is in review becomes published at that time, and so does the
period. Drafts stay drafts: nobody asked for them to be published. The period is a parent of
every report of its quarter (see `QuarterlyReport.reporting_period`), so nothing of the quarter is
public before the period's time, and everything is from then on; no job runs at that time.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from content.publishing import Status
from hisps.models import Hisp, QuarterlyReport, ReportingPeriod, ServiceSurvey, SurveyResult


def _quarter_rows(period):
    reports = QuarterlyReport.objects.filter(fiscal_year=period.fiscal_year, quarter=period.quarter)
    surveys = ServiceSurvey.objects.filter(report__in=reports)
    results = SurveyResult.objects.filter(survey__in=surveys)
    return {QuarterlyReport: reports, ServiceSurvey: surveys, SurveyResult: results}


@dataclass
class PeriodSummary:
    """What publishing a period would do: rows by model and status, and who has not reported."""

    period: ReportingPeriod
    to_publish: dict  # verbose name plural -> count of rows in review
    published: dict  # verbose name plural -> count of rows already published
    drafts: dict  # verbose name plural -> count of drafts that stay drafts
    not_reported: list  # active public HISPs with no report in review or published
    reported: list  # HISPs whose report will be public

    @property
    def active(self) -> int:
        """The number of active public providers."""
        return len(self.not_reported) + len(self.reported)


def summarize(period) -> PeriodSummary:
    counts = {"to_publish": {}, "published": {}, "drafts": {}}
    for model, rows in _quarter_rows(period).items():
        name = str(model._meta.verbose_name_plural)
        counts["to_publish"][name] = rows.filter(status=Status.IN_REVIEW).count()
        counts["published"][name] = rows.filter(status=Status.PUBLISHED).count()
        counts["drafts"][name] = rows.filter(status=Status.DRAFT).count()
    going_public = QuarterlyReport.objects.filter(
        hisp=OuterRef("pk"),
        fiscal_year=period.fiscal_year,
        quarter=period.quarter,
        status__in=[Status.IN_REVIEW, Status.PUBLISHED],
    )
    hisps = Hisp.objects.public().filter(active=True).annotate(reports=Exists(going_public))
    hisps = list(hisps.order_by("name"))
    return PeriodSummary(
        period=period,
        not_reported=[hisp for hisp in hisps if not hisp.reports],
        reported=[hisp for hisp in hisps if hisp.reports],
        **counts,
    )


class PeriodError(Exception):
    """Why a period cannot be published now, in words for the publisher."""


def publish_period(period, when=None, user=None) -> dict:
    """Publish `period` and its quarter's rows in review, all at `when` (default now), in one
    transaction. Returns the number of rows published, by model class."""
    when = when or timezone.now()
    with transaction.atomic():
        period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.status == ReportingPeriod.State.OPEN:
            raise PeriodError(
                f"{period} is still open for reporting. Close it first, so that agencies stop "
                "entering data while you check it."
            )
        reason = f"Published with the {period} reporting period"
        done = {}
        for model, rows in _quarter_rows(period).items():
            items = list(rows.filter(status=Status.IN_REVIEW).order_by("pk"))
            for obj in items:
                obj.status = Status.PUBLISHED
                obj.publish_at = when
                obj.published_at = obj.published_at or when
                obj.last_updated = when
            bulk_update_with_history(
                items,
                model,
                ["status", "publish_at", "published_at", "last_updated"],
                batch_size=1000,
                default_user=user,
                default_change_reason=reason,
            )
            done[model] = len(items)
        period.status = ReportingPeriod.State.PUBLISHED
        period.publish_at = when
        period.published_by = user
        period._change_reason = reason
        period.save()
    return done
