"""What every content admin shares: the publishing and source fieldsets, filters and columns.

The app admins (`hisps.admin`, `priorities.admin`, `milestones.admin`) build on `ContentAdmin` and
`CompactInline`. The admin is the CMS, so columns and headings use the words editors use.
"""

from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

PUBLISHING_FIELDS = ("status", "publish_at", "published_at", "updated_at", "external_id")
PUBLISHING_READONLY = ("published_at", "updated_at", "external_id")
SOURCE_FIELDS = ("sources", "secondary_source", "incomplete", "source_note")

# Spread these into a model admin's own `list_filter` and `list_display`.
CONTENT_FILTERS = ("status", "secondary_source", "incomplete")
CONTENT_COLUMNS = ("status", "secondary_source", "incomplete")

# Federal sites are served over HTTPS: a web address typed without a scheme gets https://.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
# Long text in a table row: a short box that the editor can enlarge.
SHORT_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class ContentAdmin(SimpleHistoryAdmin):
    """Admin for a `ContentModel`: the model's own fields first, then Publishing, then Source."""

    history_list_display = ["status"]
    formfield_overrides = URL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *PUBLISHING_READONLY)

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return super().get_fieldsets(request, obj)
        shared = {*PUBLISHING_FIELDS, *SOURCE_FIELDS}
        own = [name for name in self.get_fields(request, obj) if name not in shared]
        return [
            (None, {"fields": own}),
            ("Publishing", {"fields": PUBLISHING_FIELDS}),
            (
                "Source",
                {
                    "fields": SOURCE_FIELDS,
                    "classes": ["collapse"],
                    "description": "Where imported content came from, and how far to trust it.",
                },
            ),
        ]


class CompactInline(admin.TabularInline):
    """A child table on its parent's page: one line a row, a link to the full form, no blank rows.

    Set `select_related` to the foreign keys the child's `__str__` reads (shown with the change link).
    """

    extra = 0
    show_change_link = True
    select_related = ()
    formfield_overrides = {**URL_FIELDS, **SHORT_TEXTAREA}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset
