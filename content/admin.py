"""What every content admin shares: the publishing workflow, the publishing and source fieldsets,
filters and columns.

The app admins (`hisps.admin`, `priorities.admin`, `milestones.admin`) build on `ContentAdmin` and
`CompactInline`. The admin is the CMS, so columns and headings use the words editors use.

The workflow: draft → in review → published; unpublishing goes back to draft; archived ends it.
Anyone who may change an object may move it between draft and in review. Publishing, unpublishing,
archiving, and any change to a published or archived object's status, need the model's "publish"
permission (OMB publishers). It is checked on the server when the form or an action is posted, not
by hiding buttons. An object that was ever published is never deleted, only archived, so its address
keeps answering. Every change is recorded with who made it and when (django-simple-history).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

from content.admin_inlines import labelled_rows
from content.admin_markdown import MarkdownPreviewMixin
from content.admin_preview import PreviewAdminMixin
from content.admin_sources import ProvenanceAdminMixin
from content.admin_widgets import ZONED_DATETIMES
from content.history import HistoryMixin
from content.publishing import Status

PUBLISHING_FIELDS = ("status", "publish_at", "published_at", "updated_at", "external_id")
PUBLISHING_READONLY = ("published_at", "updated_at", "external_id")
# `sources` is shown as a read-only list, `provenance` (content.admin_sources).
SOURCE_FIELDS = ("provenance", "secondary_source", "incomplete", "source_note")

# The statuses anyone who may change an object can set; the others need the publish permission.
EDITOR_STATUSES = (Status.DRAFT, Status.IN_REVIEW)


def can_publish(request, model) -> bool:
    """Whether the user may publish, unpublish and archive objects of `model`."""
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def may_move(request, model, before: str, after: str) -> bool:
    """Whether the user may change an object's status from `before` to `after`."""
    if before == after:
        return True
    if before in EDITOR_STATUSES and after in EDITOR_STATUSES:
        return True
    return can_publish(request, model)


def when(moment) -> str:
    """A moment as an editor reads it, in the site's timezone, with the zone: "Dec. 5, 2026, 9:00 a.m. EST"."""
    local = timezone.localtime(moment)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.strftime('%Z')}"


@admin.display(description="status", ordering="status")
def publishing_state(obj) -> str:
    """The status in words, with "Scheduled for …" for a published object whose time is to come."""
    if obj.status == Status.PUBLISHED and obj.publish_at > timezone.now():
        return f"Scheduled for {when(obj.publish_at)}"
    return obj.get_status_display()


class PublishingStateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("live", "Published and live"),
            ("scheduled", "Scheduled"),
            *[(value, label) for value, label in Status.choices if value != Status.PUBLISHED],
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.filter(status=Status.PUBLISHED, publish_at__lte=now)
        if self.value() == "scheduled":
            return queryset.filter(status=Status.PUBLISHED, publish_at__gt=now)
        if self.value() in Status.values:
            return queryset.filter(status=self.value())
        return queryset


# Spread these into a model admin's own `list_filter` and `list_display`.
CONTENT_FILTERS = (PublishingStateFilter, "secondary_source", "incomplete")
CONTENT_COLUMNS = (publishing_state, "secondary_source", "incomplete")

# Federal sites are served over HTTPS: a web address typed without a scheme gets https://.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
# Long text in a table row: a short box that the editor can enlarge.
SHORT_TEXTAREA = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


def workflow_form(form, request, model):
    """`form` (a model form of a `ContentModel`) offering only the statuses the user may move the
    object to, and refusing any other when posted."""

    class WorkflowForm(form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.status_before = self.instance.status
            if "status" in self.fields:
                self.fields["status"].choices = [
                    (value, label)
                    for value, label in Status.choices
                    if may_move(request, model, self.status_before, value)
                ]

        def clean_status(self):
            after = self.cleaned_data["status"]
            if not may_move(request, model, self.status_before, after):
                raise ValidationError(
                    "Only an OMB publisher can publish, unpublish or archive. "
                    "Choose Draft, or In review to ask for it to be published.",
                    code="publish_permission",
                )
            return after

    return WorkflowForm


def _set_status(modeladmin, request, queryset, status, done):
    """Move every selected object to `status`, if the user may; all or none."""
    objects = list(queryset)
    refused = [
        obj
        for obj in objects
        if not modeladmin.has_change_permission(request, obj)
        or not may_move(request, modeladmin.model, obj.status, status)
    ]
    if refused:
        raise PermissionDenied(f"You may not make {len(refused)} of these {Status(status).label}.")
    for obj in objects:
        obj.status = status
        obj._change_reason = f"{done} (bulk action)"
        obj.save()
    modeladmin.message_user(request, f"{len(objects)} {done.lower()}.", messages.SUCCESS)


@admin.action(description="Submit the selected items for review", permissions=["change"])
def submit_for_review(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Status.IN_REVIEW, "Submitted for review")


@admin.action(description="Publish the selected items", permissions=["publish"])
def publish(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Status.PUBLISHED, "Published")


@admin.action(description="Unpublish the selected items (back to draft)", permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Status.DRAFT, "Unpublished")


@admin.action(description="Archive the selected items", permissions=["publish"])
def archive(modeladmin, request, queryset):
    _set_status(modeladmin, request, queryset, Status.ARCHIVED, "Archived")


class ContentAdmin(
    ProvenanceAdminMixin, MarkdownPreviewMixin, PreviewAdminMixin, HistoryMixin, SimpleHistoryAdmin
):
    """Admin for a `ContentModel`: the model's own fields first, then Publishing, then Source; the
    publishing workflow (see the module's docstring)."""

    history_list_display = ["status"]
    formfield_overrides = {**URL_FIELDS, **ZONED_DATETIMES}
    actions = (submit_for_review, publish, unpublish, archive)

    def has_publish_permission(self, request, obj=None):
        return can_publish(request, self.model)

    def has_delete_permission(self, request, obj=None):
        # Published once, its address is known: archive it instead.
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = workflow_form(self.form, request, self.model)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *PUBLISHING_READONLY, "provenance")

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return super().get_fieldsets(request, obj)
        shared = {*PUBLISHING_FIELDS, *SOURCE_FIELDS, "sources"}
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


def _keep_published(formset):
    """`formset`, refusing to delete a row that was ever published (archive it instead)."""

    class KeepPublished(formset):
        def clean(self):
            super().clean()
            for form in self.deleted_forms:
                if form.instance.pk and form.instance.published_at is not None:
                    raise ValidationError(
                        f"“{form.instance}” has been published, so it cannot be deleted: "
                        "archive it instead, and its address keeps answering."
                    )

    return KeepPublished


class CompactInline(admin.TabularInline):
    """A child table on its parent's page: one line a row, a link to the full form, no blank rows.

    Set `select_related` to the foreign keys the child's `__str__` reads (shown with the change link).
    """

    extra = 0
    show_change_link = True
    select_related = ()
    formfield_overrides = {**URL_FIELDS, **SHORT_TEXTAREA, **ZONED_DATETIMES}

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = workflow_form(self.form, request, self.model)
        kwargs["formset"] = labelled_rows(_keep_published(self.formset))
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset
