"""/data.json: the Project Open Data catalog (DCAT-US 1.1) of the open data, for data.gov to harvest.

The catalog is built from the registries, so a dataset added to `DATASETS` (or an endpoint to the
CX data API) is listed with no change here. Dates describe the public content only: `modified` is
the newest "Last updated" of the public rows that feed a dataset (the content's own date, never an
import's; `UNDATED` where none has one), and `temporal` the fiscal quarters or dates its public
rows cover. A draft changes neither. The fixed facts of the publisher are in ADR 0022.
"""

import datetime

from django.db.models import F, Max, Min, Q, Value
from django.urls import reverse
from django.utils import timezone

from content.fiscal import FiscalQuarter
from content.publishing import public_q
from cxportal.data.cx_api import ENDPOINTS
from cxportal.data.datasets import DATASETS, DATE

SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"
CONTEXT = f"{SCHEMA}/catalog.jsonld"
DESCRIBED_BY = f"{SCHEMA}/catalog.json"
# OMB publishes the priority area's reporting; its code in OMB Circular A-11, Appendix C.
PUBLISHER = {
    "@type": "org:Organization",
    "name": "Office of Management and Budget",
    "subOrganizationOf": {"@type": "org:Organization", "name": "Executive Office of the President"},
}
BUREAU_CODE = ["100:55"]
# No Federal Program Inventory program covers this reporting: the code for "none".
PROGRAM_CODE = ["000:000"]
# The HISPs report their CX data through Touchpoints, whose team answers questions about it.
CONTACT = {
    "@type": "vcard:Contact",
    "fn": "GSA Feedback Analytics Team (Touchpoints)",
    "hasEmail": "mailto:feedback-analytics@gsa.gov",
}
LICENSE = "https://www.usa.gov/government-works"
SPATIAL = "United States"
KEYWORDS = ["customer experience", "President's Management Agenda", "A-11 Section 280"]
# `modified` where no public row has a date of its own (imported rows whose source gave none): an
# ISO 8601 repeating interval, which DCAT-US allows, saying the data is reviewed each quarter,
# rather than a made-up day such as the import's.
UNDATED = "R/P3M"
MEDIA_TYPES = {"csv": ("text/csv", "CSV"), "json": ("application/json", "JSON")}


def content_dates(models) -> dict:
    """For each model, the newest "Last updated" of its public rows (None where no row has a
    known date), in one query."""
    parts = [
        model.objects.filter(public_q(model), last_updated__isnull=False)
        .annotate(data_model=Value(model._meta.label))
        .order_by("-last_updated")
        .values_list("data_model", "last_updated")[:1]
        for model in models
    ]
    first, *rest = parts
    newest = dict(first.union(*rest, all=True))
    return {model: newest.get(model._meta.label) for model in models}


def _day(moment: datetime.datetime) -> str:
    return timezone.localdate(moment).isoformat()


def _field_key(dataset, name: str, type_: str | None = None) -> str | None:
    """The lookup of the dataset's field `name` (or of its first field of type `type_`)."""
    for field in dataset.fields:
        if (field.name == name or field.type == type_) and not (field.compute or field.expression):
            return field.key
    return None


def temporal(dataset) -> str | None:
    """ "start/end" of the fiscal quarters (or the dates) its public rows cover, if it has them."""
    year, quarter = _field_key(dataset, "fiscal_year"), _field_key(dataset, "quarter")
    if year and quarter:
        rows = dataset.public().filter(**{f"{year}__isnull": False, f"{quarter}__isnull": False})
        span = rows.aggregate(
            first=Min(F(year) * 10 + F(quarter)), last=Max(F(year) * 10 + F(quarter))
        )
        if span["first"] is None:
            return None
        start = FiscalQuarter(*divmod(span["first"], 10)).start_date
        end = FiscalQuarter(*divmod(span["last"], 10)).end_date
        return f"{start.isoformat()}/{end.isoformat()}"
    day = _field_key(dataset, "", DATE)
    if day:
        span = (
            dataset.public()
            .filter(~Q(**{f"{day}__isnull": True}))
            .aggregate(first=Min(day), last=Max(day))
        )
        if span["first"]:
            return f"{span['first'].isoformat()}/{span['last'].isoformat()}"
    return None


def _distribution(request, title: str, url: str, fmt: str, described_by: str) -> dict:
    media_type, label = MEDIA_TYPES[fmt]
    return {
        "@type": "dcat:Distribution",
        "title": f"{title} ({label})",
        "downloadURL": request.build_absolute_uri(url),
        "mediaType": media_type,
        "format": label,
        "describedBy": described_by,
        "describedByType": "text/html",
    }


def _entry(request, *, identifier, title, description, modified, distributions, landing, period):
    entry = {
        "@type": "dcat:Dataset",
        "identifier": request.build_absolute_uri(identifier),
        "title": title,
        "description": " ".join(description.split()),
        "keyword": [*KEYWORDS, title],
        "modified": modified,
        "publisher": PUBLISHER,
        "contactPoint": CONTACT,
        "accessLevel": "public",
        "bureauCode": BUREAU_CODE,
        "programCode": PROGRAM_CODE,
        "license": LICENSE,
        "spatial": SPATIAL,
        "landingPage": request.build_absolute_uri(landing),
        "describedBy": request.build_absolute_uri(landing),
        "describedByType": "text/html",
        "distribution": distributions,
    }
    if period:
        entry["temporal"] = period
    return entry


def catalog(request) -> dict:
    index = reverse("data:index")
    models = {model for d in DATASETS.values() for model in d.models}
    models |= {model for e in ENDPOINTS.values() for model in e.models}
    dates = content_dates(models)

    def modified(feeding) -> str:
        newest = max(filter(None, (dates[model] for model in feeding)), default=None)
        return _day(newest) if newest else UNDATED

    entries = []
    for dataset in DATASETS.values():
        landing = f"{index}#{dataset.name}"
        described_by = request.build_absolute_uri(landing)
        distributions = [
            _distribution(
                request,
                dataset.title,
                reverse("data:download", kwargs={"name": dataset.name, "format": fmt}),
                fmt,
                described_by,
            )
            for fmt in MEDIA_TYPES
        ]
        entries.append(
            _entry(
                request,
                identifier=landing,
                title=dataset.title,
                description=dataset.description,
                modified=modified(dataset.models),
                distributions=distributions,
                landing=landing,
                period=temporal(dataset),
            )
        )
    for name, endpoint in ENDPOINTS.items():
        landing = f"{index}#cx-data-api"
        title = f"performance.gov CX data API: {name}.json"
        url = reverse("data:cx_api", kwargs={"name": name})
        entries.append(
            _entry(
                request,
                identifier=url,  # the four files share their landing page
                title=title,
                description=endpoint.description,
                modified=modified(endpoint.models),
                distributions=[
                    _distribution(request, title, url, "json", request.build_absolute_uri(landing))
                ],
                landing=landing,
                period=None,
            )
        )
    return {
        "@context": CONTEXT,
        "@id": request.build_absolute_uri(reverse("data_catalog")),
        "@type": "dcat:Catalog",
        "conformsTo": SCHEMA,
        "describedBy": DESCRIBED_BY,
        "dataset": entries,
    }
