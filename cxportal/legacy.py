"""performance.gov's addresses of 2018–21 and 2022–24, answered (ADR 21).

A request that finds no page reaches the 404 handler, which asks `redirect_for(path)` where it
should go, in this order:

1. a page of ours that moved (content.models.MovedPath, ADR 18);
2. a rule below for an old performance.gov section (/CAP/…, /cx/dashboard/…, /cx/blog/…): the
   page that the old address named, or else the section's nearest index;
3. the same address in lower case, or with its missing slash, when that is a page's address here
   (/CX/HISPS -> /cx/hisps/, /pma/cx -> /pma/cx/).

Every answer is one hop to a path on this site. Under the addresses this site still serves with the
same shape (/pma/<slug>/, /cx/agencies/<abbr>/, /cx/hisps/<slug>/, /cx/life-experiences/<slug>/,
/cx/data/<name>.<format>) an address that names nothing public stays a 404, as a draft's does, so
the publishing rule holds: nobody can tell a draft from a mistyped address.
"""

import re
from collections.abc import Callable

from django.db.models import Q
from django.urls import Resolver404, resolve, reverse

from content.models import MovedPath
from hisps.models import Hisp, Service
from hisps.views import dashboard_target
from priorities.models import Highlight, LifeExperience

MAX_PATH = 300  # MovedPath's and LegacyPath's longest path


# performance.gov and its archives: a post's stored original URL on one of them names its address.
OLD_HOSTS = r"https?://([a-z0-9-]+\.)*performance\.gov"


def _cap(match) -> str:
    """The 2018–2021 CAP goal pages: Goal 4, Improving Customer Experience, is the CX CAP goal
    (/CAP/cx/, /CAP/CAP_goal_4.html); the other goals are not on this site: the list of areas."""
    if re.search(r"(^|[/_-])(cx|cap_goal_4(?![0-9])|customer)", match.group("rest") or ""):
        return reverse("priorities:detail", kwargs={"slug": "cx-2018"})
    return reverse("priorities:list")


def _news(match) -> str:
    """/blog/<slug>/ and /cx/blog/<slug>/: the post's page here when a public highlight has that
    slug or was published at that address, else the news list."""
    slug = match.group("slug")
    if not slug:
        return reverse("priorities:news")
    at_old_address = rf"^{OLD_HOSTS}{re.escape(match.group(0))}/?$"
    post = (
        Highlight.objects.public()
        .filter(Q(slug=slug) | Q(external_url__iregex=at_old_address))
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    if post:
        return reverse("priorities:news_post", kwargs={"slug": post})
    return reverse("priorities:news")


def _project(match) -> str:
    """/cx/projects/…: a life experience's 2022 charter (its page, at the charter), a life
    experience of that slug, or the list of life experiences."""
    path = match.group(0) + "/"
    experience = LifeExperience.objects.public().at_old_address(path).first()
    if experience is not None:
        return experience.get_absolute_url() + ("#charter-2022" if experience.charter else "")
    slug = match.group("slug") or ""
    experience = LifeExperience.objects.public().filter(slug=slug).first() if slug else None
    if experience is not None:
        return experience.get_absolute_url()
    return reverse("priorities:life_experiences")


def _life_experience(match) -> str | None:
    """An older slug of a life experience in another letter case (the lower-case one is the
    page's own view): its page. Otherwise no rule: the site's 404 or the lower-case page."""
    experience = LifeExperience.objects.public().at_old_address(match.group(0) + "/").first()
    return experience.get_absolute_url() if experience else None


def _results_csv(match) -> str | None:
    """/cx/data/<service_id>.csv of 2018–21: the results CSV of the provider of that service (a
    Touchpoints id or a slug), or of that provider (a current one first). An unknown name is a
    404 here, as /cx/data/<name>.<format> is this site's own address."""
    name = match.group("name")
    named = Q(slug=name) | Q(touchpoints_slug=name)
    if name.isdigit() and len(name) < 10:
        named |= Q(touchpoints_id=int(name))
    services = Service.objects.public().filter(named)
    # A 2020 entry's id (va-vha) names the provider that continues it, whose results these are.
    hisp = (
        Hisp.objects.public()
        .filter(
            Q(slug=name)
            | Q(earlier_designations__in=Hisp.objects.public().filter(slug=name))
            | Q(pk__in=services.values("hisp_id"))
        )
        .order_by("-active", "name")
        .values_list("slug", flat=True)
        .first()
    )
    return reverse("hisp_results_csv", kwargs={"slug": hisp}) if hisp else None


def _to(name: str, **kwargs) -> Callable:
    return lambda match: reverse(name, kwargs=kwargs or None)


def _to(name: str) -> Callable:
    """The page with URL name `name`."""
    return lambda match: reverse(name)


# (pattern, answer): the pattern is matched in full against the lower-case path without its
# trailing slash; the answer returns a path here, or None for no redirect.
RULES: list[tuple[re.Pattern, Callable]] = [
    (re.compile(p), answer)
    for p, answer in [
        (r"/cap(?P<rest>/.*)?", _cap),
        (r"/cx/dashboard(/.*)?", lambda match: dashboard_target(match.group(0))),
        (r"/cx/profiles(/.*)?", _to("hisps:list")),
        (r"/(cx/)?blog(/(?P<slug>[a-z0-9_-]+))?(/.*)?", _news),
        (r"/cx/projects(/(?P<slug>[a-z0-9_-]+))?(/.*)?", _project),
        (r"/cx/life-experiences/[a-z0-9_-]+", _life_experience),
        (r"/cx/reporting(\.html?)?", _to("hisps:reporting")),
        (r"/cx/resources(\.html?)?", _to("priorities:resources")),
        (r"/cx/data/(handbook|methods)(\.html?)?", _to("data:methods")),
        (r"/cx/data/(?P<name>[a-z0-9_-]+)\.csv", _results_csv),
        (r"/pma/cx/data", _to("data:index")),
        (r"/pma/vision", _to("priorities:list")),
        (r"/cx/index\.html?", _to("cx_home")),
        (r"/cx/executive-order(\.html?)?", _to("cx_executive_order")),
    ]
]


def _rule_target(stem: str) -> str | None:
    for pattern, answer in RULES:
        match = pattern.fullmatch(stem)
        if match:
            return answer(match)
    return None


def _is_public_page(path: str) -> bool:
    """Whether `path` is the address of one of the site's public views (not the admin, not a
    reviewer's share link, whose token is case-sensitive)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return "admin" not in match.namespaces and match.url_name != "shared_preview"


def canonical(path: str) -> str | None:
    """The address of a page of ours that `path` means in another letter case or without its
    trailing slash, or None."""
    lower = path.lower()
    for candidate in (lower, lower + "/") if not lower.endswith("/") else (lower,):
        if candidate != path and _is_public_page(candidate):
            return candidate
    return None


def _on_site(target: str | None, path: str) -> str | None:
    """A target only if it is a path on this site and not the address asked for (no loops)."""
    if not target or not target.startswith("/") or target.startswith("//") or target == path:
        return None
    return target


def redirect_for(path: str) -> str | None:
    """Where an address that found no page lives now, or None for a 404. At most four queries:
    two for moved pages and two for the old-address rule."""
    if "\x00" in path or len(path) > MAX_PATH or not path.startswith("/"):
        return None
    own = _is_public_page(path) and path == path.lower()
    fixed = canonical(path)
    moved = MovedPath.redirect_for(path) or (MovedPath.redirect_for(fixed) if fixed else None)
    if moved:
        return _on_site(moved, path)
    stem = path.lower().rstrip("/") or "/"
    target = _on_site(_rule_target(stem), path)
    if target or own:
        return target
    return _on_site(fixed, path)
