"""What changed between two versions of an object, as an editor reads it.

simple-history's `diff_against` says which fields differ and gives their raw values: ids for
foreign keys, codes for choices, whole texts for long fields. This turns each difference into the
field's label and readable values: a foreign key by its name, a choice by its label, a date in the
site's timezone, and a long text as the lines (and, inside a changed line, the words) that changed,
so a one-word edit of a long description does not show as two walls of text.
"""

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst

EMPTY = "(empty)"
# Longer than this, or on more than one line, a value is shown as a line diff.
LONG = 120
# Unchanged lines around each change in a line diff, shown (blank ones are not); the rest are
# counted. Two: in Markdown, the blank line and the paragraph before and after a change.
CONTEXT = 2
# Two versions of a line this alike are shown as one changed line with the words marked; less
# alike, as a removed line and an added one.
ALIKE = 0.5


def when(moment) -> str:
    """`content.admin.when`: "Dec. 5, 2026, 9:00 a.m. EST". Imported when called, because
    `content.admin` builds `ContentAdmin` on `content.history`, which imports this module."""
    from content.admin import when as admin_when

    return admin_when(moment)


@dataclass
class Line:
    """A line of a line diff. `kind`: "same", "removed", "added", "changed" (then `parts` holds
    (kind, text) pieces, kind "same", "removed" or "added"), or "skipped" (`count` unchanged lines
    not shown)."""

    kind: str
    text: str = ""
    parts: list[tuple[str, str]] = field(default_factory=list)
    count: int = 0


@dataclass
class Change:
    """One field's change: its label, the old and new values in words, and for a long value the
    line diff that the page shows instead of the two values."""

    name: str
    label: str
    old: str
    new: str
    lines: list[Line] | None = None


def _words(old: str, new: str) -> list[tuple[str, str]]:
    """The pieces of a changed line: unchanged, removed and added runs of words. Changed words
    with only spaces between them are one run ("most requests" → "every request"), not two."""
    old_tokens, new_tokens = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    opcodes = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False).get_opcodes()
    parts: list[tuple[str, str]] = []
    run = None  # [i1, i2, j1, j2]: the old and new tokens of the change being collected

    def end_run():
        if run:
            parts.append(("removed", "".join(old_tokens[run[0] : run[1]])))
            parts.append(("added", "".join(new_tokens[run[2] : run[3]])))

    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        spaces = not "".join(old_tokens[i1:i2]).strip()
        if op != "equal" or (run and spaces and n + 1 < len(opcodes)):
            run = [run[0], i2, run[2], j2] if run else [i1, i2, j1, j2]
            continue
        end_run()
        run = None
        parts.append(("same", "".join(old_tokens[i1:i2])))
    end_run()
    return [(kind, text) for kind, text in parts if text]


def _written(lines: list[str]) -> list[str]:
    # A blank line between paragraphs says nothing on its own.
    return [line for line in lines if line.strip()]


def line_diff(old: str, new: str) -> list[Line]:
    """The changed lines of a long text, with `CONTEXT` unchanged lines around each change; blank
    lines are compared but not shown or counted."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    result: list[Line] = []

    def skip(lines):
        if count := len(_written(lines)):
            result.append(Line("skipped", count=count))

    shown_to = 0  # the old lines before this index are shown or counted
    for group in matcher.get_grouped_opcodes(CONTEXT):
        skip(old_lines[shown_to : group[0][1]])
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                result += [Line("same", text) for text in _written(old_lines[i1:i2])]
                continue
            removed, added = _written(old_lines[i1:i2]), _written(new_lines[j1:j2])
            if op == "replace":
                # Pair the lines: an edited paragraph shows as one line with its words marked.
                pairs = list(zip(removed, added, strict=False))
                for before, after in pairs:
                    if difflib.SequenceMatcher(None, before, after).ratio() >= ALIKE:
                        result.append(Line("changed", parts=_words(before, after)))
                    else:
                        result += [Line("removed", before), Line("added", after)]
                removed, added = removed[len(pairs) :], added[len(pairs) :]
            result += [Line("removed", text) for text in removed]
            result += [Line("added", text) for text in added]
        shown_to = group[-1][2]
    skip(old_lines[shown_to:])
    if not any(line.kind in ("removed", "added", "changed") for line in result):
        return []  # only blank lines changed
    return result


class Labels:
    """Readable values of one model's fields, read from historical records.

    A foreign key's value is its object's `str`, read from the record's `select_related` row; the
    words are kept by (model, id), so a `str` that reads further rows costs that once per object
    shown, not once per version.
    """

    def __init__(self):
        self._objects: dict[tuple[type, object], str] = {}

    def related(self, record, model_field) -> str:
        pk = getattr(record, model_field.attname)
        if pk is None:
            return EMPTY
        key = (model_field.related_model, pk)
        if key not in self._objects:
            try:
                related = getattr(record, model_field.name)
            except ObjectDoesNotExist:
                related = None
            self._objects[key] = (
                str(related)
                if related is not None
                else f"a deleted {model_field.related_model._meta.verbose_name} (id {pk})"
            )
        return self._objects[key]

    def value(self, record, model_field) -> str:
        """`record`'s value of `model_field` (a field of the content model), in words."""
        if model_field.is_relation and model_field.many_to_one:
            return self.related(record, model_field)
        return readable(model_field, getattr(record, model_field.attname))


def readable(model_field, value) -> str:
    """A field's value in words: a choice by its label, yes or no, a moment in the site's timezone,
    a list one item a line, structured data as indented JSON."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(model_field, ArrayField):
        return "\n".join(readable(model_field.base_field, item) for item in value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(model_field, models.JSONField):
        return json.dumps(value, indent=2, ensure_ascii=False)
    return str(value)


def changes(new, old, labels: Labels | None = None, order=()) -> list[Change]:
    """What changed from historical record `old` to `new` (of the same object): the fields editors
    edit only (simple-history leaves out the others, such as `updated_at`), in the order of the
    field names in `order` (the admin form's), then in the model's."""
    labels = labels or Labels()
    delta = new.diff_against(old)
    model = new.instance_type
    names = [*order, *(f.name for f in model._meta.fields)]
    position = {name: n for n, name in reversed(list(enumerate(names)))}
    result = []
    for name in sorted(delta.changed_fields, key=lambda name: position.get(name, len(names))):
        model_field = model._meta.get_field(name)
        if model_field.many_to_many:
            continue  # not recorded in the history
        before, after = labels.value(old, model_field), labels.value(new, model_field)
        long = "\n" in before or "\n" in after or max(len(before), len(after)) > LONG
        result.append(
            Change(
                name=name,
                label=capfirst(model_field.verbose_name),
                old=before,
                new=after,
                lines=line_diff("" if before == EMPTY else before, "" if after == EMPTY else after)
                if long
                else None,
            )
        )
    return result
