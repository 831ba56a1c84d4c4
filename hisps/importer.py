"""Load agencies, HISPs, services, CX measures, quarterly reports, survey results and documents."""

import datetime
import re
from zoneinfo import ZoneInfo

from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from content.fiscal import FiscalQuarter
from content.importing import DataDir, Record, Upserter
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
    ServiceSurvey,
    SurveyResult,
)

EASTERN = ZoneInfo("America/New_York")

# Departments and independent agencies, with the names the data files use for them. The slug is the
# abbreviation performance.gov used in its /cx/dashboard/<dept>/ paths, so agency URLs match old links.
DEPARTMENTS = [
    (
        "usda",
        "USDA",
        "U.S. Department of Agriculture",
        "https://www.usda.gov",
        ["Department of Agriculture"],
    ),
    (
        "doc",
        "DOC",
        "U.S. Department of Commerce",
        "https://www.commerce.gov",
        ["Department of Commerce"],
    ),
    (
        "dod",
        "DOD",
        "U.S. Department of Defense",
        "https://www.defense.gov",
        ["Department of Defense"],
    ),
    ("ed", "ED", "U.S. Department of Education", "https://www.ed.gov", ["Department of Education"]),
    (
        "hhs",
        "HHS",
        "U.S. Department of Health and Human Services",
        "https://www.hhs.gov",
        [
            "Department of Health & Human Services",
            "Department of Health and Human Services",
            "U.S. Department of Health & Human Services",
        ],
    ),
    (
        "dhs",
        "DHS",
        "U.S. Department of Homeland Security",
        "https://www.dhs.gov",
        ["Department of Homeland Security"],
    ),
    (
        "hud",
        "HUD",
        "U.S. Department of Housing and Urban Development",
        "https://www.hud.gov",
        ["Department of Housing and Urban Development"],
    ),
    (
        "doi",
        "DOI",
        "U.S. Department of the Interior",
        "https://www.doi.gov",
        ["Department of the Interior", "Department of Interior"],
    ),
    ("dol", "DOL", "U.S. Department of Labor", "https://www.dol.gov", ["Department of Labor"]),
    ("dos", "State", "U.S. Department of State", "https://www.state.gov", ["Department of State"]),
    (
        "treas",
        "Treasury",
        "U.S. Department of the Treasury",
        "https://home.treasury.gov",
        ["Department of the Treasury", "Department of Treasury"],
    ),
    (
        "va",
        "VA",
        "U.S. Department of Veterans Affairs",
        "https://www.va.gov",
        ["Department of Veterans Affairs"],
    ),
    ("gsa", "GSA", "General Services Administration", "https://www.gsa.gov", []),
    ("opm", "OPM", "Office of Personnel Management", "https://www.opm.gov", []),
    ("omb", "OMB", "Office of Management and Budget", "https://www.whitehouse.gov/omb/", []),
    ("sba", "SBA", "Small Business Administration", "https://www.sba.gov", []),
    ("ssa", "SSA", "Social Security Administration", "https://www.ssa.gov", []),
    (
        "usaid",
        "USAID",
        "U.S. Agency for International Development",
        "https://www.usaid.gov",
        ["United States Agency for International Development"],
    ),
    ("usds", "USDS", "U.S. Digital Service", "https://www.usds.gov", []),
    ("multi", "Multi-agency", "Multi-Agency", "", []),
]

RATINGS = {
    "TRUE": QuarterlyReport.Rating.IN_LINE,
    "PARTIAL": QuarterlyReport.Rating.PARTIAL,
    "FALSE": QuarterlyReport.Rating.NOT_REPORTED,
}
RATING_RANK = [
    QuarterlyReport.Rating.NOT_REPORTED,
    QuarterlyReport.Rating.PARTIAL,
    QuarterlyReport.Rating.IN_LINE,
]
CHANNELS = {"": "", **{value: value for value in Service.Channel.values}}
QUESTIONS = range(1, 12)
POINTS = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]


def _words(text: str) -> str:
    return " ".join((text or "").split())


class Agencies:
    """Finds or makes the Agency row for a department or bureau named in the data."""

    def __init__(self, upserter: Upserter):
        self.upserter = upserter
        self.by_name: dict[str, tuple] = {}
        for slug, abbreviation, name, url, aliases in DEPARTMENTS:
            for alias in [name, *aliases]:
                self.by_name[alias.casefold()] = (slug, abbreviation, name, url)
        self.rows: dict[str, Agency] = {}

    def known(self, name: str) -> bool:
        return (name or "").strip().casefold() in self.by_name

    def department(self, name: str, record: Record, field: str) -> Agency:
        entry = self.by_name.get((name or "").strip().casefold())
        if entry is None:
            record.fail(field, f"{name!r} is not a department or agency this importer knows")
        slug, abbreviation, full_name, url = entry
        return self._row(
            record,
            slug,
            {"name": full_name, "abbreviation": abbreviation, "url": url, "parent": None},
        )

    def bureau(self, department: Agency, name: str, abbreviation: str, record: Record) -> Agency:
        slug = f"{department.slug}-{slugify(abbreviation or name)}"
        fields = {
            "name": name,
            "abbreviation": (abbreviation or "").upper(),
            "url": "",
            "parent": department,
        }
        return self._row(record, slug, fields)

    def _row(self, record, slug, fields):
        if slug not in self.rows:
            self.rows[slug] = self.upserter.upsert(
                Agency, record, f"agency:{slug}", fields, on_create={"slug": slug}
            )
        return self.rows[slug]


def load(data: DataDir, up: Upserter, agencies: Agencies, log) -> None:
    measures = _load_measures(data, up)
    spellings = ExportSpellings(data)
    hisps = _load_hisps(data, up, agencies, spellings.organizations)
    services = _load_services(data, up, hisps, spellings)
    _check_hisp_services(data, services)
    reports = _load_reports(data, up, hisps)
    by_survey = _load_surveys(data, up, hisps, services, reports, measures, log)
    up.flush()
    _check_long_results(data, by_survey)
    _load_legacy_scores(data, up, hisps, measures)
    _load_documents(data, up, hisps)
    _publish_periods()


def _publish_periods():
    """A published reporting period for every quarter of the imported reports: performance.gov
    published them. A period that already exists (one an OMB publisher opened) is left as it is.

    The source does not say when each quarter went public; the day after the quarter ended is the
    earliest it could have, and it is not shown to the public.
    """
    quarters = QuarterlyReport.objects.values_list("fiscal_year", "quarter").distinct()
    existing = set(ReportingPeriod.objects.values_list("fiscal_year", "quarter"))
    new = []
    for year, quarter in sorted(set(quarters) - existing):
        day_after = FiscalQuarter(year, quarter).end_date + datetime.timedelta(days=1)
        new.append(
            ReportingPeriod(
                fiscal_year=year,
                quarter=quarter,
                status=ReportingPeriod.State.PUBLISHED,
                publish_at=datetime.datetime.combine(day_after, datetime.time(), tzinfo=EASTERN),
                note="Imported: published on performance.gov.",
            )
        )
    bulk_create_with_history(
        new, ReportingPeriod, default_change_reason="Imported from performance.gov data"
    )


def _load_measures(data, up):
    file = "cx_measures.json"
    document = data.json(file, kind=dict)
    record = Record(file, "(file)", document)
    measures = {}
    for order, item in enumerate(record.items("measures"), start=1):
        if not isinstance(item, dict):
            record.fail("measures", "each measure must be an object")
        measure = Record(file, f"measures[{order}]", item)
        key = measure.text("key", required=True)
        measures[key] = up.upsert(
            CxMeasure,
            measure,
            f"measure:{key}",
            {
                "key": key,
                "label": measure.text("label", required=True),
                "sample_statement": measure.text("sample_statement"),
                "order": order,
                "sources": record.items("sources"),
            },
        )
    return measures


def _hisp_slug(record: Record, taken: set) -> str:
    if record.ident.startswith("tp-"):
        slug = slugify(record.text("name", required=True).replace(".", " "))
    else:
        slug = slugify(record.ident)
    if not slug or slug in taken:
        record.fail("id", f"gives the page address {slug!r}, which another HISP already has")
    taken.add(slug)
    return slug


def _load_hisps(data, up, agencies, organizations):
    records = data.records("hisps.json")
    by_id = {r.ident: r for r in records}
    hisps: dict[str, Hisp] = {}
    taken = set(Hisp.objects.exclude(external_id__in=list(by_id)).values_list("slug", flat=True))
    continued = {earlier for r in records for earlier in r.items("related_2020_ids")}
    # The 2020 list first: later providers point back at it.
    ordered = sorted(records, key=lambda r: r.ident.startswith("tp-"))
    for record in ordered:
        related = []
        for earlier in record.items("related_2020_ids"):
            if earlier not in by_id or earlier.startswith("tp-"):
                record.fail("related_2020_ids", f"{earlier!r} is not a HISP id of the 2020 list")
            related.append(hisps[earlier])
        agency, bureau = _hisp_agency(record, related, agencies)
        existing = up.get(Hisp, record.ident)
        slug = existing.slug if existing else _hisp_slug(record, taken)
        rating = record.raw("overall_rating_2020")
        fields = {
            "agency": agency,
            "bureau": bureau,
            "name": record.text("name", required=True),
            "abbreviation": record.text("abbreviation").upper(),
            "headline": record.text("headline"),
            "description": record.text("description"),
            "url": record.text("url"),
            "cohort": Hisp.Cohort.TOUCHPOINTS
            if record.ident.startswith("tp-")
            else Hisp.Cohort.LIST_2020,
            "touchpoints_id": record.integer(
                "touchpoints_service_provider_id", required=False, minimum=1
            ),
            **_provider_organization(record, organizations),
            "year_designated": None,
            # A 2020 entry that a later provider continues is no longer a designation of its own.
            "active": record.ident not in continued,
            "overall_rating_2020": None
            if rating in (None, "")
            else _decimal(record, "overall_rating_2020"),
            **record.provenance(),
        }
        hisp = up.upsert(Hisp, record, record.ident, fields, on_create={"slug": slug})
        up.set_many(hisp, "earlier_designations", related)
        hisps[record.ident] = hisp
        for path in record.items("legacy_paths"):
            if not isinstance(path, str) or not re.fullmatch(r"/[A-Za-z0-9/_.-]*/", path):
                record.fail("legacy_paths", f"{path!r} is not a path like /cx/dashboard/va/vha/")
            up.upsert(LegacyPath, record, f"path:{path}", {"hisp": hisp, "path": path})
        for quarter, status in sorted(record.mapping("feedback_reporting_2020").items()):
            _load_2020_status(up, record, hisp, quarter, status)
    return hisps


def _provider_organization(record, organizations) -> dict:
    """The provider's Touchpoints organization: its id from hisps.json, named as the export
    names it."""
    ident = record.integer("touchpoints_organization_id", required=False, minimum=1)
    if ident is not None and ident not in organizations:
        record.fail(
            "touchpoints_organization_id", f"{ident} is not an organization id of {MERGED_FILE}"
        )
    name, abbreviation = organizations.get(ident, ("", ""))
    return {
        "touchpoints_organization_id": ident,
        "touchpoints_organization_name": name,
        "touchpoints_organization_abbreviation": abbreviation,
    }


def _decimal(record, field):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(str(record.raw(field))).quantize(Decimal("0.1"))
    except InvalidOperation:
        record.fail(field, f"{record.raw(field)!r} is not a number")


def _hisp_agency(record, related, agencies):
    """The department and bureau: from the 2020 entries this provider continues, when they agree."""
    if related:
        departments = {h.agency_id for h in related}
        bureaus = {h.bureau_id for h in related}
        if len(departments) == 1:
            bureau = related[0].bureau if len(bureaus) == 1 else None
            return related[0].agency, bureau
    department = agencies.department(record.text("department", required=True), record, "department")
    bureau_name = record.text("bureau")
    bureau = None
    if bureau_name:
        bureau = agencies.bureau(
            department, bureau_name, record.text("bureau_abbreviation"), record
        )
    return department, bureau


def _load_2020_status(up, record, hisp, quarter, status):
    if not isinstance(status, dict) or not re.fullmatch(r"q[1-4]", quarter):
        record.fail(
            "feedback_reporting_2020", f"{quarter!r} is not a quarter q1 to q4 with a status"
        )
    if status.get("status") is None:
        return  # a quarter still to come when the list was published
    item = Record(record.file, f"{record.ident} feedback_reporting_2020.{quarter}", status)
    number = int(quarter[1])
    up.upsert(
        QuarterlyReport,
        item,
        f"{record.ident}-FY2020Q{number}",
        {
            "hisp": hisp,
            "fiscal_year": 2020,
            "quarter": number,
            "rating": item.choice("status", RATINGS),
            "rating_note": item.text("note"),
            "sources": record.items("sources"),
        },
    )


def _load_services(data, up, hisps, spellings):
    by_touchpoints = {h.touchpoints_id: h for h in hisps.values() if h.touchpoints_id}
    services: dict[int, Service] = {}
    taken = set()
    for record in data.records("hisp_services.json"):
        provider = record.integer("service_provider_id", minimum=1)
        hisp = by_touchpoints.get(provider)
        if hisp is None:
            record.fail(
                "service_provider_id",
                f"{provider} is not the Touchpoints id of any HISP in hisps.json",
            )
        touchpoints_id = record.integer("id", minimum=1)
        existing = up.get(Service, f"service:{touchpoints_id}")
        if existing:
            slug = existing.slug
        else:
            slug = slugify(f"{hisp.slug} {record.text('name', required=True)}")[:110].strip("-")
            if slug in taken:
                slug = f"{slug}-{touchpoints_id}"
        taken.add(slug)
        channels = record.items("channels")
        for channel in channels:
            if channel not in CHANNELS or not channel:
                record.fail("channels", f"{channel!r} is not a known channel")
        services[touchpoints_id] = up.upsert(
            Service,
            record,
            f"service:{touchpoints_id}",
            {
                "hisp": hisp,
                "name": record.text("name", required=True),
                "description": record.text("description"),
                "channels": channels,
                "designated": True,
                "service_provided": [s for s in record.items("service_provided") if s],
                "transaction_points": [s for s in record.items("transaction_points") if s],
                "omb_control_numbers": [s for s in record.items("omb_control_numbers") if s],
                "touchpoints_id": touchpoints_id,
                "touchpoints_slug": record.text("slug"),
                "touchpoints_name": spellings.service_name(
                    touchpoints_id, record.text("name", required=True)
                ),
                **record.provenance(),
            },
            on_create={"slug": slug},
        )
    return services


def _check_hisp_services(data, services):
    for record in data.records("hisps.json"):
        for service_id in record.items("service_ids"):
            if service_id not in services:
                record.fail(
                    "service_ids", f"{service_id!r} is not a service id in hisp_services.json"
                )


# A list the source ran together on one line: "* First item. * Second item." The marker of its
# first item, then the same marker before a capital letter, starts each item.
_RUN_TOGETHER = re.compile(r"^([*-]) ")


def _as_list(text: str) -> str:
    """A reflection whose bulleted list lost its line breaks, as the Markdown list it was."""
    start = _RUN_TOGETHER.match(text)
    if not start or "\n" in text:
        return text
    marker = re.escape(start.group(1))
    return re.sub(rf"\s+{marker}\s+(?=[A-Z])", f"\n{start.group(1)} ", text)


def _load_reports(data, up, hisps):
    by_touchpoints = {h.touchpoints_id: h for h in hisps.values() if h.touchpoints_id}
    reports = {}
    for record in data.records("cx_quarterly_reports.json"):
        provider = record.integer("service_provider_id", minimum=1)
        hisp = by_touchpoints.get(provider)
        if hisp is None:
            record.fail(
                "service_provider_id",
                f"{provider} is not the Touchpoints id of any HISP in hisps.json",
            )
        year, quarter = record.fiscal_year(), record.quarter()
        ratings = []
        for value in record.items("ratings"):
            if value not in RATINGS:
                record.fail("ratings", f"{value!r} is not one of 'TRUE', 'PARTIAL', 'FALSE'")
            ratings.append(RATINGS[value])
        reflections = record.items("reflections")
        if not all(isinstance(text, str) for text in reflections):
            record.fail("reflections", "must be a list of texts")
        note = (
            "OMB flagged the quarter's collections differently; the lowest flag is shown."
            if len(set(ratings)) > 1
            else ""
        )
        reports[(provider, year, quarter)] = up.upsert(
            QuarterlyReport,
            record,
            record.ident,
            {
                "hisp": hisp,
                "fiscal_year": year,
                "quarter": quarter,
                "rating": min(ratings, key=RATING_RANK.index) if ratings else "",
                "rating_note": note,
                "reflection": "\n\n".join(
                    _as_list(text.strip()) for text in reflections if text.strip()
                ),
                "sources": record.items("sources"),
            },
        )
    return reports


MERGED_FILE = "mergedcxdata-2023-05-21.csv"
ORGANIZATION_COLUMNS = [
    "attributes_organization_id",
    "attributes_organization_name",
    "attributes_organization_abbreviation",
]
MERGED_COLUMNS = [
    "id",
    *ORGANIZATION_COLUMNS,
    "attributes_service_provider_id",
    "attributes_collection_id",
    "attributes_collection_year",
    "attributes_collection_quarter",
    "attributes_service_id",
    "attributes_channel",
    "attributes_service_provided",
    "attributes_transaction_point",
    "attributes_volume_of_customers",
    "attributes_volume_of_customers_provided_survey_opportunity",
    "attributes_volume_of_respondents",
    "attributes_omb_control_number",
    "attributes_federal_register_url",
    "attributes_operational_metrics",
    "attributes_created_at",
    "attributes_updated_at",
    *[f"attributes_q{q}_{part}" for q in QUESTIONS for part in ["text", "1", "2", "3", "4", "5"]],
]


def _survey_organization(record) -> dict:
    """The Touchpoints organization of a survey's collection, spelt as Touchpoints spelt it (a
    trailing space included): performance.gov's clients join and compare on these."""
    return {
        "touchpoints_organization_id": record.integer(
            "attributes_organization_id", required=False, minimum=1
        ),
        "touchpoints_organization_name": record.text("attributes_organization_name"),
        "touchpoints_organization_abbreviation": record.text(
            "attributes_organization_abbreviation"
        ),
    }


def _blank_texts(record) -> dict[str, str]:
    """{question number: text} of the slots with no answers whose text is only whitespace: not
    questions here, but performance.gov's API served their text as it was."""
    blank = {}
    for number in QUESTIONS:
        text = record.text(f"attributes_q{number}_text")
        counts = [record.raw(f"attributes_q{number}_{point}") for point in range(1, 6)]
        if text and not text.strip() and not any(c not in ("", "0", None) for c in counts):
            blank[str(number)] = text
    return blank


class ExportSpellings:
    """How the Touchpoints export spells what this site also holds, read from it before the
    providers and services load: the organizations (one spelling each) and the services' names
    (hisp_services.json trims them). performance.gov's API served these spellings."""

    def __init__(self, data):
        self.organizations: dict[int, tuple[str, str]] = {}
        self.service_names: dict[int, str] = {}
        columns = [*ORGANIZATION_COLUMNS, "attributes_service_id", "attributes_service_name"]
        for record in data.csv(MERGED_FILE, columns):
            self._organization(record)
            service = record.integer("attributes_service_id", minimum=1)
            self.service_names.setdefault(service, record.text("attributes_service_name"))

    def _organization(self, record):
        organization = _survey_organization(record)
        ident = organization.pop("touchpoints_organization_id")
        if ident is None:
            return
        spelling = tuple(organization.values())
        if self.organizations.setdefault(ident, spelling) != spelling:
            record.fail(
                "attributes_organization_name",
                f"organization {ident} is also named {self.organizations[ident]}",
            )

    def service_name(self, touchpoints_id: int, name: str) -> str:
        """The export's spelling of the service's name, while it reads as `name`; else ""."""
        spelt = self.service_names.get(touchpoints_id, "")
        return spelt if spelt.strip() == name else ""


def _load_surveys(data, up, hisps, services, reports, measures, log):
    by_touchpoints = {h.touchpoints_id: h for h in hisps.values() if h.touchpoints_id}
    positional = sorted(measures.values(), key=lambda m: m.order)
    trust = measures.get("trust")
    trust_rows = _trust_questions(data)
    matched = set()
    by_survey = {}  # (Touchpoints survey id, question number) -> SurveyResult
    rows = data.csv(
        MERGED_FILE, MERGED_COLUMNS, ident=lambda row, line: f"id {row.get('id')} (line {line})"
    )
    for record in rows:
        provider = record.integer("attributes_service_provider_id", minimum=1)
        year = record.fiscal_year("attributes_collection_year")
        quarter = record.quarter("attributes_collection_quarter")
        hisp = by_touchpoints.get(provider)
        if hisp is None:
            record.fail(
                "attributes_service_provider_id",
                f"{provider} is not the Touchpoints id of any HISP",
            )
        service_id = record.integer("attributes_service_id", minimum=1)
        if service_id not in services:
            record.fail(
                "attributes_service_id", f"{service_id} is not a service id in hisp_services.json"
            )
        report = reports.get((provider, year, quarter))
        if report is None:
            # A quarter with survey data but no entry in cx_quarterly_reports.json: report it, unrated.
            report = up.upsert(
                QuarterlyReport,
                record,
                f"FY{year}Q{quarter}-sp{provider}",
                {
                    "hisp": hisp,
                    "fiscal_year": year,
                    "quarter": quarter,
                    "rating": "",
                    "sources": [],
                },
            )
            reports[(provider, year, quarter)] = report
        channel = record.choice("attributes_channel", CHANNELS)
        touchpoints_id = record.integer("id", minimum=1)
        survey = up.upsert(
            ServiceSurvey,
            record,
            f"survey:{touchpoints_id}",
            {
                "report": report,
                "service": services[service_id],
                "channel": channel,
                "service_provided": record.text("attributes_service_provided"),
                "transaction_point": record.text("attributes_transaction_point"),
                "volume_of_customers": record.integer(
                    "attributes_volume_of_customers", required=False, minimum=0
                ),
                "volume_offered_survey": record.integer(
                    "attributes_volume_of_customers_provided_survey_opportunity",
                    required=False,
                    minimum=0,
                ),
                "volume_of_respondents": record.integer(
                    "attributes_volume_of_respondents", required=False, minimum=0
                ),
                "omb_control_number": record.text("attributes_omb_control_number"),
                "federal_register_url": record.text("attributes_federal_register_url"),
                "operational_metrics": record.text("attributes_operational_metrics"),
                "touchpoints_id": touchpoints_id,
                "touchpoints_collection_id": record.integer("attributes_collection_id", minimum=1),
                **_survey_organization(record),
                "touchpoints_blank_texts": _blank_texts(record),
                "reported_created_at": record.timestamp("attributes_created_at"),
                "reported_updated_at": record.timestamp("attributes_updated_at"),
                # The agency's last change to it in Touchpoints: the data's own date.
                "last_updated": record.timestamp("attributes_updated_at"),
                "sources": [{"repo": "GSA/HISP-CX-Data", "path": MERGED_FILE}],
            },
        )
        questions = []
        for number in QUESTIONS:
            text = record.text(f"attributes_q{number}_text")
            counts = [
                record.integer(f"attributes_q{number}_{point}", required=False, minimum=0) or 0
                for point in range(1, 6)
            ]
            if text.strip() or any(counts):  # else an unused question slot
                questions.append((number, text, counts))
        # Questions 1 to 7 follow the A-11 template's order of the seven measures, trust second;
        # trust_scores.csv names the trust question where an agency put it elsewhere.
        measure_of = {n: positional[n - 1] for n, _, _ in questions if n <= len(positional)}
        for number, text, counts in questions:
            key = (year, quarter, service_id, channel, tuple(counts), _words(text))
            if trust and key in trust_rows:
                matched.add(key)
                if number != 2:
                    measure_of[2] = None
                    measure_of[number] = trust
                break
        for number, text, counts in questions:
            by_survey[(touchpoints_id, number)] = up.upsert(
                SurveyResult,
                record,
                f"survey:{touchpoints_id}:q{number}",
                {
                    "survey": survey,
                    "question_number": number,
                    "question_text": text,
                    "measure": measure_of.get(number),
                    **dict(zip(POINTS, counts, strict=True)),
                    "last_updated": survey.reported_updated_at,
                },
                defer=True,
            )
    unmatched = len(trust_rows - matched)
    if unmatched:
        log(
            f"  trust_scores.csv: {unmatched} rows match no question of mergedcxdata exactly, so those surveys keep the A-11 order"
        )
    return by_survey


TRUST_COLUMNS = [
    "fiscal_year",
    "quarter",
    "service_id",
    "channel",
    "question_text",
    "strongly_disagree",
    "disagree",
    "neutral",
    "agree",
    "strongly_agree",
]


def _trust_questions(data) -> set:
    """The trust question of each survey, as trust_scores.csv gives it."""
    keys = set()
    for record in data.csv("trust_scores.csv", TRUST_COLUMNS):
        counts = tuple(record.integer(point, minimum=0) for point in POINTS)
        if not any(counts) and not record.text("question_text").strip():
            continue  # the survey had no trust question that quarter
        keys.add(
            (
                record.fiscal_year(),
                record.quarter(),
                record.integer("service_id", minimum=1),
                record.choice("channel", CHANNELS),
                counts,
                _words(record.text("question_text")),
            )
        )
    return keys


LONG_COLUMNS = [
    "collection_detail_id",
    "question_number",
    "question_text",
    "r1_strongly_disagree",
    "r2_disagree",
    "r3_neutral",
    "r4_agree",
    "r5_strongly_agree",
]


def _check_long_results(data, stored):
    """cx_survey_results.csv is the long form of the same survey data: check it agrees."""
    file = "cx_survey_results.csv"
    for record in data.csv(file, LONG_COLUMNS):
        detail = record.integer("collection_detail_id", minimum=1)
        number = record.integer("question_number", minimum=1, maximum=11)
        result = stored.get((detail, number))
        if result is None:
            record.fail(
                "collection_detail_id",
                f"question {number} of survey {detail} is not in {MERGED_FILE}",
            )
        counts = [record.integer(c, minimum=0) for c in LONG_COLUMNS[3:]]
        if counts != result.counts:
            record.fail(
                "r1_strongly_disagree",
                f"the counts {counts} differ from {MERGED_FILE} ({result.counts})",
            )


LEGACY_COLUMNS = [
    "hisp_id",
    "fiscal_year",
    "quarter",
    "measure",
    "average_score",
    "statement",
    "universe",
    "surveyed",
    "respondents",
    "response_rate",
]


def _load_legacy_scores(data, up, hisps, measures):
    by_label = {m.label.casefold(): m for m in measures.values()}
    for record in data.csv("legacy_cx_scores_2019_2020.csv", LEGACY_COLUMNS):
        hisp_id = record.text("hisp_id", required=True)
        if hisp_id not in hisps:
            record.fail("hisp_id", f"{hisp_id!r} is not a HISP id in hisps.json")
        measure = by_label.get(record.text("measure", required=True).casefold())
        if measure is None:
            record.fail("measure", f"{record.raw('measure')!r} is not one of the CX measures")
        year, quarter = record.fiscal_year(), record.quarter()
        score = record.raw("average_score")
        up.upsert(
            LegacyScore,
            record,
            f"legacy:{hisp_id}:FY{year}Q{quarter}:{measure.key}",
            {
                "hisp": hisps[hisp_id],
                "fiscal_year": year,
                "quarter": quarter,
                "measure": measure,
                "average_score": None if score in (None, "") else _score(record),
                "statement": record.text("statement"),
                "universe": record.integer("universe", required=False, minimum=0),
                "surveyed": record.integer("surveyed", required=False, minimum=0),
                "respondents": record.integer("respondents", required=False, minimum=0),
                "response_rate": record.text("response_rate"),
            },
        )


def _score(record):
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(record.raw("average_score")).quantize(Decimal("0.01"))
    except InvalidOperation:
        record.fail("average_score", f"{record.raw('average_score')!r} is not a number")
    if not 1 <= value <= 5:
        record.fail("average_score", f"{value} is outside the 1 to 5 scale")
    return value


DOCUMENT_KINDS = {choice: choice for choice in Document.Kind.values}


def _load_documents(data, up, hisps):
    for record in data.records("documents.json"):
        hisp_id = record.raw("hisp_id")
        if hisp_id and hisp_id not in hisps:
            record.fail("hisp_id", f"{hisp_id!r} is not a HISP id in hisps.json")
        up.upsert(
            Document,
            record,
            f"document:{record.ident}",
            {
                "kind": record.choice("kind", DOCUMENT_KINDS),
                "title": record.text("title", required=True),
                "url": record.text("url", required=True),
                "year": record.integer("year", required=False, minimum=1990, maximum=2100),
                "hisp": hisps.get(hisp_id) if hisp_id else None,
                "sources": [{"repo": record.raw("repo"), "path": record.raw("path")}]
                if record.raw("repo")
                else [],
            },
        )
