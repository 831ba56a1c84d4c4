"""/cx/data/: the open datasets as CSV and JSON, performance.gov's CX data API, and each HISP's
survey results (/cx/hisps/<slug>/results.csv: the survey results dataset, for one provider).

Downloads stream: rows come from a database cursor and go out one at a time. Each carries
Last-Modified and answers If-Modified-Since with 304.
"""

import csv
import datetime
import decimal
import json
from collections.abc import Callable, Iterable, Iterator

from django.db.models import Max
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import condition, require_safe

from cxportal.data.cx_api import ATTRIBUTES, ENDPOINTS
from cxportal.data.datasets import DATASETS, SURVEY_RESULTS, last_modified, newest_changes
from hisps.models import CxMeasure, Hisp, SurveyResult

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
    changes = newest_changes({model for d in DATASETS.values() for model in d.models})
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
