"""/sitemap.xml: the site's pages and every public object that has a page of its own."""

from django.contrib.sitemaps import Sitemap
from django.urls import get_resolver, reverse

from cxportal.discovery import public


def route_exists(name: str) -> bool:
    """Whether a URL name like "hisps:detail" is defined, whatever arguments it takes."""
    *namespaces, short = name.split(":")
    resolver = get_resolver()
    for namespace in namespaces:
        if namespace not in resolver.namespace_dict:
            return False
        resolver = resolver.namespace_dict[namespace][1]
    return short in resolver.reverse_dict


class PagesSitemap(Sitemap):
    """The pages that are not about one object, as long as their URL name exists."""

    url_name = None
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
        return [name for name in self.names if route_exists(name)]

    def location(self, name):
        return reverse(name)


class PublicSitemap(Sitemap):
    """Public objects, located by their get_absolute_url, last modified when last saved."""

    url_name = None  # the page's URL name: the section is left out until it exists
    objects = None

    def items(self):
        return self.objects()

    def lastmod(self, obj):
        return obj.updated_at


class PriorityAreaSitemap(PublicSitemap):
    url_name = "priorities:detail"
    objects = staticmethod(public.priority_areas)


class UpdateSitemap(PublicSitemap):
    url_name = "priorities:update"
    objects = staticmethod(public.dated_summaries)


class StrategySitemap(PublicSitemap):
    url_name = "priorities:strategy"
    objects = staticmethod(public.strategies)


class HispSitemap(PublicSitemap):
    url_name = "hisps:detail"
    objects = staticmethod(public.hisps)


class AgencySitemap(PublicSitemap):
    url_name = "hisps:agency"
    objects = staticmethod(public.agencies)


class LifeExperienceSitemap(PublicSitemap):
    url_name = "priorities:life_experience"
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
