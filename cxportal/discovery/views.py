import math

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from cxportal.discovery import search as site_search
from cxportal.discovery.sitemaps import SITEMAPS

PER_TYPE = 10  # hits per type when all types are shown
PER_PAGE = 20  # hits per page when one type is shown


@require_safe
def search(request):
    form = site_search.SearchForm(request.GET)
    form.is_valid()  # the errors are shown; whatever is valid is still used
    text = form.cleaned_data.get("q") or ""
    kind = site_search.KINDS_BY_KEY.get(form.cleaned_data.get("type") or "")
    page = form.cleaned_data.get("page") or 1
    groups, pages, suggestion = [], 0, ""
    if text:
        if kind:
            groups = site_search.search(text, [kind], (page - 1) * PER_PAGE, PER_PAGE)
            pages = math.ceil(groups[0].total / PER_PAGE) if groups else 0
        else:
            groups = site_search.search(text, limit=PER_TYPE)
            page = 1
        if not groups and page == 1:
            # Nothing found: perhaps a typo. Offered only if the corrected words find something.
            suggestion = site_search.suggest(text)
    context = {
        "form": form,
        "q": text,
        # What the box shows: the words searched for, or the start of words that were too long.
        "value": site_search.clean_text(request.GET.get("q", ""))[: site_search.MAX_LENGTH],
        "suggestion": suggestion,
        "max_length": site_search.MAX_LENGTH,
        "kind": kind,
        "groups": groups,
        "total": sum(group.total for group in groups),
        "page": page,
        "pages": pages,
        "per_type": PER_TYPE,
    }
    return render(request, "cxportal/search.html", context)


@require_safe
def sitemap(request):
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Allow: /",
        f"Disallow: {reverse('admin:index')}",
        f"Sitemap: {request.build_absolute_uri(reverse('discovery:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
