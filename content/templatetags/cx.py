from django import template
from django.utils.safestring import mark_safe

from content import markdown as cx_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Render an editor's Markdown as sanitized HTML."""
    return mark_safe(cx_markdown.render(text))  # noqa: S308 - nh3 has sanitized it


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
