import datetime
import functools

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from content import markdown as cx_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render an editor's Markdown as sanitized HTML."""
    return mark_safe(cx_markdown.render(text))  # noqa: S308 - nh3 has sanitized it


@register.filter
def iso(moment):
    """A moment for a `datetime` attribute: local time with its offset, to the second (the HTML
    standard takes at most three digits of a second; Django's "c" gives six)."""
    if isinstance(moment, datetime.datetime):
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.replace(microsecond=0).isoformat()
    if isinstance(moment, datetime.date):
        return moment.isoformat()
    return ""


@register.inclusion_tag("includes/last_updated.html")
def last_updated(moment):
    """The page's "Last updated" line, or nothing when the date is not known."""
    return {"moment": moment}


@register.filter
def markdown_inline(text):
    """A short Markdown text inside the page's own paragraph (see `render_inline`)."""
    return mark_safe(cx_markdown.render_inline(text))  # noqa: S308 - nh3 has sanitized it


@register.filter
def markdown_text(text):
    """An editor's Markdown as plain text (for excerpts): rendered, sanitized, tags dropped."""
    return _plain(text)


@functools.lru_cache(maxsize=cx_markdown.RENDERED_KEPT)
def _plain(text):
    # A pure function of the text, like the rendering it starts from (content.markdown).
    return strip_tags(cx_markdown.render(text)).strip()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)  # so that {% block %} inside is found and overridden

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # The rendered text is already escaped by the template engine.
        context.dicts[0][self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """{% capture name %}…{% endcapture %}: render once, use as {{ name }} anywhere after."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("Use {% capture name %}…{% endcapture %}.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*trail, current):
    """The USWDS breadcrumb bar: Home, then each (label, address) pair of `trail`, then the current
    page. A pair whose label is empty is left out, so an optional step can be passed as it is:

        {% url 'priorities:list' as areas_url %}
        {% breadcrumbs "Priority areas" areas_url area.short_title area.get_absolute_url current="Strategy 2" %}
    """
    if len(trail) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of a label and an address.")
    steps = [(label, url) for label, url in zip(trail[::2], trail[1::2], strict=True) if label]
    return {"home": reverse("home"), "steps": steps, "current": current}


@register.filter
def page_numbers(page):
    """The page numbers a USWDS pagination bar shows for a Paginator page: the first and last,
    two on each side of the current one, and the paginator's ELLIPSIS for the gaps. A list of
    every page would grow with the data (ADR 0028)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
