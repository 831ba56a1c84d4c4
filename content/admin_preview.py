"""Preview and share links in the admin, for every content model (see content.preview).

Each content object's admin page gets a "Preview" link (its public page as it will look when
published, with a "Preview — not published" banner) and a "Share for review" page, where an
editor makes a link for a reviewer who has no account, sees the links made so far, and revokes
them. Who may do what is the model admin's own decision, so an agency editor previews and shares
only its own agencies' objects: preview needs view permission on the object, sharing needs change
permission.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from content.models import ShareLink
from content.preview import preview_object
from content.publishing import public_q


class PreviewAdminMixin:
    change_form_template = "admin/content/change_form.html"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        own = [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name=f"{name}_preview",
            ),
            path(
                "<path:object_id>/share/",
                self.admin_site.admin_view(self.share_view),
                name=f"{name}_share",
            ),
        ]
        return own + super().get_urls()

    def _object_or_404(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} with this id.")
        return obj

    def is_public(self, obj) -> bool:
        return self.model._base_manager.filter(public_q(self.model), pk=obj.pk).exists()

    def view_on_site(self, obj):
        """The public page once the object is public; until then, its preview."""
        if self.is_public(obj):
            return obj.get_absolute_url()
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk]
        )

    def preview_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return preview_object(request, obj)

    def share_view(self, request, object_id):
        obj = self._object_or_404(request, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        kind = ContentType.objects.get_for_model(self.model)
        links = ShareLink.objects.filter(content_type=kind, object_id=obj.pk)
        if request.method == "POST":
            if "revoke" in request.POST:
                link = links.filter(pk=request.POST.get("revoke"), revoked_at__isnull=True).first()
                if link is not None:
                    link.revoked_at = timezone.now()
                    link.revoked_by = request.user
                    link.save(update_fields=["revoked_at", "revoked_by"])
                    self.message_user(
                        request, "The link is revoked: it no longer opens the preview."
                    )
            else:
                link = ShareLink.objects.create(
                    content_type=kind, object_id=obj.pk, created_by=request.user
                )
                self.message_user(
                    request,
                    "A new share link is ready: copy it from the table below.",
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"Share “{obj}” for review",
            "links": [
                (link, request.build_absolute_uri(link.get_absolute_url()))
                for link in links.select_related("created_by", "revoked_by")
            ],
            "is_public": self.is_public(obj),
        }
        return TemplateResponse(request, "admin/content/share_links.html", context)
