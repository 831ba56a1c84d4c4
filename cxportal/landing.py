"""The CX section's own pages at performance.gov's addresses: the landing page at /cx/ and the page
on Executive Order 14058 at /cx/executive-order/ (ADR 21)."""

from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_safe

from hisps.models import Hisp, QuarterlyReport, ReportingPeriod
from priorities.models import LifeExperience, PriorityArea


def _latest_quarter_facts():
    """The latest published quarter and the reporting status of the currently designated
    providers in it, in the directory's words: three queries, whatever the number of providers."""
    quarter = next(iter(ReportingPeriod.objects.latest_public()), None)
    if quarter is None:
        return None
    designated = Hisp.objects.public().filter(active=True)
    by_rating = dict(
        QuarterlyReport.objects.public()
        .filter(fiscal_year=quarter.year, quarter=quarter.quarter, hisp__in=designated)
        .order_by()
        .values_list("rating")
        .annotate(providers=Count("hisp", distinct=True))
    )
    total = designated.count()
    counts = {rating or QuarterlyReport.NOT_RATED: n for rating, n in by_rating.items()}
    counts[QuarterlyReport.NO_REPORT] = total - sum(counts.values())
    statuses = [
        (label, counts.get(status, 0)) for status, label in QuarterlyReport.STATUS_WORDS.items()
    ]
    return {"quarter": quarter, "designated": total, "statuses": statuses}


@require_safe
def cx_home(request):
    context = {
        "area": PriorityArea.objects.public().filter(slug="cx").first(),
        "life_experiences": list(LifeExperience.objects.public().only("name", "slug")),
        "facts": _latest_quarter_facts(),
    }
    return render(request, "cxportal/cx_home.html", context)


@require_safe
def executive_order(request):
    return render(request, "cxportal/executive_order.html")
