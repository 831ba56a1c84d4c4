"""The reporting rules, /cx/reporting/: what each reporting status word means, how the survey
shares are computed, and when a share rests on too few answers to be read on its own. Also the
facts other pages state with those words: the span of quarters the data covers (`data_coverage`)
and how many providers had each status in a quarter (`reporting_summary`).

The status rules are performance.gov's red/yellow/green reporting indicators, in the words of
data/performance_gov/cx_measures.json (`reporting_indicator_colors`; tests/hisps/test_reporting.py
checks they still match). "Not rated" and "No report" are this site's words for a quarter OMB gave
no flag, and for a quarter with no published report at all.
"""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Min
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from content.fiscal import FiscalQuarter
from hisps import charts
from hisps.models import CxMeasure, Hisp, QuarterlyReport


@dataclass(frozen=True)
class StatusMeaning:
    status: str  # QuarterlyReport.reporting_status, or QuarterlyReport.NO_REPORT
    indicator: str  # performance.gov's colour for it, or "" where it had none
    rule: str  # what it means

    @property
    def word(self) -> str:
        return QuarterlyReport.STATUS_WORDS[self.status]


STATUS_KEY = (
    StatusMeaning("in_line", "green", "data submitted, in-line with A-11 Section 280 Guidance"),
    StatusMeaning(
        "partial",
        "yellow",
        "data submitted, but not fully in-line with A-11 Section 280 Guidance",
    ),
    StatusMeaning("not_reported", "red", "no data submitted"),
    StatusMeaning(
        QuarterlyReport.NOT_RATED,
        "",
        "a report for the quarter was published, but OMB gave it no flag",
    ),
    StatusMeaning(
        QuarterlyReport.NO_REPORT,
        "",
        "no report for the quarter has been published for this provider",
    ),
)

# The answer scale, as cx_measures.json gives it (`scale`).
SCALE = (
    "1-5 Likert (1 = Strongly disagree … 5 = Strongly agree); agencies using 10-point scales "
    "provide a conversion to 5 points."
)

# Sample sizes at which the reporting page shows the margin of error of a share.
EXAMPLE_SAMPLES = (3, 8, charts.SMALL_SAMPLE, 100, 1000)


def data_coverage(reports) -> tuple[FiscalQuarter, FiscalQuarter] | None:
    """The first and last quarter of the public `reports` (a QuarterlyReport queryset), in one
    query, or None when there are none: the span the counts of providers speak of."""
    span = reports.aggregate(first=Min(_quarter_number()), last=Max(_quarter_number()))
    if span["first"] is None:
        return None
    return _from_number(span["first"]), _from_number(span["last"])


def _quarter_number():
    """A quarter as one orderable number (FY21 Q1 = 21 × 4 + 0), so Min and Max find the span."""
    return F("fiscal_year") * 4 + F("quarter") - 1


def _from_number(number: int) -> FiscalQuarter:
    return FiscalQuarter(number // 4, number % 4 + 1)


def reporting_summary(quarter, providers: int) -> list[dict] | None:
    """How many of the `providers` current providers had each reporting status in the latest
    published `quarter`, in the key's order, each with the directory filtered by it. One query:
    the providers with no published report for the quarter are the rest."""
    if quarter is None:
        return None
    reports = (
        QuarterlyReport.objects.public()
        .filter(hisp__active=True, fiscal_year=quarter.year, quarter=quarter.quarter)
        .order_by()
        .values_list("rating")
        .annotate(count=Count("pk"))
    )
    counts = {rating or QuarterlyReport.NOT_RATED: count for rating, count in reports}
    counts[QuarterlyReport.NO_REPORT] = providers - sum(counts.values())
    directory = reverse("hisps:list")
    return [
        {
            "key": entry,
            "count": counts.get(entry.status, 0),
            "url": f"{directory}?status={entry.status}",
        }
        for entry in STATUS_KEY
    ]


@require_safe
def reporting_rules(request):
    context = {
        "status_key": STATUS_KEY,
        "measures": CxMeasure.objects.public(),
        "scale": SCALE,
        "small_sample": charts.SMALL_SAMPLE,
        "margins": [(n, charts.margin_of_error(n)) for n in EXAMPLE_SAMPLES],
        "threshold_margin": charts.margin_of_error(charts.SMALL_SAMPLE),
        "providers": Hisp.objects.public().filter(active=True).count(),
        "coverage": data_coverage(QuarterlyReport.objects.public().filter(hisp__active=True)),
    }
    return render(request, "hisps/reporting.html", context)
