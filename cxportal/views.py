from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    return render(request, "home.html", {"areas": areas, "latest": latest})


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
