"""The CX section's own pages at performance.gov's addresses: the landing page at /cx/ and the page
on Executive Order 14058 at /cx/executive-order/ (ADR 21)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from hisps.models import Hisp, ReportingPeriod
from hisps.reporting import reporting_summary
from priorities.models import LifeExperience, PriorityArea


def _latest_quarter_facts():
    """The latest published quarter and how many of the providers whose data is published here had
    each reporting status in it, in the directory's words (hisps.reporting): three queries,
    whatever the number of providers."""
    quarter = next(iter(ReportingPeriod.objects.latest_public()), None)
    if quarter is None:
        return None
    providers = Hisp.objects.public().filter(active=True).count()
    return {
        "quarter": quarter,
        "providers": providers,
        "statuses": reporting_summary(quarter, providers),
    }


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
