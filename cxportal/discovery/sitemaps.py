"""/sitemap.xml: the site's pages and every public object that has a page of its own."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from hisps.models import Agency, Hisp
from priorities.models import Highlight, LifeExperience, PriorityArea, ProgressUpdate, Strategy


class PagesSitemap(Sitemap):
    """The pages that are not about one object."""

    names = [
        "home",
        "cx_home",
        "cx_executive_order",
        "priorities:list",
        "hisps:list",
        "hisps:agencies",
        "hisps:reporting",
        "priorities:life_experiences",
        "priorities:news",
        "priorities:resources",
        "data:index",
        "data:methods",
        "data_catalog",
        "about",
        "accessibility",
        "privacy",
    ]

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)


class PublicSitemap(Sitemap):
    """Public objects, located by their get_absolute_url, last modified when their public version
    last changed (none where that is not known)."""

    def lastmod(self, obj):
        return obj.last_updated


class PriorityAreaSitemap(PublicSitemap):
    def items(self):
        return PriorityArea.objects.public()


class UpdateSitemap(PublicSitemap):
    def items(self):
        return ProgressUpdate.objects.public().summaries().dated()


class StrategySitemap(PublicSitemap):
    def items(self):
        return Strategy.objects.public().select_related("priority_area")


class HispSitemap(PublicSitemap):
    def items(self):
        return Hisp.objects.public()


class AgencySitemap(PublicSitemap):
    """Agencies with at least one public HISP: the ones with an agency page worth listing."""

    def items(self):
        return Agency.objects.public().filter(
            Exists(Hisp.objects.public().filter(agency=OuterRef("pk")))
        )


class LifeExperienceSitemap(PublicSitemap):
    def items(self):
        return LifeExperience.objects.public()


class NewsSitemap(PublicSitemap):
    def items(self):
        return Highlight.objects.public()


SITEMAPS = {
    "pages": PagesSitemap,
    "priority-areas": PriorityAreaSitemap,
    "updates": UpdateSitemap,
    "strategies": StrategySitemap,
    "hisps": HispSitemap,
    "agencies": AgencySitemap,
    "life-experiences": LifeExperienceSitemap,
    "news": NewsSitemap,
}
