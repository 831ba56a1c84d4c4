from django.db import connection
from django.db.models import Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hisps.models import Hisp, QuarterlyReport, Service, ServiceSurvey
from priorities.models import PriorityArea, ProgressUpdate


@require_GET
def home(request):
    areas = PriorityArea.objects.published()
    latest = (
        ProgressUpdate.objects.published()
        .filter(kind=ProgressUpdate.Kind.SUMMARY, priority_area__in=areas, date__isnull=False)
        .select_related("priority_area")
        .first()
    )
    hisps = Hisp.objects.published().filter(active=True)
    reports = QuarterlyReport.objects.published().filter(hisp__in=hisps)
    surveys = ServiceSurvey.objects.published().filter(report__in=reports)
    figures = {
        "hisps": hisps.count(),
        "services": Service.objects.published().filter(hisp__in=hisps, designated=True).count(),
        "responses": surveys.aggregate(total=Sum("volume_of_respondents"))["total"] or 0,
        "latest_quarter": reports.filter(surveys__in=surveys)
        .order_by("-fiscal_year", "-quarter")
        .first(),
    }
    return render(request, "home.html", {"areas": areas, "latest": latest, "figures": figures})


@require_GET
def static_page(request, template):
    return render(request, template)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


@never_cache
@require_GET
def healthz(request):
    """Liveness and database check for the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return JsonResponse({"status": "ok"})
