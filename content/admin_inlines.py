"""Names for the boxes of a tabular inline, which Django leaves without any.

A row of a survey's results is a line of boxes under the table's column headings, and Django's
table gives no box a label: a screen reader announces "edit text, 120" with no word of which
count of which question it is (axe: "Form elements must have labels"). Each box is named by its
column and its row instead: "Agree (Q3: I was treated fairly)", "Status (new row)".
"""

from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.forms.utils import pretty_name
from django.utils.text import capfirst


def label_cells(form):
    """Give every visible box of the inline row `form` an aria-label: its column and its row."""
    row = str(form.instance) if form.instance.pk else "new row"
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        widget = field.widget
        # The wrapper of a related field (its add and change links) shares its attrs with the
        # form class's widget, not this form's copy: name the box itself.
        if isinstance(widget, RelatedFieldWidgetWrapper):
            widget = widget.widget
        column = capfirst(field.label or pretty_name(name))
        widget.attrs.setdefault("aria-label", f"{column} ({row})")


def labelled_rows(formset):
    """`formset`, whose rows' boxes are named by `label_cells`, the Delete box included (the
    formset adds it after the form is made)."""

    class LabelledRows(formset):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            label_cells(form)

    return LabelledRows
