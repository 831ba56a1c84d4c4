from django import forms
from django.contrib import admin

from content.admin import CONTENT_COLUMNS, CONTENT_FILTERS, CompactInline, ContentAdmin
from content.admin_sources import readable_list
from milestones.models import Milestone, MilestoneUpdate


class MilestoneForm(forms.ModelForm):
    """A milestone's form: its status is set when it is added, and changes afterwards only through
    status updates, so that every change is dated with the day it is published and can be
    scheduled (an edit of the milestone itself would be public at once)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "progress" in self.fields:
            self.fields["progress"].disabled = True


@admin.display(description="status shown")
def status_shown(milestone):
    """The status the public sees: the latest published status update's, else the milestone's own."""
    return milestone.get_public_progress_display()


class MilestoneInline(CompactInline):
    """A parent's table of milestones (a strategy's, a project's), with the status shown."""

    model = Milestone
    form = MilestoneForm
    readonly_fields = (status_shown,)

    def get_queryset(self, request):
        return super().get_queryset(request).with_public_progress()


class MilestoneUpdateInline(CompactInline):
    model = MilestoneUpdate
    fields = ("progress", "note", "publish_at", "status")
    verbose_name_plural = "status updates"


@admin.register(Milestone)
class MilestoneAdmin(ContentAdmin):
    form = MilestoneForm
    list_display = (
        "__str__",
        "strategy",
        "goal",
        "project",
        status_shown,
        "timing",
        "due_date",
        *CONTENT_COLUMNS,
    )
    list_select_related = ("strategy", "goal", "project")
    list_filter = (
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
    readonly_fields = (status_shown, "changelog")
    date_hierarchy = "due_date"
    inlines = (MilestoneUpdateInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).with_public_progress()

    @admin.display(description="Timing", ordering="fiscal_year")
    def timing(self, milestone):
        return milestone.timing

    @admin.display(description="Changelog from performance.gov")
    def changelog(self, milestone):
        return readable_list(milestone.source_changelog)


@admin.register(MilestoneUpdate)
class MilestoneUpdateAdmin(ContentAdmin):
    list_display = ("__str__", "progress", "publish_at", *CONTENT_COLUMNS)
    list_select_related = ("milestone",)
    list_filter = ("progress", "milestone__strategy__priority_area", *CONTENT_FILTERS)
    search_fields = ("milestone__title", "note")
    autocomplete_fields = ("milestone",)
    date_hierarchy = "publish_at"
