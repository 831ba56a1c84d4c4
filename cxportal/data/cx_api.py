"""performance.gov's CX data API, kept working: the four JSON:API files that Touchpoints wrote.

Existing consumers (performance.gov's build script, GSA's analytics notebook) fetch
/cx/data/{service_providers,services,collections,omb_cx_reporting_collections}.json, read `data`,
flatten each item's `attributes` and join the files on collection_id, service_id and
service_provider_id. The shape and the attribute names are Touchpoints' own; the values come from
this site's database, published rows only, and only rows that carry their Touchpoints ids.

The organization attributes are Touchpoints' own, as imported (`TouchpointsOrganization`): a
provider's and its services' from the provider, a survey's and its collection's from the survey,
since Touchpoints filed a collection under an organization of its own. A record made on this site
has none: its organization_id is null and its department stands in for the name. Other
Touchpoints-only attributes (user_id, integrity_hash, contact_center…) are null.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject

from content.fiscal import FiscalQuarter
from content.publishing import label
from cxportal.data.datasets import CHUNK_SIZE, POINTS, Counts
from hisps.models import Agency, Hisp, QuarterlyReport, Service, ServiceSurvey, SurveyResult

COLLECTION_NAME = "CX Quarterly Reporting"
QUESTIONS = range(1, 12)
RATINGS = {
    QuarterlyReport.Rating.IN_LINE: "TRUE",
    QuarterlyReport.Rating.PARTIAL: "PARTIAL",
    QuarterlyReport.Rating.NOT_REPORTED: "FALSE",
}
DIGITAL = {"computer", "email", "mobile", "website"}
PHONE = {"phone", "automated_phone"}


def touchpoints_time(moment: datetime.datetime | None) -> str | None:
    """A time as Touchpoints wrote it: UTC, milliseconds, "Z"."""
    if moment is None:
        return None
    utc = moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
    return utc.replace("+00:00", "Z")


ORGANIZATION = [
    "touchpoints_organization_id",
    "touchpoints_organization_name",
    "touchpoints_organization_abbreviation",
]


def _organization_fields(prefix: str = "") -> list[str]:
    return [f"{prefix}{field}" for field in ORGANIZATION]


def _organization(row: dict, prefix: str, agency: tuple[str, str]) -> dict:
    """organization_id, _name and _abbreviation: the Touchpoints organization's, or for a record
    made on this site null and its department's (name, abbreviation) `agency`."""
    ident, name, abbreviation = (row[field] for field in _organization_fields(prefix))
    if ident is None:
        name, abbreviation = agency
    return {
        "organization_id": ident,
        "organization_name": name,
        "organization_abbreviation": abbreviation,
    }


def _spelt(touchpoints_name: str, name: str) -> str:
    """The name as Touchpoints spelt it (a stray space included), while it still reads as the
    site's name; an editor's rename wins."""
    return touchpoints_name if touchpoints_name.strip() == name else name


def _item(kind: str, ident: int, attributes: dict, relationships: dict | None = None) -> dict:
    item = {"id": str(ident), "type": kind, "attributes": attributes}
    if relationships is not None:
        item["relationships"] = relationships
    return item


def service_providers() -> Iterator[dict]:
    services = (
        Service.objects.public()
        .filter(hisp=OuterRef("pk"))
        .order_by()
        .values("hisp")
        .annotate(count=Count("pk"))
        .values("count")
    )
    continues = Hisp.earlier_designations.through.objects.filter(from_hisp=OuterRef("pk"))
    rows = (
        Hisp.objects.public()
        .filter(touchpoints_id__isnull=False)
        .order_by("touchpoints_id")
        .values(
            "touchpoints_id",
            "name",
            "slug",
            "year_designated",
            "description",
            "active",
            "url",
            *_organization_fields(),
            agency_name=label(Hisp, "agency", "name"),
            agency_abbreviation=label(Hisp, "agency", "abbreviation"),
            agency_slug=label(Hisp, "agency", "slug"),
            bureau_name=label(Hisp, "bureau", "name"),
            continues=Exists(continues),
            services_count=Coalesce(Subquery(services), 0, output_field=IntegerField()),
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        organization = _organization(row, "", (row["agency_name"], row["agency_abbreviation"]))
        yield _item(
            "service_providers",
            row["touchpoints_id"],
            {
                "organization_id": organization["organization_id"],
                "organization_abbreviation": organization["organization_abbreviation"],
                "organization_name": organization["organization_name"],
                "name": row["name"],
                "slug": row["slug"],
                "year_designated": row["year_designated"],
                "description": row["description"],
                "notes": "",
                "department": row["agency_slug"],
                "department_abbreviation": row["agency_abbreviation"],
                "bureau": row["bureau_name"],
                "inactive": not row["active"],
                "url": row["url"] or None,
                "new": not row["continues"],
                "services_count": row["services_count"],
            },
        )


def services() -> Iterator[dict]:
    rows = (
        Service.objects.public()
        .filter(touchpoints_id__isnull=False)
        .order_by("touchpoints_id")
        .values(
            "touchpoints_id",
            "name",
            "description",
            "previously_reported",
            "touchpoints_slug",
            "touchpoints_name",
            "channels",
            "hisp__touchpoints_id",
            "hisp__name",
            "hisp__slug",
            *_organization_fields("hisp__"),
            hisp_agency_name=label(Service, "hisp__agency", "name"),
            hisp_agency_abbreviation=label(Service, "hisp__agency", "abbreviation"),
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        channels = set(row["channels"])
        organization = _organization(
            row, "hisp__", (row["hisp_agency_name"], row["hisp_agency_abbreviation"])
        )
        yield _item(
            "services",
            row["touchpoints_id"],
            {
                "name": _spelt(row["touchpoints_name"], row["name"]),
                "description": row["description"],
                "organization_id": organization["organization_id"],
                "organization_abbreviation": organization["organization_abbreviation"],
                "organization_name": organization["organization_name"],
                "service_provider_id": row["hisp__touchpoints_id"],
                "service_provider_name": row["hisp__name"],
                "service_provider_slug": row["hisp__slug"],
                "short_description": None,
                "year_designated": None,
                "previously_reported": row["previously_reported"],
                "contact_center": None,
                "kind": None,
                "transactional": None,
                "notes": "",
                "hisp": True,
                "service_slug": row["touchpoints_slug"],
                "url": "",
                "homepage_url": None,
                # Touchpoints wrote channels as tag objects; their name is the channel.
                "channels": [{"name": channel} for channel in row["channels"]],
                "tags": [],
                "available_in_person": "in_person" in channels,
                "available_digitally": bool(channels & DIGITAL),
                "available_via_phone": bool(channels & PHONE),
                "aasm_state": "published",
            },
        )


def _touchpoints_surveys():
    return ServiceSurvey.objects.public().filter(
        touchpoints_id__isnull=False, touchpoints_collection_id__isnull=False
    )


def collections() -> Iterator[dict]:
    rows = (
        _touchpoints_surveys()
        .order_by("touchpoints_collection_id")
        .values(
            "touchpoints_collection_id",
            "report__fiscal_year",
            "report__quarter",
            "report__rating",
            "report__reflection",
            "report__hisp__touchpoints_id",
            "report__hisp__name",
            report_agency_name=label(ServiceSurvey, "report__hisp__agency", "name"),
            report_agency_abbreviation=label(ServiceSurvey, "report__hisp__agency", "abbreviation"),
        )
        .annotate(
            surveys=ArrayAgg("touchpoints_id", order_by="touchpoints_id"),
            changed=Max("report__updated_at"),
            # The collection's organization: its surveys share it (Max keeps one row if not).
            **{f"collection_{field}": Max(field) for field in ORGANIZATION},
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        quarter = FiscalQuarter(row["report__fiscal_year"], row["report__quarter"])
        agency = (row["report_agency_name"], row["report_agency_abbreviation"])
        yield _item(
            "collections",
            row["touchpoints_collection_id"],
            {
                "name": COLLECTION_NAME,
                "start_date": quarter.start_date.isoformat(),
                "end_date": quarter.end_date.isoformat(),
                **_organization(row, "collection_", agency),
                "year": quarter.year,
                "quarter": quarter.quarter,
                "service_provider_id": row["report__hisp__touchpoints_id"],
                "service_provider_name": row["report__hisp__name"],
                "integrity_hash": None,
                "aasm_state": "published",
                "reflection": row["report__reflection"],
                "rating": RATINGS.get(row["report__rating"]),
                "user_id": None,
                "updated_at": touchpoints_time(row["changed"]),
            },
            {
                "omb_cx_reporting_collections": {
                    "data": [
                        {"id": str(survey), "type": "omb_cx_reporting_collections"}
                        for survey in row["surveys"]
                    ]
                }
            },
        )


def _question_attributes(questions: list[dict], blank_texts: dict) -> dict:
    """q1_text, q1_1 … q1_5, q1_point_scale … q11_point_scale; a blank slot has zeros, and the
    text Touchpoints held for it (`blank_texts`, by number), else ""."""
    by_number = {question["number"]: question for question in questions}
    attributes = {}
    for number in QUESTIONS:
        question = by_number.get(number)
        counts = [question[point] for point in POINTS] if question else [0] * 5
        mean = Counts(*counts).mean
        attributes[f"q{number}_text"] = (
            question["text"] if question else blank_texts.get(str(number), "")
        )
        for point, count in enumerate(counts, start=1):
            attributes[f"q{number}_{point}"] = count
        attributes[f"q{number}_point_scale"] = None if mean is None else float(mean)
    return attributes


def omb_cx_reporting_collections() -> Iterator[dict]:
    questions = (
        SurveyResult.objects.public()
        .filter(survey=OuterRef("pk"))
        .order_by("question_number")
        .values(
            json=JSONObject(
                number="question_number", text="question_text", **{p: p for p in POINTS}
            )
        )
    )
    rows = (
        _touchpoints_surveys()
        .order_by("touchpoints_id")
        .values(
            "touchpoints_id",
            "touchpoints_collection_id",
            "service_provided",
            "transaction_point",
            "channel",
            "volume_of_customers",
            "volume_offered_survey",
            "volume_of_respondents",
            "omb_control_number",
            "federal_register_url",
            "operational_metrics",
            "reported_created_at",
            "reported_updated_at",
            "report__fiscal_year",
            "report__quarter",
            "report__hisp__touchpoints_id",
            "report__hisp__name",
            "service__touchpoints_id",
            "service__name",
            "service__touchpoints_slug",
            "service__touchpoints_name",
            "touchpoints_blank_texts",
            *_organization_fields(),
            report_agency_name=label(ServiceSurvey, "report__hisp__agency", "name"),
            report_agency_abbreviation=label(ServiceSurvey, "report__hisp__agency", "abbreviation"),
            questions=ArraySubquery(questions),
        )
    )
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        agency = (row["report_agency_name"], row["report_agency_abbreviation"])
        yield _item(
            "omb_cx_reporting_collections",
            row["touchpoints_id"],
            {
                **_organization(row, "", agency),
                "service_provider_id": row["report__hisp__touchpoints_id"],
                "service_provider_name": row["report__hisp__name"],
                "collection_id": row["touchpoints_collection_id"],
                "collection_name": COLLECTION_NAME,
                "collection_year": row["report__fiscal_year"],
                "collection_quarter": row["report__quarter"],
                "service_provided": row["service_provided"],
                "transaction_point": row["transaction_point"],
                "channel": row["channel"],
                "volume_of_customers": row["volume_of_customers"],
                "volume_of_customers_provided_survey_opportunity": row["volume_offered_survey"],
                "volume_of_respondents": row["volume_of_respondents"],
                "omb_control_number": row["omb_control_number"],
                "federal_register_url": row["federal_register_url"],
                **_question_attributes(row["questions"], row["touchpoints_blank_texts"]),
                "created_at": touchpoints_time(row["reported_created_at"]),
                "updated_at": touchpoints_time(row["reported_updated_at"]),
                "operational_metrics": row["operational_metrics"],
                "service_id": row["service__touchpoints_id"],
                "service_name": _spelt(row["service__touchpoints_name"], row["service__name"]),
                "service_slug": row["service__touchpoints_slug"],
            },
        )


@dataclass(frozen=True)
class Endpoint:
    name: str
    description: str
    items: object  # a function yielding the JSON:API items
    models: tuple  # every model that feeds it, for Last-Modified


QUESTION_ATTRIBUTES = "q1_text, q1_1 … q1_5, q1_point_scale, and so on to q11_point_scale"

ENDPOINTS = {
    endpoint.name: endpoint
    for endpoint in (
        Endpoint(
            "service_providers",
            "The HISPs that report in Touchpoints. Each item's id is the provider's Touchpoints id.",
            service_providers,
            (Hisp, Agency, Service),
        ),
        Endpoint(
            "services",
            "Their designated services. Each item's id is the service's Touchpoints id; "
            "service_provider_id names its HISP.",
            services,
            (Service, Hisp, Agency),
        ),
        Endpoint(
            "collections",
            "One item per quarterly report (a Touchpoints collection): its fiscal year and "
            "quarter, OMB's rating (TRUE, PARTIAL or FALSE) and the agency's reflection. "
            "relationships.omb_cx_reporting_collections lists the surveys filed in it.",
            collections,
            (ServiceSurvey, QuarterlyReport, Service, Hisp, Agency),
        ),
        Endpoint(
            "omb_cx_reporting_collections",
            "One item per survey (a service on one channel in one quarter): the volumes, and "
            "for questions 1 to 11 the text, the count of answers at each point of the 5-point "
            "scale and the mean computed from them. A blank question slot has empty text and "
            "zero counts.",
            omb_cx_reporting_collections,
            (SurveyResult, ServiceSurvey, QuarterlyReport, Service, Hisp, Agency),
        ),
    )
}

ATTRIBUTES = {
    "service_providers": [
        "organization_id", "organization_abbreviation", "organization_name", "name", "slug",
        "year_designated", "description", "notes", "department", "department_abbreviation",
        "bureau", "inactive", "url", "new", "services_count",
    ],
    "services": [
        "name", "description", "organization_id", "organization_abbreviation",
        "organization_name", "service_provider_id", "service_provider_name",
        "service_provider_slug", "short_description", "year_designated", "previously_reported",
        "contact_center", "kind", "transactional", "notes", "hisp", "service_slug", "url",
        "homepage_url", "channels", "tags", "available_in_person", "available_digitally",
        "available_via_phone", "aasm_state",
    ],
    "collections": [
        "name", "start_date", "end_date", "organization_id", "organization_name",
        "organization_abbreviation", "year", "quarter", "service_provider_id",
        "service_provider_name", "integrity_hash", "aasm_state", "reflection", "rating",
        "user_id", "updated_at",
    ],
    "omb_cx_reporting_collections": [
        "organization_id", "organization_name", "organization_abbreviation",
        "service_provider_id", "service_provider_name", "collection_id", "collection_name",
        "collection_year", "collection_quarter", "service_provided", "transaction_point",
        "channel", "volume_of_customers", "volume_of_customers_provided_survey_opportunity",
        "volume_of_respondents", "omb_control_number", "federal_register_url",
        QUESTION_ATTRIBUTES, "created_at", "updated_at", "operational_metrics", "service_id",
        "service_name", "service_slug",
    ],
}  # fmt: skip
