from django import template
from django.utils.safestring import mark_safe

from cxportal import markdown as cx_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render an editor's Markdown as sanitized HTML."""
    return mark_safe(cx_markdown.render(text))  # noqa: S308 - nh3 has sanitized it
