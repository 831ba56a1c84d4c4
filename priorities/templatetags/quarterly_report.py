"""The admin index's list of quarterly milestone reports, one per priority area with strategies."""

from django import template
from django.urls import reverse

from content.publishing import Status
from priorities.admin_quarterly_report import may_prepare
from priorities.models import PriorityArea

register = template.Library()


@register.simple_tag(takes_context=True)
def quarterly_reports(context) -> list:
    """[(area, the address of its report)] for a user who may prepare reports, else []."""
    request = context.get("request")
    if request is None or not may_prepare(request):
        return []
    areas = (
        PriorityArea.objects.filter(strategies__isnull=False)
        .exclude(status=Status.ARCHIVED)
        .distinct()
    )
    return [
        (area, reverse("admin:priorities_priorityarea_quarterly_report", args=[area.pk]))
        for area in areas
    ]
