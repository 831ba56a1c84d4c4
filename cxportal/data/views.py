"""/cx/data/: the open datasets as CSV and JSON, performance.gov's CX data API, and each HISP's
survey results (/cx/hisps/<slug>/results.csv: the survey results dataset, for one provider).

Downloads stream: rows come from a database cursor and go out one at a time. Each carries
Last-Modified and answers If-Modified-Since with 304.
"""

import csv
import datetime
import decimal
import functools
import json
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import condition, require_safe

from content.fiscal import FiscalQuarter
from cxportal.data.catalog import catalog as data_catalog
from cxportal.data.catalog import content_dates
from cxportal.data.cx_api import ATTRIBUTES, ENDPOINTS
from cxportal.data.datasets import DATASETS, SURVEY_RESULTS, last_modified
from hisps.models import CxMeasure, Hisp, Service, SurveyResult

LIST_SEPARATOR = " | "


def _json_value(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _dumps(value) -> str:
    return json.dumps(value, default=_json_value, ensure_ascii=False)


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def csv_stream(dataset, queryset=None) -> Iterator[str]:
    """The dataset (or the rows of `queryset`, a narrower set of it) as CSV, a line at a time."""
    writer = csv.writer(_Echo())
    yield writer.writerow([field.name for field in dataset.fields])
    for row in dataset.rows(queryset):
        yield writer.writerow([_csv_cell(value) for value in row.values()])


def json_array_stream(items: Iterable[dict]) -> Iterator[str]:
    """A JSON array, written one element at a time."""
    yield "["
    separator = "\n"
    for item in items:
        yield separator + _dumps(item)
        separator = ",\n"
    yield "\n]\n"


def json_api_stream(items: Iterable[dict]) -> Iterator[str]:
    """A JSON:API document {"data": [...]}, written one item at a time."""
    yield '{"data": ['
    separator = "\n"
    for item in items:
        yield separator + _dumps(item)
        separator = ",\n"
    yield "\n]}\n"


FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_stream),
    "json": ("application/json", lambda dataset: json_array_stream(dataset.rows())),
}


def _stream(request, models, content_type: str, body: Callable[[], Iterator[str]], filename=""):
    """Answer 304 if the client's copy is current; else stream the body with Last-Modified."""
    newest = last_modified(models)
    stamp = int(newest.timestamp()) if newest else None
    response = get_conditional_response(request, last_modified=stamp)
    if response is None:
        if request.method == "HEAD":
            response = HttpResponse(content_type=content_type)
        else:
            response = StreamingHttpResponse(body(), content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    # Open data: any site may fetch it from a browser (no credentials are involved).
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def index(request):
    # The content's own dates ("Last updated" of the public rows), never an import's.
    changes = content_dates({model for d in DATASETS.values() for model in d.models})
    datasets = []
    for dataset in DATASETS.values():
        updated = [changes[model] for model in dataset.models if changes[model]]
        datasets.append(
            {"dataset": dataset, "rows": dataset.count(), "updated": max(updated, default=None)}
        )
    endpoints = [
        {"endpoint": endpoint, "attributes": ATTRIBUTES[name]}
        for name, endpoint in ENDPOINTS.items()
    ]
    return render(
        request,
        "cxportal/data_index.html",
        {
            "datasets": datasets,
            "endpoints": endpoints,
            "measures": CxMeasure.objects.public(),
            "formats": list(FORMATS),
            "list_separator": LIST_SEPARATOR.strip(),
            "updated": max(filter(None, changes.values()), default=None),
        },
    )


# The addresses the methods page may cite as sources: performance.gov and GSA's own repositories,
# never a branch preview or a staging host that a data file names as where it was read.
OFFICIAL_SOURCES = ("https://www.performance.gov/", "https://github.com/GSA/")


@functools.cache
def _measures_reference(path) -> dict:
    """cx_measures.json, the repository's record of the A-11 measures: the scale, the trust
    question's templates and the variants agencies used, and the sources, read once."""
    return json.loads(path.read_text(encoding="utf-8"))


def _official(sources: list[dict]) -> list[str]:
    urls = [source.get("url") or "" for source in sources]
    urls += [f"https://github.com/{s['repo']}" for s in sources if s.get("repo")]
    return [url for url in dict.fromkeys(urls) if url.startswith(OFFICIAL_SOURCES)]


@require_safe
def methods(request):
    """How the figures are made: the measures, the scale, the computed shares and means, the
    channels, the fiscal quarters and the API's fields."""
    reference = _measures_reference(
        settings.BASE_DIR / "data" / "performance_gov" / "cx_measures.json"
    )
    return render(
        request,
        "cxportal/data_methods.html",
        {
            "measures": CxMeasure.objects.public(),
            "reference": reference,
            "reference_sources": _official(reference.get("sources", [])),
            "channels": Service.Channel.choices,
            "endpoints": ENDPOINTS.values(),
            "quarters": [FiscalQuarter(2023, q) for q in range(1, 5)],
        },
    )


@require_safe
def download(request, name, format):
    dataset = DATASETS.get(name)
    if dataset is None or format not in FORMATS:
        raise Http404("No such dataset or format.")
    content_type, writer = FORMATS[format]
    return _stream(
        request, dataset.models, content_type, lambda: writer(dataset), f"{name}.{format}"
    )


@require_safe
def cx_api(request, name):
    endpoint = ENDPOINTS[name]  # the URL pattern admits only the four names
    return _stream(
        request, endpoint.models, "application/json", lambda: json_api_stream(endpoint.items())
    )


def _hisp_results_changed(request, slug):
    hisp = Hisp.objects.public().filter(slug=slug).first()
    if hisp is None:
        return None
    latest = hisp.public_survey_results().aggregate(
        result_updated=Max("updated_at"),
        survey_updated=Max("survey__updated_at"),
        report_updated=Max("survey__report__updated_at"),
        service_updated=Max("survey__service__updated_at"),
    )
    return max([hisp.updated_at, *filter(None, latest.values())])


@require_safe
@condition(last_modified_func=_hisp_results_changed)
def hisp_results_csv(request, slug):
    """The survey results dataset, for one provider: every answer count, one row per question."""
    hisp = get_object_or_404(Hisp.objects.public(), slug=slug)
    results = SurveyResult.objects.public().filter(survey__report__hisp=hisp)
    response = StreamingHttpResponse(
        csv_stream(SURVEY_RESULTS, results), content_type=FORMATS["csv"][0]
    )
    response["Content-Disposition"] = f'attachment; filename="{hisp.slug}-survey-results.csv"'
    return response


@require_safe
def catalog(request):
    """/data.json: the DCAT-US 1.1 catalog of the datasets and the CX data API files."""
    response = JsonResponse(data_catalog(request), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
