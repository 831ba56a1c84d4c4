import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from milestones.models import Milestone
from priorities.models import Goal, Highlight, PriorityArea, Strategy


@require_GET
def priority_area_list(request):
    areas = PriorityArea.objects.published()
    return render(request, "priorities/priorityarea_list.html", {"areas": areas})


@require_GET
def priority_area_detail(request, slug):
    area = get_object_or_404(PriorityArea.objects.published(), slug=slug)
    today = timezone.localdate()
    leaders = area.current_leaders(today).select_related("agency")
    updates = area.summaries()
    strategies = (
        Strategy.objects.published().filter(priority_area=area).select_related("priority_area")
    )
    highlights = Highlight.objects.published().filter(priority_areas=area)[:6]
    return render(
        request,
        "priorities/priorityarea_detail.html",
        {
            "area": area,
            "leaders": leaders,
            "updates": updates,
            "strategies": strategies,
            "highlights": highlights,
        },
    )


@require_GET
def update_detail(request, slug, month):
    area = get_object_or_404(PriorityArea.objects.published(), slug=slug)
    try:
        date = datetime.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise Http404("Not a month like 2023-08.") from None
    update = get_object_or_404(area.summaries(), date=date)
    return render(
        request, "priorities/progressupdate_detail.html", {"area": area, "update": update}
    )


@require_GET
def strategy_detail(request, slug, number):
    strategy = get_object_or_404(
        Strategy.objects.published().select_related("priority_area"),
        priority_area__in=PriorityArea.objects.published(),
        priority_area__slug=slug,
        number=number,
    )
    goals = Goal.objects.published().filter(strategy=strategy)
    milestones = Milestone.objects.published().filter(strategy=strategy).select_related("goal")
    return render(
        request,
        "priorities/strategy_detail.html",
        {
            "strategy": strategy,
            "area": strategy.priority_area,
            "goals": goals,
            "milestones": milestones,
        },
    )
