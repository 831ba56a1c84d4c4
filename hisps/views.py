"""The public HISP pages: the directory, a provider's profile and its CSV, an agency's providers,
and performance.gov's old profile addresses."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from content import stamps
from content.filters import wants_partial
from content.fiscal import FiscalQuarter
from content.preview import shows_archived
from content.publishing import last_updated
from hisps import charts
from hisps.forms import HispFilterForm
from hisps.models import (
    Agency,
    CxMeasure,
    Document,
    Hisp,
    LegacyPath,
    LegacyScore,
    QuarterlyReport,
    ReportingPeriod,
    Service,
)
from hisps.reporting import STATUS_KEY, data_coverage

PAGE_SIZE = 30
RECENT_QUARTERS = 4


def latest_quarters(count=RECENT_QUARTERS) -> list[FiscalQuarter]:
    """The latest published reporting periods, oldest first: a quarter still open or closed for
    review is not among them, so entering its data makes no provider look delinquent."""
    return ReportingPeriod.objects.latest_public(count)


def public_reports():
    return QuarterlyReport.objects.public().order_by("-fiscal_year", "-quarter")


@require_safe
@vary_on_headers("HX-Request")
def hisp_list(request):
    quarters = latest_quarters()
    form = HispFilterForm(request.GET, latest_quarter=quarters[-1] if quarters else None)
    hisps = form.apply(Hisp.objects.public().with_labels().select_related("agency", "bureau"))
    # Only what the status icons need: not the reflections' long text.
    reports = public_reports().only("hisp_id", "fiscal_year", "quarter", "rating")
    hisps = hisps.prefetch_related(
        Prefetch("quarterly_reports", queryset=reports, to_attr="public_reports")
    )
    page = Paginator(hisps, PAGE_SIZE).get_page(request.GET.get("page"))
    requested = request.GET.get("page", "")
    page_note = ""
    if requested not in ("", str(page.number)):
        page_note = f"There is no page “{requested[:20]}”. Showing page {page.number} of {page.paginator.num_pages}."
    partial = wants_partial(request)
    template = "hisps/hisp_list.html" + ("#results" if partial else "")
    context = {
        "form": form,
        "page": page,
        "rows": [(hisp, hisp.recent_reporting(quarters)) for hisp in page],
        "latest_quarter": form.latest_quarter,
        "page_note": page_note,
        "partial": partial,
        # What the count counts: the span of the current providers' published reports.
        "coverage": stamps.kept(
            "hisp-directory-coverage",
            [QuarterlyReport, Hisp, ReportingPeriod],
            lambda: data_coverage(public_reports().filter(hisp__active=True)),
        ),
        "status_key": STATUS_KEY,
    }
    return render(request, template, context)


def _survey_results(reports, measures, totals):
    """Charts and a table of the share agreeing, per A-11 measure (trust first) and quarter."""
    measures = sorted(measures, key=lambda measure: (measure.key != "trust", measure.order))
    quarters = set()
    if totals:
        first = min(quarter for quarter, _ in totals)
        quarters = {quarter for quarter, _ in totals}
        quarters |= {report.fiscal_quarter for report in reports if report.fiscal_quarter > first}
    quarters = charts.quarter_range(quarters)

    def value(quarter, measure):
        result = totals.get((quarter, measure.pk))
        return result.pct_agree if result else None

    def answers(quarter, measure):
        result = totals.get((quarter, measure.pk))
        return result.total if result else None

    values = {measure: [value(quarter, measure) for quarter in quarters] for measure in measures}
    scale = charts.fit(charts.PERCENT, [v for row in values.values() for v in row], [5, 10, 25])
    return {
        "measures": measures,
        "charts": [
            charts.line_chart(
                f"chart-{m.key}",
                m.label,
                quarters,
                values[m],
                scale,
                [answers(quarter, m) for quarter in quarters],
            )
            for m in measures
        ],
        # Each cell: the summed result (or None), and whether it rests on a small sample.
        "table": [
            (quarter, [_cell(totals.get((quarter, measure.pk))) for measure in measures])
            for quarter in quarters
        ],
        "small_sample": charts.SMALL_SAMPLE,
    }


def _cell(result):
    return result, bool(result) and charts.is_small_sample(result.total)


def _legacy_results(scores, measures):
    """The pre-2021 mean scores: charts and a table, per measure and quarter."""
    by_quarter = {}
    for score in scores:
        quarter = FiscalQuarter(score.fiscal_year, score.quarter)
        by_quarter.setdefault(quarter, {})[score.measure_id] = score
    quarters = charts.quarter_range(by_quarter)
    measures = sorted(measures, key=lambda measure: (measure.key != "trust", measure.order))
    measures = [m for m in measures if any(m.pk in row for row in by_quarter.values())]

    def value(quarter, measure):
        score = by_quarter.get(quarter, {}).get(measure.pk)
        return score.average_score if score else None

    table = []
    for quarter in quarters:
        row = by_quarter.get(quarter, {})
        respondents = next((s.respondents for s in row.values() if s.respondents), None)
        small = charts.is_small_sample(respondents)
        table.append((quarter, respondents, small, [value(quarter, m) for m in measures]))
    respondents = [row[1] for row in table]
    values = {measure: [value(quarter, measure) for quarter in quarters] for measure in measures}
    scale = charts.fit(
        charts.MEAN_SCORE, [v for row in values.values() for v in row], ["0.25", "0.5", "1"]
    )
    return {
        "measures": measures,
        "charts": [
            charts.line_chart(
                f"legacy-chart-{m.key}", m.label, quarters, values[m], scale, respondents
            )
            for m in measures
        ],
        "table": table,
    }


@require_safe
@shows_archived(Hisp, lambda slug: {"slug": slug})
def hisp_detail(request, slug):
    hisp = get_object_or_404(
        Hisp.objects.public().with_labels().select_related("agency", "bureau"), slug=slug
    )
    services = list(Service.objects.public().filter(hisp=hisp).order_by("name"))
    reports = list(public_reports().filter(hisp=hisp))
    earlier = list(hisp.earlier_designations.public().order_by("name"))
    later = list(hisp.later_designations.public().order_by("name"))
    measures = list(CxMeasure.objects.public())
    totals = hisp.survey_totals()
    scores = list(
        LegacyScore.objects.public()
        .filter(hisp__in=[hisp, *earlier], measure__in=[m.pk for m in measures])
        .order_by("fiscal_year", "quarter")
    )
    documents = list(
        Document.objects.public().filter(hisp__in=[hisp, *earlier]).select_related("hisp")
    )
    dated = [hisp, *services, *reports, *documents, *scores, *totals.values()]
    permalink = request.build_absolute_uri(hisp.get_absolute_url())
    context = {
        "hisp": hisp,
        "designated": [service for service in services if service.designated],
        "previous": [service for service in services if not service.designated],
        "reports": reports,
        "reflections": [report for report in reports if report.reflection.strip()],
        "earlier": earlier,
        "later": later,
        "results": _survey_results(reports, measures, totals),
        "legacy": _legacy_results(scores, measures) if scores else None,
        "documents": documents,
        "last_updated": last_updated(*dated),
        "permalink": permalink,
        "snippet": format_html(
            '<a href="{}">{}: customer experience on Performance.gov</a>', permalink, hisp.name
        ),
    }
    return render(request, "hisps/hisp_detail.html", context)


@require_safe
@shows_archived(Agency, lambda abbr: {"slug": abbr})
def agency_detail(request, abbr):
    agency = get_object_or_404(Agency.objects.public().select_related("parent"), slug=abbr)
    hisps = (
        Hisp.objects.public()
        .with_labels()
        .filter(Q(agency=agency) | Q(bureau=agency))
        .select_related("agency", "bureau")
        .prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.public().order_by("name"),
                to_attr="public_services",
            )
        )
        .order_by("-active", "name")
    )
    hisps = list(hisps)
    bureaus = (
        Agency.objects.public()
        .filter(parent=agency, bureau_hisps__in=Hisp.objects.public())
        .distinct()
        .order_by("name")
    )
    dated = [agency, *hisps, *(s for hisp in hisps for s in hisp.public_services)]
    context = {
        "agency": agency,
        "current": [hisp for hisp in hisps if hisp.active],
        "earlier": [hisp for hisp in hisps if not hisp.active],
        "bureaus": bureaus,
        "last_updated": last_updated(*dated),
    }
    return render(request, "hisps/agency_detail.html", context)


@require_safe
def agency_list(request):
    """The departments with public providers, and how many: the providers whose quarterly data is
    published here and the earlier (2020 list) entries, counted apart as the directory counts them."""
    counts = (
        Hisp.objects.public()
        .order_by()
        .values("agency_id")
        .annotate(
            current=Count("pk", filter=Q(active=True)), earlier=Count("pk", filter=Q(active=False))
        )
    )
    by_agency = {row["agency_id"]: row for row in counts}
    agencies = list(Agency.objects.public().filter(pk__in=by_agency).order_by("name"))
    rows = [
        (agency, by_agency[agency.pk]["current"], by_agency[agency.pk]["earlier"])
        for agency in agencies
    ]
    context = {
        "rows": rows,
        "current_total": sum(current for _, current, _ in rows),
        "earlier_total": sum(earlier for _, _, earlier in rows),
        "coverage": data_coverage(public_reports().filter(hisp__active=True)),
        "last_updated": last_updated(*agencies),
    }
    return render(request, "hisps/agency_list.html", context)


def dashboard_target(path: str) -> str:
    """Where an address of performance.gov's 2018–2021 dashboard (/cx/dashboard/…) lives now: a
    profile's page (its LegacyPath), else the directory. `path` is lower case, e.g.
    /cx/dashboard/va/vha/. A draft provider's old address goes to the directory too, as an
    unknown one does, so it gives nothing away. One query at most."""
    path = "/" + path.strip("/") + "/"
    if "\x00" not in path and len(path) <= LegacyPath._meta.get_field("path").max_length:
        legacy = LegacyPath.objects.public().select_related("hisp").filter(path=path).first()
        if legacy is not None:
            return legacy.hisp.get_absolute_url()
    return reverse("hisps:list")


@require_safe
def legacy_redirect(request, rest=""):
    """An old performance.gov dashboard address, e.g. /cx/dashboard/va/vha/: 301 to its page."""
    return HttpResponsePermanentRedirect(dashboard_target(request.path.lower()))
