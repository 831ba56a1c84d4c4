"""A live preview of Markdown under each long text in the admin forms, through htmx.

As an editor types, the text is posted (with the form's CSRF token) to the model admin's
`markdown-preview/` address, which answers with the same sanitized HTML the public pages show
(`content.markdown.render`), and htmx puts it in the preview box below the field. The address is
behind the admin's sign-in, like every admin page.
"""

import json

from django import forms
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils.html import format_html

from content.markdown import MarkdownField, render

# The posted field that names the field to preview (htmx posts the whole form).
PREVIEWED = "markdown_preview_of"
# The longest text previewed: far more than any field holds, small enough to render at once.
MAX_PREVIEW = 100_000


class MarkdownWidget(forms.Textarea):
    # In content/templates: the form renderer reads widget templates from the apps, not templates/.
    template_name = "admin/content/markdown_widget.html"

    def __init__(self, preview_url: str, attrs=None):
        self.preview_url = preview_url
        super().__init__(attrs)

    class Media:
        js = ("django_htmx/htmx-2.min.js",)
        css = {"all": ("css/admin-markdown.css",)}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        field_id = widget["attrs"].get("id", name)
        widget["preview_id"] = f"{field_id}_preview"
        widget["attrs"].update(
            {
                "data-hx-post": self.preview_url,
                "data-hx-trigger": "input changed delay:500ms, load",
                "data-hx-target": f"#{field_id}_preview",
                "data-hx-include": "[name=csrfmiddlewaretoken]",
                "data-hx-swap": "innerHTML",
                # Inside the form, htmx posts all of its fields: say which one to preview.
                "data-hx-vals": json.dumps({PREVIEWED: name}),
            }
        )
        return context


class MarkdownPreviewMixin:
    """For a ModelAdmin: its Markdown fields get the live preview."""

    def get_urls(self):
        opts = self.model._meta
        own = [
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name=f"{opts.app_label}_{opts.model_name}_markdown_preview",
            )
        ]
        return own + super().get_urls()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, MarkdownField):
            opts = self.model._meta
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_markdown_preview"
            )
            kwargs["widget"] = MarkdownWidget(url, attrs={"rows": 8, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def markdown_preview_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        text = request.POST.get(request.POST.get(PREVIEWED, ""), "")[:MAX_PREVIEW]
        if not text.strip():
            return HttpResponse(format_html('<p class="help">{}</p>', "Nothing to preview yet."))
        return HttpResponse(render(text))
