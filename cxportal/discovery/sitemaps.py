"""/sitemap.xml: the site's pages and every public object that has a page of its own."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cxportal.discovery import public


class PagesSitemap(Sitemap):
    """The pages that are not about one object."""

    names = [
        "home",
        "priorities:list",
        "hisps:list",
        "priorities:life_experiences",
        "data:index",
        "about",
        "accessibility",
        "privacy",
    ]

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)


class PublicSitemap(Sitemap):
    """Public objects, located by their get_absolute_url, last modified when last saved."""

    objects = None  # a function from cxportal.discovery.public

    def items(self):
        return self.objects()

    def lastmod(self, obj):
        return obj.updated_at


class PriorityAreaSitemap(PublicSitemap):
    objects = staticmethod(public.priority_areas)


class UpdateSitemap(PublicSitemap):
    objects = staticmethod(public.dated_summaries)


class StrategySitemap(PublicSitemap):
    objects = staticmethod(public.strategies)


class HispSitemap(PublicSitemap):
    objects = staticmethod(public.hisps)


class AgencySitemap(PublicSitemap):
    objects = staticmethod(public.agencies)


class LifeExperienceSitemap(PublicSitemap):
    objects = staticmethod(public.life_experiences)


SITEMAPS = {
    "pages": PagesSitemap,
    "priority-areas": PriorityAreaSitemap,
    "updates": UpdateSitemap,
    "strategies": StrategySitemap,
    "hisps": HispSitemap,
    "agencies": AgencySitemap,
    "life-experiences": LifeExperienceSitemap,
}
