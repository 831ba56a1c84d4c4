from django.contrib import admin

from content.admin import CONTENT_COLUMNS, CONTENT_FILTERS, ContentAdmin
from content.admin_sources import readable_list
from milestones.models import Milestone


@admin.register(Milestone)
class MilestoneAdmin(ContentAdmin):
    list_display = (
        "__str__",
        "strategy",
        "goal",
        "project",
        "progress",
        "timing",
        "due_date",
        *CONTENT_COLUMNS,
    )
    list_select_related = ("strategy", "goal", "project")
    list_filter = (
        "progress",
        "fiscal_year",
        "quarter",
        "strategy__priority_area",
        "project__life_experience",
        *CONTENT_FILTERS,
    )
    search_fields = ("title", "description", "owner")
    autocomplete_fields = ("strategy", "goal", "project")
    # performance.gov's changelog, imported: read-only, as a list of its lines rather than JSON.
    exclude = ("source_changelog",)
    readonly_fields = ("changelog",)
    date_hierarchy = "due_date"

    @admin.display(description="Timing", ordering="fiscal_year")
    def timing(self, milestone):
        return milestone.timing

    @admin.display(description="Changelog from performance.gov")
    def changelog(self, milestone):
        return readable_list(milestone.source_changelog)
