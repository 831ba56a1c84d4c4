from django.db.models import Sum
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from content import stamps
from content.fiscal import FiscalQuarter
from cxportal import legacy, ops
from cxportal.data.datasets import TRUST_BY_QUARTER
from hisps import charts
from hisps.models import (
    Hisp,
    QuarterlyReport,
    ReportingPeriod,
    Service,
    ServiceSurvey,
    SurveyResult,
)
from hisps.reporting import reporting_summary
from priorities.models import Highlight, PriorityArea, ProgressUpdate

# The newest news posts on the home page; the rest are on /news/.
HOME_HIGHLIGHTS = 3


# Every model whose public rows the home page's figures read, parents included.
FIGURES_READ = (Hisp, Service, ServiceSurvey, SurveyResult, QuarterlyReport, ReportingPeriod)


def home_figures() -> dict:
    """The headline figures, the reporting summary and trust across providers: sums and counts
    over every provider's data, so they are kept until the content changes (content.stamps,
    ADR 0028)."""
    hisps = Hisp.objects.public().filter(active=True)
    surveys = ServiceSurvey.objects.public().filter(report__hisp__active=True)
    figures = {
        "hisps": hisps.count(),
        "services": Service.objects.public().filter(hisp__active=True, designated=True).count(),
        "responses": surveys.aggregate(total=Sum("volume_of_respondents"))["total"] or 0,
        # The latest published reporting period (one still open is not "reported").
        "latest_quarter": next(iter(ReportingPeriod.objects.latest_public()), None),
    }
    return {
        "figures": figures,
        "trust": trust_across_providers(),
        "reporting": reporting_summary(figures["latest_quarter"], figures["hisps"]),
    }


@require_safe
def home(request):
    areas = PriorityArea.objects.public()
    latest = ProgressUpdate.objects.public().summaries().dated().first()
    context = {
        "areas": areas,
        "latest": latest,
        **stamps.kept("home-figures", [*FIGURES_READ, *TRUST_BY_QUARTER.models], home_figures),
        "highlights": Highlight.objects.public()[:HOME_HIGHLIGHTS],
    }
    return render(request, "home.html", context)


def trust_across_providers() -> dict:
    """The agenda's success measure, trust after a transaction, for every published quarter: the
    rows of the trust_by_quarter dataset (so the table and its CSV give the same numbers) and
    their chart, on which a quarter without answers is a gap. One query."""
    # A list, not the dataset's streaming rows(): a server-side cursor costs a round trip and a
    # plan made for a first row fast, for the few rows of one per quarter (ADR 0028).
    rows = TRUST_BY_QUARTER.list_rows()
    by_quarter = {FiscalQuarter(row["fiscal_year"], row["quarter"]): row for row in rows}
    quarters = charts.quarter_range(by_quarter)
    values = [by_quarter[q]["pct_agree"] if q in by_quarter else None for q in quarters]
    answers = [by_quarter[q]["total"] if q in by_quarter else None for q in quarters]
    scale = charts.fit(charts.PERCENT, values, [5, 10, 25])
    title = "Trust after a transaction, all High Impact Service Providers"
    chart = charts.line_chart("home-trust", title, quarters, values, scale, answers)
    for row in rows:
        row["small_sample"] = charts.is_small_sample(row["total"])
    return {"rows": rows, "chart": chart, "small_sample": charts.SMALL_SAMPLE}


@require_safe
def static_page(request, template):
    return render(request, template)


def page_not_found(request, exception):
    """404, unless the address belonged to a page that has moved (a changed slug, ADR 18) or is
    one performance.gov served (cxportal.legacy, ADR 21): then a permanent redirect to where it is
    now, so the links agencies and the press made keep working."""
    moved = legacy.redirect_for(request.path) if request.method in ("GET", "HEAD") else None
    if moved is not None:
        query = request.META.get("QUERY_STRING", "")
        path, hash_, fragment = moved.partition("#")
        return HttpResponsePermanentRedirect(
            path + (f"?{query}" if query else "") + hash_ + fragment
        )
    return render(request, "404.html", status=404)


def server_error(request):
    """handler500. A database outage outside a view (in a middleware) ends here too: that is the
    503 page, not a 500 (ADR 0031)."""
    exception = ops.current_exception()
    if ops.is_database_outage(exception):
        ops.log_outage(request, exception)
        return ops.unavailable(request)
    return render(request, "500.html", status=500)


@never_cache
@require_safe
def healthz(request):
    """For the load balancer: 200 when the database answers and every migration is applied,
    else 503 with what is wrong. Never cached (never_cache sends no-store)."""
    problem = ops.database_problem()
    if problem:
        return JsonResponse({"status": "unavailable", "problem": problem}, status=503)
    return JsonResponse({"status": "ok"})
