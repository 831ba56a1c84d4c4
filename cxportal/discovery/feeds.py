"""Atom and RSS feeds of Summary of Progress entries and highlights, site-wide and per priority area.

An item's date is the update's month or the highlight's date; Atom's required "updated" is when
the record was last saved. Highlights without a date come last, with no publication date. Every
item links to its page on this site: a highlight to /news/<slug>/, which links to the original.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from content import markdown
from priorities.models import Highlight, PriorityArea, ProgressUpdate

LIMIT = 50


def feed_items(area=None):
    """The newest updates and highlights, newest first: two queries."""
    updates = ProgressUpdate.objects.public().summaries().dated()
    highlights = Highlight.objects.public()
    if area is not None:
        updates = updates.filter(priority_area=area)
        highlights = highlights.filter(priority_areas=area)
    items = [*updates[:LIMIT], *highlights[:LIMIT]]
    items.sort(key=lambda item: item.date or datetime.date.min, reverse=True)
    return items[:LIMIT]


class UpdatesRss(Feed):
    """Site-wide, or one priority area's when the URL names its slug."""

    feed_type = Rss201rev2Feed
    route, area_route = "discovery:updates_rss", "discovery:area_updates_rss"
    author_name = "Performance.gov"
    description = "Summary of Progress updates and highlights from Performance.gov."

    def get_object(self, request, slug=None):
        if slug is None:
            return None
        return get_object_or_404(PriorityArea.objects.public(), slug=slug)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        for item in feed.items:  # ids made here from paths need the site's address too
            item["unique_id"] = request.build_absolute_uri(item["unique_id"])
        return feed

    def title(self, area):
        if area is None:
            return "Performance.gov: progress updates and highlights"
        return f"{area.short_title}: progress updates and highlights"

    def link(self, area):
        return area.get_absolute_url() if area else reverse("priorities:list")

    def feed_url(self, area):
        if area is None:
            return reverse(self.route)
        return reverse(self.area_route, kwargs={"slug": area.slug})

    def items(self, area):
        return feed_items(area)

    def item_title(self, item):
        if isinstance(item, Highlight):
            return item.title
        return f"{item.priority_area.short_title}: Summary of Progress, {item.period_label}"

    def item_description(self, item):
        if isinstance(item, Highlight):
            return markdown.render(item.excerpt)
        return markdown.render(item.body)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        # Every update and highlight has a page of its own here (/news/<slug>/ for a highlight).
        return item.get_absolute_url()

    def item_pubdate(self, item):
        if item.date is None:
            return None
        return datetime.datetime.combine(item.date, datetime.time.min)

    def item_updateddate(self, item):
        # Atom needs a time for every entry: the public version's, else when the entry last
        # changed in this feed (the only other time known for an undated imported highlight).
        return item.last_updated or item.updated_at

    def item_categories(self, item):
        if isinstance(item, Highlight):
            return item.tags
        return [item.priority_area.short_title]


class UpdatesAtom(UpdatesRss):
    feed_type = Atom1Feed
    route, area_route = "discovery:updates_atom", "discovery:area_updates_atom"
    subtitle = UpdatesRss.description
