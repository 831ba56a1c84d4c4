"""The share-link preview: an unpublished object, shown to a reviewer who has no account."""

from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from content.models import ShareLink
from content.preview import Notice, not_for_the_public, preview_object
from content.publishing import Status


def _gone(request, reason: str):
    response = render(request, "content/share_link_gone.html", {"reason": reason}, status=410)
    return not_for_the_public(response)


@never_cache
@require_safe
def shared_preview(request, token):
    """The page of a share link's object as it will look when published, while the link works:
    404 for an address that was never a link, 410 Gone once it is revoked or has expired."""
    try:
        link = ShareLink.from_token(token)
    except signing.SignatureExpired:
        return _gone(request, "expired")
    if link is None or link.content_object is None:
        raise Http404("No such preview.")
    if link.revoked_at is not None:
        return _gone(request, "revoked")
    if not link.working:
        return _gone(request, "expired")
    obj = link.content_object
    if obj.status == Status.ARCHIVED:
        return _gone(request, "archived")
    return preview_object(request, obj, share_notice(link))


def share_notice(link) -> Notice:
    expires = timezone.localtime(link.expires_at)
    return Notice(
        "preview",
        "Preview — not published",
        "Shared for review: the public cannot see this page yet. "
        f"This link stops working on {date_format(expires, 'DATE_FORMAT')}.",
    )
