"""What search, feeds and the sitemap may show: published objects whose parents are public too.

Each function starts from `Model.objects.published()` and adds the parents' rule, so that a
milestone of a draft strategy, or a service of a scheduled HISP, is never found. Each returns
one SQL query (the parents are subqueries).
"""

from django.db.models import Exists, OuterRef, Q

from hisps.models import Agency, Hisp, Service
from milestones.models import Milestone
from priorities.models import (
    Goal,
    Highlight,
    LifeExperience,
    LifeExperienceProject,
    PriorityArea,
    ProgressUpdate,
    Strategy,
)


def priority_areas():
    return PriorityArea.objects.published()


def summaries():
    """Summary of Progress entries of public priority areas (the ones the area page shows)."""
    return (
        ProgressUpdate.objects.published()
        .filter(
            kind=ProgressUpdate.Kind.SUMMARY,
            strategy__isnull=True,
            priority_area__in=priority_areas(),
        )
        .select_related("priority_area")
    )


def dated_summaries():
    """Summaries with a permalink (/pma/<slug>/updates/<yyyy-mm>/)."""
    return summaries().filter(date__isnull=False)


def strategies():
    return (
        Strategy.objects.published()
        .filter(priority_area__in=priority_areas())
        .select_related("priority_area")
    )


def goals():
    return (
        Goal.objects.published()
        .filter(strategy__in=strategies())
        .select_related("strategy__priority_area")
    )


def life_experiences():
    return LifeExperience.objects.published()


def projects():
    return LifeExperienceProject.objects.published().filter(life_experience__in=life_experiences())


def milestones():
    """Milestones of a public strategy (and public goal, if any), or of a public project."""
    of_strategy = Q(strategy__in=strategies()) & (Q(goal__isnull=True) | Q(goal__in=goals()))
    return (
        Milestone.objects.published()
        .filter(of_strategy | Q(project__in=projects()))
        .select_related("strategy__priority_area", "project__life_experience")
    )


def hisps():
    """Published HISPs. Their department and bureau are labels, not parents: the HISP page answers
    (agencies link to it) whatever state an agency record is in, so every surface lists it too, and
    shows the agency's name only where the agency is public."""
    return Hisp.objects.published().select_related("agency")


def services():
    return Service.objects.published().filter(hisp__in=hisps()).select_related("hisp")


def agencies():
    """Departments with at least one public HISP: the ones with an agency page worth listing."""
    return Agency.objects.published().filter(Exists(hisps().filter(agency=OuterRef("pk"))))


def highlights():
    """Highlights of at least one public priority area."""
    links = Highlight.priority_areas.through.objects.filter(
        highlight=OuterRef("pk"), priorityarea__in=priority_areas()
    )
    return Highlight.objects.published().filter(Exists(links))
