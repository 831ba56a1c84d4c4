"""Each object's history in the admin: every version with who, when and why, and what it changed
field by field.

`HistoryMixin` goes before simple-history's `SimpleHistoryAdmin` in `ContentAdmin`. The list of
versions is simple-history's view with our diff (`set_history_delta_changes`, `content.diff`) and
templates.
"""

from django.contrib.admin.utils import flatten_fieldsets, unquote

from content.diff import Labels, changes, readable, when


class HistoryMixin:
    object_history_template = "admin/content/history/object_history.html"
    object_history_list_template = "admin/content/history/object_history_list.html"

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
            # A deleted object's versions are listed, but not opened.
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
