"""Editors write Markdown; the public gets sanitized HTML."""

import functools
import re

import markdown as md
import nh3
from django.db import models

HELP = "Markdown: **bold**, [a link](https://…), a blank line between paragraphs."


class MarkdownField(models.TextField):
    """A long text the public reads: the editor writes Markdown, every page shows it rendered
    and sanitized the same way (the `markdown` filters), and the form's help text says so.
    A help text of the field's own comes first, then the Markdown hint."""

    def __init__(self, *args, help_text="", **kwargs):
        help_text = f"{help_text} {HELP}".strip() if HELP not in help_text else help_text
        super().__init__(*args, help_text=help_text, **kwargs)


ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "table", "thead", "tbody", "tr", "th", "td", "abbr", "sup", "sub", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


# Rendered texts kept per process. Rendering is a pure function of the text, so a kept result can
# never be stale: an edited text is another key. A page shows tens of texts and Markdown costs
# about 0.2 ms each, most of a list page's time before (ADR 0028). The bound keeps a worker's
# memory flat however much content there is.
RENDERED_KEPT = 2048


@functools.lru_cache(maxsize=RENDERED_KEPT)
def render(text: str) -> str:
    """Markdown to HTML that keeps only safe tags, attributes and link schemes."""
    html = md.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


_PARAGRAPH = re.compile(r"<p>((?:(?!</?p>).)*)</p>", re.S)


@functools.lru_cache(maxsize=RENDERED_KEPT)
def render_inline(text: str) -> str:
    """A short text (a sentence in a list, a quote) as inline HTML, to sit inside the page's own
    paragraph: its paragraphs' contents, a line break between them. Text with lists or other
    blocks keeps them (it was not short)."""
    html = render(text).strip()
    paragraphs = _PARAGRAPH.findall(html)
    if paragraphs and _PARAGRAPH.sub("", html).strip() == "":
        return "<br><br>".join(paragraphs)
    return html
