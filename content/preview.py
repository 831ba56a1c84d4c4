"""Showing what the public cannot see yet (or any more), exactly as the public page shows it.

A preview runs the public page's own view inside a database savepoint in which the object, and
every parent that would hide it, are published as of now; after the page is rendered the
savepoint is rolled back, so nothing is written and nobody else ever sees the change. There is no
second set of templates or querysets to drift from the real ones: the preview is the real page.

The same machinery shows an archived object's page with an "Archived" notice, so its address
keeps answering, and lets a change that publishes many objects at once (a reporting period) be
previewed by running the change itself and rolling it back.

Every preview is sent with `noindex` and `Cache-Control: no-store`, and a preview never appears
in the sitemap, search or feeds: those are built from `public()` outside any savepoint.
"""

import functools
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import timezone

from content.publishing import Status, public_q


@dataclass(frozen=True)
class Notice:
    """The banner across the top of a page that is not the public one."""

    kind: str  # "preview" or "archived"
    heading: str
    text: str = ""
    links: tuple = ()  # (label, url) pairs: the other pages of a preview that spans several


PREVIEW = Notice(
    "preview",
    "Preview — not published",
    "This is how the page will look once it is published. The public cannot see it yet.",
)
ARCHIVED = Notice(
    "archived",
    "Archived",
    "This page is kept for the record and is no longer updated.",
)


def hiding(obj) -> list:
    """`obj` and the parents above it that keep it from the public, nearest first."""
    found = []
    model = type(obj)
    if not model._base_manager.filter(public_q(model), pk=obj.pk).exists():
        if not _own_state_public(obj):
            found.append(obj)
        for name in model.public_parents:
            field = model._meta.get_field(name)
            if field.many_to_many:
                parents = list(getattr(obj, name).all())
                if parents and not any(
                    type(p)._base_manager.filter(public_q(type(p)), pk=p.pk).exists()
                    for p in parents
                ):
                    found += hiding(parents[0])
                continue
            parent = getattr(obj, name)
            if parent is not None and parent != obj:
                found += [p for p in hiding(parent) if p not in found]
    return found


def _own_state_public(obj) -> bool:
    return obj.status == Status.PUBLISHED and obj.publish_at and obj.publish_at <= timezone.now()


def publish_for_preview(objects) -> None:
    """Inside a savepoint: make `objects` published as of now (scheduled ones too)."""
    now = timezone.now()
    for obj in objects:
        type(obj)._base_manager.filter(pk=obj.pk).update(
            status=Status.PUBLISHED, publish_at=Least(Coalesce("publish_at", now), now)
        )


@contextmanager
def rolled_back():
    """A savepoint that is always rolled back: what happens inside is seen only inside."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def render_public(request, path: str, notice: Notice, change=None):
    """The public page at `path`, rendered by its own view with `change()` applied first (inside a
    savepoint that is rolled back), with `notice` across the top."""
    path = path.split("#", 1)[0]
    try:
        match = resolve(path)
    except Resolver404:
        raise Http404("This item has no page of its own to preview.") from None
    request.notice = notice
    with rolled_back():
        if change is not None:
            change()
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response = response.render()
    return not_for_the_public(response)


def not_for_the_public(response):
    """Headers for a page that must not be indexed, cached, or reveal its address onwards."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def preview_object(request, obj, notice: Notice = PREVIEW):
    """`obj`'s public page as it will look when `obj` is published."""
    return render_public(
        request,
        preview_path(obj),
        notice,
        change=lambda: publish_for_preview(hiding(obj)),
    )


def preview_path(obj) -> str:
    """The page an object is seen on: its own, or (for an object shown on another's page, such as
    a document) the model's `preview_path()`."""
    if hasattr(obj, "preview_path"):
        return obj.preview_path()
    return obj.get_absolute_url()


def shows_archived(model, lookup):
    """A detail view's decorator: where the view finds no public object, but an archived one
    answers `lookup(**view_kwargs)` (a dict of filters), show the page as it was, with the
    "Archived" notice, instead of a bare 404."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except Http404:
                if getattr(request, "notice", None) is not None:
                    raise
                try:
                    filters = lookup(**kwargs)
                except (ValueError, TypeError):
                    raise Http404("No such page.") from None
                archived = model._base_manager.filter(status=Status.ARCHIVED, **filters).first()
                if archived is None:
                    raise
                parents = [p for p in hiding(archived) if p != archived]
                if any(p.status != Status.ARCHIVED for p in parents):
                    raise  # a draft parent: there was never a public page to keep
                request.notice = ARCHIVED
                with rolled_back():
                    publish_for_preview([archived, *parents])
                    response = view(request, *args, **kwargs)
                response["X-Robots-Tag"] = "noindex"
                return response

        return wrapper

    return decorate
