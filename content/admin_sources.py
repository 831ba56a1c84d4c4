"""Provenance in the admin, as an editor reads it: a list of sources, not a box of JSON.

Every content model keeps `sources`, the importer's list of where a record came from
({repo, path, commit, url, kind, note}; each key may be missing). The admin shows it read-only,
one line a source: a link when the source has a web address, else "repo/path @ commit", then its
note. The importer owns the list (it writes it again on every import), so an editor's own notes on
a record's source go in "Source note", which stays editable.
"""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

NONE = "None recorded"
COMMIT_LENGTH = 12


def _web_address(value) -> str:
    """The address if it is a web address (never a javascript: or other scheme), else ""."""
    text = str(value or "")
    return text if text.startswith(("https://", "http://")) else ""


def source_line(source) -> str:
    """One source, as HTML: its link or "repo/path @ commit", then its kind and note."""
    if not isinstance(source, dict):
        return format_html("{}", source)
    place = "/".join(str(source[key]) for key in ("repo", "path") if source.get(key))
    if place and source.get("commit"):
        place = f"{place} @ {str(source['commit'])[:COMMIT_LENGTH]}"
    url = _web_address(source.get("url"))
    if url:
        line = format_html('<a href="{}">{}</a>', url, place or url)
    else:
        line = format_html("{}", place or source.get("url") or "(no address)")
    details = [str(source[key]) for key in ("kind", "note") if source.get(key)]
    if details:
        line = format_html("{}: {}", line, "; ".join(details))
    return line


def _line(item) -> str:
    """One entry of a list: a text, or a record's text with its other fields after it."""
    if isinstance(item, dict):
        text = item.get("text") or ""
        rest = "; ".join(
            f"{key.replace('_', ' ')}: {value}"
            for key, value in item.items()
            if key != "text" and value
        )
        return format_html("{} ({})", text, rest) if rest else format_html("{}", text)
    return format_html("{}", item)


def readable_list(items, render=_line) -> str:
    """A read-only bulleted list of `items` (a JSON field's list), or "None recorded"."""
    items = items if isinstance(items, list) else [items] if items else []
    if not items:
        return NONE
    rows = format_html_join("", "<li>{}</li>", ((render(item),) for item in items))
    return format_html('<ul class="provenance-list">{}</ul>', rows)


class ProvenanceAdminMixin:
    """`provenance`, a read-only field for a model admin's Source fieldset."""

    @admin.display(description="Sources")
    def provenance(self, obj):
        return readable_list(obj.sources, source_line)
