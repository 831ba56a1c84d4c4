"""Each object's history in the admin: every version with who, when and why, what it changed field
by field, and reverting to an earlier version, which only a publisher may do.

`HistoryMixin` goes before simple-history's `SimpleHistoryAdmin` in `ContentAdmin`. The list of
versions is simple-history's view with our diff (`set_history_delta_changes`) and templates. The
page of one version (`history_form_view`) is our own, because simple-history's does not fit the
workflow (docs/decisions/0012-history-diff-and-revert.md):

- it saves a posted revert for anyone who may merely view the object, and shows the Revert button
  to anyone who may change it. A revert can unpublish, republish or rewrite a published page in one
  step, so here it needs the model's publish permission, checked when the form is posted;
- it finds the version without the admin's queryset, so an agency editor's request for another
  agency's version is refused only later and as a 403; ours starts from `get_object`, and answers
  404, the same as for an object that does not exist;
- it saves whatever the form posts, so a "revert" may be any edit, and what the browser sends back
  is the version only to the second and with spaces trimmed. Ours shows the version as values and
  saves it again exactly as recorded, after the workflow's form has validated it.
"""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from content.diff import Labels, changes, readable, when

# Kept from the stored object when reverting, not taken from the old version: when it was first
# published (an object ever published is archived, never deleted, and this is how that is known),
# and the importer's id, which another row may hold by now.
KEPT_ON_REVERT = ("published_at", "external_id")


def _stored(record):
    """The object as `record` has it, a row that exists (saved as an update, unique checks skip
    it), new each time: a form's cleaning leaves its own copy changed."""
    instance = record.instance
    instance._state.adding = False
    return instance


def revert_reason(record) -> str:
    return f"Reverted to the version of {when(record.history_date)}"


class HistoryMixin:
    object_history_template = "admin/content/history/object_history.html"
    object_history_list_template = "admin/content/history/object_history_list.html"
    object_history_form_template = "admin/content/history/version.html"

    def revert_disabled(self, request, obj=None):
        """Whether the user may not revert `obj`: only who may publish the model and change the
        object may (simple-history's own rule, change permission alone, is the first test)."""
        return (
            super().revert_disabled(request, obj)
            or not self.has_publish_permission(request, obj)
            or not self.has_change_permission(request, obj)
        )

    def _versions(self, request, object_id):
        """The object's historical records, newest first, with their users and foreign keys in the
        same query."""
        manager = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        return self.get_history_queryset(request, manager, self.model._meta.pk.attname, object_id)

    def _field_order(self, request, obj=None):
        """The fields in the order the form shows them, for the diff to follow."""
        return [
            name
            for name in flatten_fieldsets(self.get_fieldsets(request, obj))
            if isinstance(name, str)
        ]

    def history_view(self, request, object_id, extra_context=None):
        columns = [
            self.model._meta.get_field(name).verbose_name
            if name in {f.name for f in self.model._meta.fields}
            else name
            for name in self.get_history_list_display(request)
        ]
        context = {
            "history_columns": columns,
            # A deleted object's versions are listed, but not opened (see `history_form_view`).
            "versions_open": self.get_object(request, unquote(object_id)) is not None,
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Give each version on the page what the template shows: `history_when`, the columns of
        `history_list_display` in words, and `history_delta_changes`, its changes from the version
        before it (for the page's oldest, the first of the next page, in one more query)."""
        records = list(historical_records)
        if not records:
            return
        older = None
        if historical_records.has_next():  # the page of `history_view`
            older = historical_records.paginator.object_list[historical_records.end_index()]
        labels, order = Labels(), self._field_order(request)
        fields = {f.name: f for f in self.model._meta.fields}
        display = self.get_history_list_display(request)
        for record, previous in zip(records, [*records[1:], older], strict=True):
            record.history_when = when(record.history_date)
            record.history_columns = [
                readable(fields[name], getattr(record, name))
                if name in fields
                else getattr(record, name, "")
                for name in display
            ]
            record.history_delta_changes = (
                changes(record, previous, labels, order)
                if previous is not None and record.history_type == "~"
                else None
            )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One version of the object, read-only; with a Revert button for who may revert."""
        request.current_app = self.admin_site.name
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            # Missing, deleted, or another agency's: the same answer for each.
            raise Http404
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        if not str(version_id).isdigit():
            raise Http404
        versions = self._versions(request, obj.pk)
        record = get_object_or_404(versions, history_id=version_id)
        may_revert = not self.revert_disabled(request, obj)
        if request.method == "POST" and not may_revert:
            raise PermissionDenied

        form = self._revert_form(request, obj, record)
        problems = []
        if request.method == "POST":
            problems = self._revert_problems(form, record)
            if not problems:
                return self._revert(request, obj, record)

        fieldsets = self.get_fieldsets(request, obj)
        # Shown as values, never as inputs: a revert restores the version as it was.
        admin_form = helpers.AdminForm(
            form, fieldsets, {}, flatten_fieldsets(fieldsets), model_admin=self
        )
        current = versions.first()
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": (
                f"Revert “{obj}” to the version of {when(record.history_date)}"
                if may_revert
                else f"“{obj}” as it was on {when(record.history_date)}"
            ),
            "adminform": admin_form,
            "errors": None,
            "revert_problems": problems,
            "media": self.media + admin_form.media,
            "object_id": obj.pk,
            "original": obj,
            "record": record,
            "record_when": when(record.history_date),
            "is_current": current is not None and current.pk == record.pk,
            "changes_to_version": (
                changes(record, current, order=self._field_order(request, obj))
                if current is not None and current.pk != record.pk
                else []
            ),
            "revert_disabled": not may_revert,
            "app_label": opts.app_label,
            "opts": opts,
            "change_url": self._url("change", obj),
            "history_url": self._url("history", obj),
            "changelist_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            "add": False,
            "change": True,
            "is_popup": False,
            "save_as": False,
            "has_view_permission": True,
            "has_add_permission": False,
            "has_change_permission": may_revert,
            "has_delete_permission": False,
            "has_editable_inline_admin_formsets": False,
            "has_file_field": False,
            "has_absolute_url": False,
            "form_url": "",
            "inline_admin_formsets": [],
            **(extra_context or {}),
        }
        return self.render_history_view(request, self.object_history_form_template, context)

    def _revert_form(self, request, obj, record):
        """The admin's form of the object (the workflow's, `get_form`), holding the version.

        Every field is disabled: the form takes its values from the version, never from what is
        posted, and still validates them (the workflow's status check, the choices the user may
        pick, unique values, the model's own rules).
        """
        form_class = self.get_form(request, obj, change=True)

        class RevertForm(form_class):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # The workflow compares the new status with the stored one, not the version's.
                self.status_before = obj.status
                for field in self.fields.values():
                    field.disabled = True

        if request.method == "POST":
            return RevertForm(data={}, files={}, instance=_stored(record))
        return RevertForm(instance=_stored(record))

    def _revert_problems(self, form, record) -> list[str]:
        """Why the version cannot be saved again as it is (a slug taken since, a provider no longer
        the user's to choose), in words; [] when it can."""
        if form.is_valid():
            try:
                # The form checked its own fields; the other old values may clash with a row
                # saved since.
                _stored(record).validate_unique(exclude=set(form.fields))
            except ValidationError as error:
                form.add_error(None, error.messages)
        problems = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            problems += [f"{label}: {error}" if label else error for error in errors]
        return problems

    def _revert(self, request, obj, record):
        """Save the version again, exactly as it was recorded, as a new change by the user."""
        reverted = _stored(record)
        for name in KEPT_ON_REVERT:
            setattr(reverted, name, getattr(obj, name))
        reason = revert_reason(record)
        reverted._change_reason = reason
        self.save_model(request, reverted, None, change=True)
        self.log_change(request, reverted, reason)
        self.message_user(
            request,
            f"“{reverted}” was reverted to the version of {when(record.history_date)}. "
            "The revert is the newest change below.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._url("history", obj))

    def _url(self, view, obj):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
