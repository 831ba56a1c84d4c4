import datetime
import re

from django import forms
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from content.filters import FilterForm, wants_partial
from content.preview import shows_archived
from content.publishing import last_updated
from hisps.models import Document
from milestones.models import Milestone, MilestoneUpdate, Progress
from priorities.links import file_format
from priorities.models import (
    Goal,
    Highlight,
    LifeExperience,
    LifeExperienceProject,
    PriorityArea,
    ProgressUpdate,
    Strategy,
    SuccessMetric,
)

MONTH = re.compile(r"\d{4}-\d{2}")
# Highlights on a priority area's page; the rest are on /news/.
AREA_HIGHLIGHTS = 6
NEWS_PAGE_SIZE = 10


@require_safe
def priority_area_list(request):
    areas = list(PriorityArea.objects.public())
    # The newest agenda is the current one while its term lasts.
    current = areas[0].agenda if areas and not areas[0].past_agenda else ""
    return render(
        request,
        "priorities/priorityarea_list.html",
        {"areas": areas, "current_agenda": current, "last_updated": last_updated(*areas)},
    )


@require_safe
@shows_archived(PriorityArea, lambda slug: {"slug": slug})
def priority_area_detail(request, slug):
    area = get_object_or_404(PriorityArea.objects.public(), slug=slug)
    today = timezone.localdate()
    leaders = list(area.current_leaders(today).select_related("agency"))
    updates = list(area.summaries())
    strategies = list(
        Strategy.objects.public().filter(priority_area=area).select_related("priority_area")
    )
    action_plans = list(area.action_plans())
    metrics = list(SuccessMetric.objects.public().filter(priority_area=area))
    highlights = Highlight.objects.public().filter(priority_areas=area)[:AREA_HIGHLIGHTS]
    return render(
        request,
        "priorities/priorityarea_detail.html",
        {
            "area": area,
            "leaders": leaders,
            "updates": updates,
            "action_plans": action_plans,
            "strategies": strategies,
            "metrics": metrics,
            "highlights": highlights,
            "last_updated": last_updated(
                area, *leaders, *updates[:1], *action_plans[:1], *strategies, *metrics
            ),
        },
    )


@require_safe
def update_list(request, slug):
    area = get_object_or_404(PriorityArea.objects.public(), slug=slug)
    updates = list(area.summaries())
    action_plans = list(area.action_plans())
    return render(
        request,
        "priorities/progressupdate_list.html",
        {
            "area": area,
            "updates": updates,
            "action_plans": action_plans,
            "last_updated": last_updated(area, *updates, *action_plans[:1]),
        },
    )


def _update_lookup(slug, month):
    if not MONTH.fullmatch(month):
        raise ValueError(month)
    return {"priority_area__slug": slug, "date": datetime.date.fromisoformat(f"{month}-01")}


@require_safe
@shows_archived(ProgressUpdate, _update_lookup)
def update_detail(request, slug, month):
    area = get_object_or_404(PriorityArea.objects.public(), slug=slug)
    try:
        if not MONTH.fullmatch(month):
            raise ValueError(month)
        date = datetime.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise Http404("Not a month like 2023-08.") from None
    update = get_object_or_404(area.summaries(), date=date)
    return render(
        request,
        "priorities/progressupdate_detail.html",
        {
            "area": area,
            "update": update,
            "older": update.older_summary(),
            "newer": update.newer_summary(),
        },
    )


class MilestoneFilterForm(FilterForm):
    """The milestone table's filters (see `content.filters` for the contract every filtered page
    keeps)."""

    narrowing = ("status", "goal")

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Progress.choices],
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    goal = forms.ChoiceField(
        label="Goal", required=False, widget=forms.Select(attrs={"class": "usa-select"})
    )

    def __init__(self, data, goals):
        super().__init__(data)
        self.fields["goal"].choices = [
            ("", "Any goal"),
            *[(goal.number, f"Goal {goal.number}") for goal in goals],
        ]

    def apply(self, milestones):
        """Filter by the fields that are valid; an invalid field leaves its filter off."""
        if status := self.values.get("status"):
            # The status the public sees (`with_history` annotates it), not the one first set.
            milestones = milestones.filter(progress_shown=status)
        if goal := self.values.get("goal"):
            milestones = milestones.filter(goal__number=goal)
        return milestones


@require_safe
@vary_on_headers("HX-Request")
@shows_archived(Strategy, lambda slug, number: {"priority_area__slug": slug, "number": number})
def strategy_detail(request, slug, number):
    public_milestones = Milestone.objects.public().filter(strategy=OuterRef("pk"))
    strategy = get_object_or_404(
        Strategy.objects.public()
        .select_related("priority_area")
        .annotate(
            milestones_updated=Subquery(
                public_milestones.filter(last_updated__isnull=False)
                .order_by("-last_updated")
                .values("last_updated")[:1]
            ),
            # A status change is public from its own time: that is when the page changed.
            changes_updated=Subquery(
                MilestoneUpdate.objects.public()
                .filter(milestone__strategy=OuterRef("pk"), last_updated__isnull=False)
                .order_by("-last_updated")
                .values("last_updated")[:1]
            ),
        ),
        priority_area__slug=slug,
        number=number,
    )
    goals = list(Goal.objects.public().filter(strategy=strategy))
    form = MilestoneFilterForm(request.GET, goals)
    milestones = form.apply(
        Milestone.objects.public().filter(strategy=strategy).select_related("goal").with_history()
    )
    context = {"strategy": strategy, "area": strategy.priority_area, "goals": goals}
    context.update(form=form, milestones=milestones)
    template = "priorities/strategy_detail.html"
    if wants_partial(request):
        return render(request, template + "#results", {**context, "partial": True})
    updates = list(strategy.public_status_updates())
    context.update(
        status_updates=updates,
        last_updated=last_updated(
            strategy, strategy.milestones_updated, strategy.changes_updated, *goals, *updates
        ),
    )
    return render(request, template, context)


@require_safe
def life_experience_list(request):
    experiences = list(LifeExperience.objects.public())
    return render(
        request,
        "priorities/lifeexperience_list.html",
        {"experiences": experiences, "last_updated": last_updated(*experiences)},
    )


@require_safe
@shows_archived(LifeExperience, lambda slug: {"slug": slug})
def life_experience_detail(request, slug):
    experience = LifeExperience.objects.public().filter(slug=slug).first()
    if experience is None:
        return life_experience_moved(request)
    stats, sources = experience.cited_stats()
    projects = list(
        LifeExperienceProject.objects.public()
        .filter(life_experience=experience)
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.public().with_history(),
                to_attr="public_milestones",
            )
        )
    )
    return render(
        request,
        "priorities/lifeexperience_detail.html",
        {
            "experience": experience,
            "stats": stats,
            "sources": sources,
            "projects": projects,
            "last_updated": last_updated(experience, *stats, *projects),
        },
    )


@require_safe
def life_experience_moved(request, slug=None, anchor=""):
    """performance.gov's other addresses of a life experience, and its 2022 charter page
    (to the charter's section), move to its page."""
    experience = LifeExperience.objects.public().at_old_address(request.path).first()
    if experience is None:
        raise Http404("No life experience was published at this address.")
    fragment = f"#{anchor}" if anchor and experience.charter else ""
    return redirect(experience.get_absolute_url() + fragment, permanent=True)


@require_safe
def news_list(request):
    """Every public news post and highlight, newest first (undated ones last), ten a page."""
    page = Paginator(Highlight.objects.public(), NEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "priorities/highlight_list.html",
        {"page": page, "last_updated": last_updated(*page.object_list)},
    )


@require_safe
@shows_archived(Highlight, lambda slug: {"slug": slug})
def news_post(request, slug):
    post = get_object_or_404(Highlight.objects.public(), slug=slug)
    return render(request, "priorities/highlight_detail.html", {"post": post})


@require_safe
def resources(request):
    """The A-11 Section 280 toolkit: the guidance and templates agencies use for CX work."""
    toolkit = list(
        Document.objects.public()
        .filter(kind=Document.Kind.A11_TOOLKIT)
        .order_by(F("year").desc(nulls_last=True), "title")
    )
    for document in toolkit:
        document.format, document.use = file_format(document.url)
    return render(
        request,
        "priorities/resources.html",
        {"toolkit": toolkit, "last_updated": last_updated(*toolkit)},
    )
