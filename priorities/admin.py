from django.contrib import admin

from content.admin import CONTENT_COLUMNS, CONTENT_FILTERS, CompactInline, ContentAdmin
from milestones.admin import MilestoneInline, status_shown
from priorities.admin_quarterly_report import QuarterlyReportAdminMixin
from priorities.models import (
    Goal,
    Highlight,
    Leader,
    LifeExperience,
    LifeExperienceProject,
    LifeExperienceStat,
    PriorityArea,
    ProgressUpdate,
    Strategy,
    SuccessMetric,
)


class LeaderInline(CompactInline):
    model = Leader
    fields = ("order", "name", "title", "agency", "role", "served_from", "served_to", "status")
    autocomplete_fields = ("agency",)
    select_related = ("agency",)


class SuccessMetricInline(CompactInline):
    model = SuccessMetric
    fields = ("order", "key_question", "status")


class ProgressUpdateInline(CompactInline):
    model = ProgressUpdate
    fields = ("period_label", "date", "kind", "strategy", "status")
    autocomplete_fields = ("strategy",)
    select_related = ("priority_area",)


@admin.register(PriorityArea)
class PriorityAreaAdmin(QuarterlyReportAdminMixin, ContentAdmin):
    """A priority area, with its quarterly milestone report screen (priorities.admin_quarterly_report)."""

    list_display = ("title", "short_title", "agenda_start_year", "number", *CONTENT_COLUMNS)
    list_filter = ("agenda", *CONTENT_FILTERS)
    search_fields = ("title", "short_title", "agenda", "goal_statement")
    prepopulated_fields = {"slug": ("short_title",)}
    inlines = (LeaderInline, SuccessMetricInline, ProgressUpdateInline)


@admin.register(SuccessMetric)
class SuccessMetricAdmin(ContentAdmin):
    list_display = ("__str__", "priority_area", "order", *CONTENT_COLUMNS)
    list_select_related = ("priority_area",)
    list_filter = ("priority_area", *CONTENT_FILTERS)
    search_fields = ("key_question", "target", "bottom_line")
    autocomplete_fields = ("priority_area",)


@admin.register(Leader)
class LeaderAdmin(ContentAdmin):
    list_display = (
        "__str__",
        "title",
        "agency",
        "priority_area",
        "role",
        "served_from",
        "served_to",
        *CONTENT_COLUMNS,
    )
    list_select_related = ("agency", "priority_area")
    list_filter = ("priority_area", "role", *CONTENT_FILTERS)
    search_fields = ("name", "title", "agency__name", "agency__abbreviation")
    autocomplete_fields = ("priority_area", "agency")


class GoalInline(CompactInline):
    model = Goal
    fields = ("number", "statement", "as_of", "status")


class StrategyMilestoneInline(MilestoneInline):
    fk_name = "strategy"
    fields = ("title", "goal", "progress", status_shown, "fiscal_year", "quarter", "status")
    autocomplete_fields = ("goal",)


@admin.register(Strategy)
class StrategyAdmin(ContentAdmin):
    list_display = ("__str__", "priority_area", "cap_goal", "as_of", *CONTENT_COLUMNS)
    list_select_related = ("priority_area",)
    list_filter = ("priority_area", "cap_goal", *CONTENT_FILTERS)
    search_fields = ("title", "statement", "priority_area__short_title")
    autocomplete_fields = ("priority_area",)
    inlines = (GoalInline, StrategyMilestoneInline)


@admin.register(Goal)
class GoalAdmin(ContentAdmin):
    list_display = ("__str__", "strategy", "as_of", *CONTENT_COLUMNS)
    list_select_related = ("strategy",)
    list_filter = ("strategy__priority_area", *CONTENT_FILTERS)
    search_fields = ("number", "statement", "strategy__title")
    autocomplete_fields = ("strategy",)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ContentAdmin):
    list_display = ("__str__", "kind", "date", "strategy", *CONTENT_COLUMNS)
    list_select_related = ("priority_area", "strategy")
    list_filter = ("kind", "priority_area", *CONTENT_FILTERS)
    search_fields = ("period_label", "body", "priority_area__short_title")
    autocomplete_fields = ("priority_area", "strategy")
    date_hierarchy = "date"


@admin.register(Highlight)
class HighlightAdmin(ContentAdmin):
    list_display = ("title", "date", "author", *CONTENT_COLUMNS)
    list_filter = ("priority_areas", *CONTENT_FILTERS)
    search_fields = ("title", "author", "excerpt", "body")
    autocomplete_fields = ("priority_areas",)
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "date"


class LifeExperienceStatInline(CompactInline):
    model = LifeExperienceStat
    fields = ("order", "text", "source", "status")


class LifeExperienceProjectInline(CompactInline):
    model = LifeExperienceProject
    fields = ("order", "name", "slug", "as_of", "status")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(LifeExperience)
class LifeExperienceAdmin(ContentAdmin):
    list_display = ("name", "order", *CONTENT_COLUMNS)
    list_filter = CONTENT_FILTERS
    search_fields = ("name", "pma_name", "challenge")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (LifeExperienceStatInline, LifeExperienceProjectInline)


@admin.register(LifeExperienceStat)
class LifeExperienceStatAdmin(ContentAdmin):
    list_display = ("__str__", "life_experience", "order", *CONTENT_COLUMNS)
    list_select_related = ("life_experience",)
    list_filter = ("life_experience", *CONTENT_FILTERS)
    search_fields = ("text", "source")
    autocomplete_fields = ("life_experience",)


class ProjectMilestoneInline(MilestoneInline):
    fk_name = "project"
    fields = ("title", "progress", status_shown, "fiscal_year", "quarter", "status")


@admin.register(LifeExperienceProject)
class LifeExperienceProjectAdmin(ContentAdmin):
    list_display = ("name", "life_experience", "as_of", *CONTENT_COLUMNS)
    list_select_related = ("life_experience",)
    list_filter = ("life_experience", *CONTENT_FILTERS)
    search_fields = ("name", "description", "life_experience__name")
    autocomplete_fields = ("life_experience",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (ProjectMilestoneInline,)
