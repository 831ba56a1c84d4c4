"""Quarterly HISP data uploaded as a CSV file in the admin: read, checked row by row, then saved as
drafts in the open reporting period, every row or none.

Agencies and GSA already keep this data in one of three shapes, so the upload reads those and no
fourth (`FORMATS`): performance.gov's `omb_cx_reporting_collections` export (one row a survey, the
shape of `mergedcxdata-2023-05-21.csv`), the trust scores (`trust_scores.csv`, one row a survey's
trust question) and the survey results (`cx_survey_results.csv`, one row a question). The header
row says which one a file is.

Reading (`read_upload`) writes nothing. It gives the surveys the file holds and every problem, each
with the row number a spreadsheet shows (the header is row 1), the column, the value and why, so an
editor can fix the file in the spreadsheet it came from. Saving (`save_upload`) reads the file again
inside the transaction that writes, with the periods and the rows it replaces locked, so that a
period closed or a survey published since the preview stops the save, and nothing is half-written.
Everything saved is a draft; the workflow's review and publishing then apply as to any edit.

An agency editor's upload is held to its agencies (`agencies`, from `hisps.admin.editable_agencies`):
a row of another agency's HISP is an error that names nothing of that agency, and no other check
of that row looks at the database.
"""

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from content.fiscal import fiscal_label
from content.importing import DataFileError, Record
from content.models import Upload
from content.publishing import Status
from hisps.importer import (
    CHANNELS,
    LONG_COLUMNS,
    MERGED_COLUMNS,
    POINTS,
    QUESTIONS,
    TRUST_COLUMNS,
    _words,
)
from hisps.models import (
    CxMeasure,
    Hisp,
    QuarterlyReport,
    ReportingPeriod,
    Service,
    ServiceSurvey,
    SurveyResult,
)

MAX_BYTES = 10 * 1024 * 1024
MAX_SIZE_WORDS = "10 MB"

# Rows in these states are the public record, or were: an upload never changes them.
LOCKED = {Status.PUBLISHED: "already published", Status.ARCHIVED: "archived"}
# The A-11 template asks the trust question second; a survey without one gets it there.
TRUST_QUESTION = 2

# A channel as the exports write it (in_person), or as the admin shows it (In person).
CHANNEL_NAMES = {
    **{value.casefold(): value for value in CHANNELS},
    **{label.casefold(): value for value, label in Service.Channel.choices},
}

NOT_UTF8 = "The file is not UTF-8 text: save it as 'CSV UTF-8' and upload it again"


# --- The three formats ------------------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    """One accepted file shape: its exact columns, and which column holds what."""

    key: str
    name: str
    example: str  # the file in data/performance_gov/ that has this shape
    header: tuple[str, ...]
    provider_id: str
    provider_name: str
    service: str
    year: str
    quarter: str
    channel: str
    what_a_row_is: str
    service_provided: str | None = None
    transaction_point: str | None = None
    customers: str | None = None
    offered: str | None = None
    respondents: str | None = None
    total: str | None = None
    # Survey fields read as text: {ServiceSurvey field: (column, longest allowed)}.
    texts: tuple[tuple[str, str, int], ...] = ()
    # Whether a survey's rows in the file are all its questions (so questions missing from the
    # file are removed from the survey), or only some (the trust question).
    whole_surveys: bool = True

    @property
    def columns(self) -> frozenset:
        return frozenset(self.header)

    @property
    def survey_fields(self) -> list[str]:
        """The ServiceSurvey fields the format gives, which a save sets."""
        names = [name for name, _, _ in self.texts]
        if self.customers:
            names += ["volume_of_customers", "volume_offered_survey", "volume_of_respondents"]
        return names


MERGED = Format(
    key="merged",
    name="performance.gov's omb_cx_reporting_collections export",
    example="mergedcxdata-2023-05-21.csv",
    header=(
        "id",
        "type",
        "attributes_organization_id",
        "attributes_organization_name",
        "attributes_organization_abbreviation",
        "attributes_service_provider_id",
        "attributes_service_provider_name",
        "attributes_collection_id",
        "attributes_collection_name",
        "attributes_collection_year",
        "attributes_collection_quarter",
        "attributes_service_provided",
        "attributes_transaction_point",
        "attributes_channel",
        "attributes_volume_of_customers",
        "attributes_volume_of_customers_provided_survey_opportunity",
        "attributes_volume_of_respondents",
        "attributes_omb_control_number",
        "attributes_federal_register_url",
        *[
            f"attributes_q{q}_{part}"
            for q in QUESTIONS
            for part in ("text", "1", "2", "3", "4", "5", "point_scale")
        ],
        "attributes_created_at",
        "attributes_updated_at",
        "attributes_operational_metrics",
        "attributes_service_id",
        "attributes_service_name",
        "attributes_service_slug",
        "service_desc",
        "service_provider_desc",
    ),
    provider_id="attributes_service_provider_id",
    provider_name="attributes_service_provider_name",
    service="attributes_service_id",
    year="attributes_collection_year",
    quarter="attributes_collection_quarter",
    channel="attributes_channel",
    what_a_row_is="one survey (a service on one channel), with up to 11 questions",
    service_provided="attributes_service_provided",
    transaction_point="attributes_transaction_point",
    customers="attributes_volume_of_customers",
    offered="attributes_volume_of_customers_provided_survey_opportunity",
    respondents="attributes_volume_of_respondents",
    texts=(
        ("service_provided", "attributes_service_provided", 500),
        ("transaction_point", "attributes_transaction_point", 500),
        ("omb_control_number", "attributes_omb_control_number", 60),
        ("federal_register_url", "attributes_federal_register_url", 500),
        ("operational_metrics", "attributes_operational_metrics", 10_000),
    ),
)

TRUST = Format(
    key="trust",
    name="trust scores",
    example="trust_scores.csv",
    header=(
        "fiscal_year",
        "quarter",
        "organization_name",
        "service_provider_id",
        "service_provider_name",
        "service_id",
        "service_name",
        "service_provided",
        "transaction_point",
        "channel",
        "rating",
        "question_text",
        *POINTS,
        "total_responses",
        "agree_or_strongly_agree",
        "pct_agree_or_strongly_agree",
        "mean_point_scale",
        "volume_of_customers",
        "volume_offered_survey",
        "volume_of_respondents",
    ),
    provider_id="service_provider_id",
    provider_name="service_provider_name",
    service="service_id",
    year="fiscal_year",
    quarter="quarter",
    channel="channel",
    what_a_row_is="the trust question of one survey",
    service_provided="service_provided",
    transaction_point="transaction_point",
    customers="volume_of_customers",
    offered="volume_offered_survey",
    respondents="volume_of_respondents",
    total="total_responses",
    texts=(
        ("service_provided", "service_provided", 500),
        ("transaction_point", "transaction_point", 500),
    ),
    whole_surveys=False,
)

SURVEY_RESULTS = Format(
    key="survey_results",
    name="survey results",
    example="cx_survey_results.csv",
    header=(
        "collection_detail_id",
        "collection_id",
        "fiscal_year",
        "quarter",
        "organization_name",
        "service_provider_id",
        "service_provider_name",
        "service_id",
        "service_name",
        "channel",
        "question_number",
        "question_text",
        *LONG_COLUMNS[3:],
        "total_responses",
        "pct_agree_or_strongly_agree",
        "mean_point_scale",
    ),
    provider_id="service_provider_id",
    provider_name="service_provider_name",
    service="service_id",
    year="fiscal_year",
    quarter="quarter",
    channel="channel",
    what_a_row_is="one question of one survey",
    total="total_responses",
)

FORMATS = (MERGED, TRUST, SURVEY_RESULTS)

# The importer reads the same files: every column it needs is in the upload's formats too.
assert set(MERGED_COLUMNS) <= MERGED.columns
assert set(TRUST_COLUMNS) <= TRUST.columns
assert set(LONG_COLUMNS) - {"collection_detail_id"} <= SURVEY_RESULTS.columns


# --- What reading gives -----------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: where it is (row as a spreadsheet numbers it, the header being row 1, and
    column), the value found there, and why it is a problem. A problem of the whole file (its
    size, encoding or header) has no row."""

    row: int | None
    column: str
    value: str
    problem: str

    @property
    def shown_value(self) -> str:
        value = self.value if len(self.value) <= 80 else self.value[:79] + "…"
        return f'"{value}"' if value else "(empty)"

    def __str__(self) -> str:
        if self.row is None:
            return self.problem
        if not self.column:
            return f"Row {self.row}: {self.problem}"
        return f"Row {self.row}, column {self.column}, value {self.shown_value}: {self.problem}"


@dataclass
class Question:
    number: int
    text: str
    counts: tuple[int, int, int, int, int]
    measure: CxMeasure | None
    row: int


@dataclass
class Survey:
    """One survey of the file (a service on one channel in one quarter) and what saving it does:
    create a survey, or replace the questions of the one already there."""

    hisp: Hisp
    service: Service
    fiscal_year: int
    quarter: int
    channel: str
    service_provided: str | None  # None where the format does not say
    fields: dict  # ServiceSurvey fields the file gives
    rows: list[int] = field(default_factory=list)
    questions: dict[int, Question] = field(default_factory=dict)
    trust: Question | None = None  # the trust format's one question; numbered once it is known
    report: QuarterlyReport | None = None  # the report already there, if any
    existing: ServiceSurvey | None = None  # the survey already there, if any
    results: dict[int, SurveyResult] = field(default_factory=dict)  # its questions, by number
    removed: list[SurveyResult] = field(default_factory=list)  # its questions the file drops

    @property
    def period(self) -> str:
        return fiscal_label(self.fiscal_year, self.quarter)

    @property
    def report_key(self) -> tuple:
        return (self.hisp.pk, self.fiscal_year, self.quarter)

    @property
    def row_numbers(self) -> str:
        """The survey's rows in the file, "5" or "5–11" (a survey results file's questions)."""
        if len(self.rows) > 1 and self.rows == list(range(self.rows[0], self.rows[-1] + 1)):
            return f"{self.rows[0]}–{self.rows[-1]}"
        shown = ", ".join(str(n) for n in self.rows[:6])
        return shown + (" …" if len(self.rows) > 6 else "")

    @property
    def channel_label(self) -> str:
        return Service.Channel(self.channel).label if self.channel else "no channel"

    @property
    def respondents(self):
        return self.fields.get("volume_of_respondents")


@dataclass
class UploadResult:
    """What reading a file found: its format, its surveys and its problems. Clean when it has no
    problems; only then can it be saved."""

    filename: str
    format: Format | None = None
    errors: list[RowError] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    rows: int = 0  # data rows (not blank ones)
    data: bytes | None = None  # the file's bytes, once read

    @property
    def clean(self) -> bool:
        return not self.errors and bool(self.surveys)

    @property
    def quarters(self) -> list[str]:
        return [
            fiscal_label(*q) for q in sorted({(s.fiscal_year, s.quarter) for s in self.surveys})
        ]

    @property
    def hisps(self) -> list[str]:
        return sorted({s.hisp.name for s in self.surveys})

    @property
    def new_surveys(self) -> int:
        return sum(1 for s in self.surveys if s.existing is None)

    @property
    def replaced_surveys(self) -> int:
        return sum(1 for s in self.surveys if s.existing is not None)

    @property
    def new_reports(self) -> int:
        return len({s.report_key for s in self.surveys if s.report is None})

    @property
    def questions(self) -> int:
        return sum(len(s.questions) for s in self.surveys)


TOO_LARGE = RowError(
    None,
    "",
    "",
    f"The file is larger than {MAX_SIZE_WORDS} ({MAX_BYTES:,} bytes), the most this page reads: "
    "upload one quarter, or a few HISPs, at a time.",
)


def _refused(filename: str, problem: str) -> UploadResult:
    return UploadResult(filename, errors=[RowError(None, "", "", problem)])


# --- Reading ----------------------------------------------------------------------------------


def read_upload(file, *, agencies) -> UploadResult:
    """Read an uploaded file (Django's UploadedFile). Its size is checked before it is read."""
    if file.size > MAX_BYTES:
        return UploadResult(file.name, errors=[TOO_LARGE])
    return read_bytes(file.read(), file.name, agencies=agencies)


def read_bytes(data: bytes, filename: str, *, agencies, lock: bool = False) -> UploadResult:
    """Read and check the file's bytes. `agencies` is None for OMB (every agency) or the agencies
    an agency editor may write to. With `lock`, inside a transaction, the periods and the rows that
    saving would replace are locked until it ends. Writes nothing."""
    if len(data) > MAX_BYTES:
        return UploadResult(filename, errors=[TOO_LARGE])
    text, problem = _decode(data)
    if problem:
        return _refused(filename, problem)
    if not text.strip():
        return _refused(
            filename, "The file is empty: upload a CSV file with a header row and data."
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except csv.Error as error:
        return _refused(filename, f"Row 1 (the header) cannot be read as CSV: {error}.")
    result = UploadResult(filename, data=data)
    result.format = _detect(header, result)
    if result.format is None:
        return result
    _Reader(result, header, agencies, lock).read(reader)
    return result


def _decode(data: bytes) -> tuple[str, str]:
    """The text, or a problem saying where the first byte that is not UTF-8 is."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8"), ""
    except UnicodeDecodeError as error:
        offset = start + error.start
        line = data[:offset].count(b"\n") + 1
        return "", (
            f"{NOT_UTF8}. The first byte that is not UTF-8 is at byte offset {offset} (line "
            f"{line}): 0x{data[offset]:02X}, which is how Excel's plain 'CSV' (Windows-1252) "
            "writes a letter such as é."
        )


def _detect(header: list[str], result: UploadResult) -> Format | None:
    twice = sorted(name for name, count in Counter(header).items() if count > 1)
    if twice:
        result.errors.append(
            RowError(1, twice[0], twice[0], "the header names this column twice: keep one")
        )
        return None
    for candidate in FORMATS:
        if set(header) == candidate.columns:
            return candidate
    found = set(header)
    closest = min(FORMATS, key=lambda f: len(f.columns ^ found))
    missing = [name for name in closest.header if name not in found]
    extra = [name for name in header if name not in closest.columns]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(missing[:8]) + (" …" if len(missing) > 8 else ""))
    if extra:
        detail.append("not expected " + ", ".join(extra[:8]) + (" …" if len(extra) > 8 else ""))
    accepted = "; ".join(
        f"{f.name} (the {len(f.header)} columns of {f.example}, starting {', '.join(f.header[:3])})"
        for f in FORMATS
    )
    result.errors.append(
        RowError(
            None,
            "",
            "",
            "The header row (row 1) matches none of the three formats this page reads: "
            f"{accepted}. Its columns come closest to the {closest.name} "
            f"({'; '.join(detail)}). Keep the header exactly as the export wrote it.",
        )
    )
    return None


def agency_names(agencies) -> list[str]:
    """The names of the agencies an editor was given: a department, not also its bureaus."""
    top = agencies.filter(Q(parent__isnull=True) | ~Q(parent__in=agencies))
    return list(top.order_by("name").values_list("name", flat=True))


class _Row:
    """One data row's cells, read with the checks that collect problems instead of stopping."""

    def __init__(self, number: int, cells: dict, errors: list):
        self.number, self.cells, self.errors = number, cells, errors
        self.ok = True

    def value(self, column: str) -> str:
        return self.cells.get(column) or ""

    def fail(self, column: str, problem: str) -> None:
        self.errors.append(RowError(self.number, column, self.value(column), problem))
        self.ok = False

    def text(self, column: str, max_length: int | None = None) -> str:
        value = self.value(column).strip()
        if max_length and len(value) > max_length:
            self.fail(column, f"is {len(value)} characters long, over the limit of {max_length}")
        return value

    def whole(self, column: str, *, required: bool, what: str = "") -> int | None:
        """A whole number (1234, 1234.0) or None for an empty cell; a problem otherwise."""
        if not self.value(column).strip():
            if required:
                self.fail(column, f"is empty: {what}" if what else "is empty")
            return None
        try:
            return Record("", "", {column: self.value(column).strip()}).integer(column)
        except DataFileError:
            comma = "," in self.value(column)
            self.fail(
                column, "is not a whole number" + (": write it without commas" if comma else "")
            )
            return None

    def count(self, column: str, *, blank_is_zero: bool) -> int | None:
        value = self.whole(
            column, required=not blank_is_zero, what="write 0 if no one gave this answer"
        )
        if value is None:
            return 0 if blank_is_zero and not self.value(column).strip() else None
        if value < 0:
            self.fail(column, "is negative: a count is 0 or more")
            return None
        return value


class _Reader:
    """Reads a file's rows into surveys, then checks them against the database."""

    def __init__(self, result: UploadResult, header: list[str], agencies, lock: bool):
        self.result, self.header, self.lock = result, header, lock
        self.format = result.format
        self.errors = result.errors
        self.scope = None if agencies is None else set(agencies.values_list("pk", flat=True))
        self.scope_names = None if agencies is None else agency_names(agencies)
        self.hisps = list(
            Hisp.objects.only(
                "pk", "name", "abbreviation", "active", "touchpoints_id", "agency_id", "bureau_id"
            )
        )
        self.hisps_by_id = {h.touchpoints_id: h for h in self.hisps if h.touchpoints_id}
        self.services = {
            s.touchpoints_id: s
            for s in Service.objects.filter(touchpoints_id__isnull=False).only(
                "pk", "name", "hisp_id", "touchpoints_id"
            )
        }
        periods = ReportingPeriod.objects.all()
        if lock:
            periods = periods.select_for_update()
        self.periods = {(p.fiscal_year, p.quarter): p for p in periods}
        self.open = sorted(p.fiscal_quarter for p in self.periods.values() if p.is_open)
        measures = list(CxMeasure.objects.all())
        # The A-11 template's order: question n asks the measure of order n (as the importer reads).
        self.positional = {m.order: m for m in measures if 1 <= m.order <= 7}
        self.trust = next((m for m in measures if m.key == "trust"), None)
        self.surveys: dict[tuple, Survey] = {}
        self.seen: dict[tuple, int] = {}  # duplicate key -> first row

    # Rows

    def read(self, reader) -> None:
        number = 1
        try:
            for cells in reader:
                number += 1
                if not any(cell.strip() for cell in cells):
                    continue  # a blank row
                self.result.rows += 1
                self._row(number, cells)
        except csv.Error as error:
            self.errors.append(RowError(number + 1, "", "", f"cannot be read as CSV: {error}"))
        if not self.result.rows and not self.errors:
            self.errors.append(
                RowError(None, "", "", "The file has a header row but no data rows under it.")
            )
        self.result.surveys = list(self.surveys.values())
        if not any(error.row is None for error in self.errors):
            self._check_against_database()
        self.errors.sort(
            key=lambda e: (
                e.row or 0,
                self.header.index(e.column) if e.column in self.header else -1,
            )
        )

    def _row(self, number: int, cells: list[str]) -> None:
        if len(cells) != len(self.header):
            more = "more" if len(cells) > len(self.header) else "fewer"
            self.errors.append(
                RowError(
                    number,
                    "",
                    "",
                    f"the row has {len(cells)} cells, {more} than the {len(self.header)} columns "
                    "of the header: check for a comma or line break in a value that is not in quotes",
                )
            )
            return
        row = _Row(number, dict(zip(self.header, cells, strict=True)), self.errors)
        f = self.format
        hisp = self._hisp(row)
        service = self._service(row, hisp) if hisp else None
        year, quarter = self._quarter(row)
        channel = self._channel(row)
        service_provided = row.text(f.service_provided) if f.service_provided else None
        fields = {name: row.text(column, limit) for name, column, limit in f.texts}
        if f.customers:
            fields.update(self._volumes(row))
        questions = self._questions(row)
        if not row.ok or hisp is None or service is None:
            return
        key = (
            hisp.pk,
            year,
            quarter,
            service.pk,
            channel,
            _words(service_provided or "").casefold(),
        )
        survey = self.surveys.get(key)
        if survey is None:
            survey = Survey(hisp, service, year, quarter, channel, service_provided, fields)
            self.surveys[key] = survey
        elif f.key != SURVEY_RESULTS.key:
            # One row holds the whole survey (or its trust question): a second is a duplicate.
            self._duplicate(
                row, f.service, self.seen[key], "service provided, quarter and questions"
            )
            return
        self.seen.setdefault(key, number)
        survey.rows.append(number)
        for question in questions:
            if f.key == TRUST.key:
                survey.trust = question
                continue
            first = survey.questions.get(question.number)
            if first is not None:
                self._duplicate(row, "question_number", first.row, "quarter and question")
                survey.rows.remove(number)
                return
            survey.questions[question.number] = question

    def _duplicate(self, row: _Row, column: str, first: int, same: str) -> None:
        row.fail(
            column,
            f"this row repeats row {first}: the same HISP, service, channel, {same}. "
            "Keep one of the two rows.",
        )

    def _hisp(self, row: _Row) -> Hisp | None:
        f = self.format
        if row.value(f.provider_id).strip():
            number = row.whole(f.provider_id, required=True)
            if number is None:
                return None
            hisp = self.hisps_by_id.get(number)
            if hisp is not None and self._in_scope(hisp):
                return hisp
            if self.scope is None:
                row.fail(f.provider_id, f"no HISP has the Touchpoints service provider id {number}")
            else:
                row.fail(
                    f.provider_id,
                    f"{number} is not the Touchpoints id of a HISP of {self._yours()}: you can upload only your agencies' data",
                )
            return None
        name = _words(row.value(f.provider_name)).casefold()
        if not name:
            row.fail(
                f.provider_id,
                f"is empty, and so is {f.provider_name}: give the HISP's Touchpoints service "
                "provider id, or its name",
            )
            return None
        matches = [
            h
            for h in self.hisps
            if self._in_scope(h) and name in {h.name.casefold(), h.abbreviation.casefold()}
        ]
        if len(matches) > 1:
            # The 2020 list's entries share names with the providers that continue them.
            matches = [h for h in matches if h.active] or matches
        if len(matches) == 1:
            return matches[0]
        whose = "" if self.scope is None else f" of {self._yours()}"
        if not matches:
            row.fail(
                f.provider_name,
                f"no HISP{whose} has this name or abbreviation: give its Touchpoints service provider id in {f.provider_id}",
            )
        else:
            row.fail(
                f.provider_name,
                f"{len(matches)} HISPs{whose} have this name: give the Touchpoints service provider id in {f.provider_id}",
            )
        return None

    def _in_scope(self, hisp: Hisp) -> bool:
        return self.scope is None or hisp.agency_id in self.scope or hisp.bureau_id in self.scope

    def _yours(self) -> str:
        return "your agencies (" + ", ".join(self.scope_names or ["none"]) + ")"

    def _service(self, row: _Row, hisp: Hisp) -> Service | None:
        column = self.format.service
        number = row.whole(column, required=True, what="give the service's Touchpoints service id")
        if number is None:
            return None
        service = self.services.get(number)
        if service is not None and service.hisp_id == hisp.pk:
            return service
        if self.scope is not None:
            # An agency editor learns nothing of other agencies' services.
            row.fail(
                column, f"{number} is not the Touchpoints service id of a service of {hisp.name}"
            )
        elif service is None:
            row.fail(column, f"no service has the Touchpoints service id {number}")
        else:
            owner = next((h.name for h in self.hisps if h.pk == service.hisp_id), "another HISP")
            row.fail(
                column,
                f"service {number} ({service.name}) is a service of {owner}, not of {hisp.name}",
            )
        return None

    def _quarter(self, row: _Row) -> tuple[int | None, int | None]:
        f = self.format
        year = row.whole(f.year, required=True, what="give the fiscal year, e.g. 2024")
        if year is not None and not 1990 <= year <= 2100:
            row.fail(f.year, "is not a fiscal year between 1990 and 2100")
            year = None
        quarter = row.whole(f.quarter, required=True, what="give the quarter, 1 to 4")
        if quarter is not None and not 1 <= quarter <= 4:
            row.fail(f.quarter, f"{quarter} is not a quarter: write 1, 2, 3 or 4 (1 = Oct–Dec)")
            quarter = None
        if year is None or quarter is None:
            return None, None
        period = self.periods.get((year, quarter))
        label = fiscal_label(year, quarter)
        if period is None or not period.is_open:
            state = (
                "has no reporting period"
                if period is None
                else f"is {period.get_status_display().lower()}"
            )
            open_now = ", ".join(str(q) for q in self.open)
            where = (
                f"Open for reporting: {open_now}"
                if open_now
                else "No quarter is open for reporting: ask OMB to open one"
            )
            row.fail(f.quarter, f"{label} {state}, not open for reporting. {where}.")
        return year, quarter

    def _channel(self, row: _Row) -> str:
        value = row.text(self.format.channel)
        channel = CHANNEL_NAMES.get(value.casefold())
        if channel is None:
            row.fail(
                self.format.channel,
                "is not a channel: write one of "
                + ", ".join(Service.Channel.values)
                + ", or leave it empty",
            )
            return ""
        return channel

    def _volumes(self, row: _Row) -> dict:
        f = self.format
        values = {}
        for name, column in (
            ("volume_of_customers", f.customers),
            ("volume_offered_survey", f.offered),
            ("volume_of_respondents", f.respondents),
        ):
            value = row.whole(column, required=False)
            if value is not None and value < 0:
                row.fail(column, "is negative: a number of customers is 0 or more")
                value = None
            values[name] = value
        customers, offered, respondents = values.values()
        if respondents is not None and offered is not None and respondents > offered:
            row.fail(
                f.respondents,
                f"{respondents:,} respondents is more than the {offered:,} customers offered the survey ({f.offered})",
            )
        elif offered is not None and customers is not None and offered > customers:
            row.fail(
                f.offered,
                f"{offered:,} customers offered the survey is more than the {customers:,} customers ({f.customers})",
            )
        elif offered is None and None not in (respondents, customers) and respondents > customers:
            row.fail(
                f.respondents,
                f"{respondents:,} respondents is more than the {customers:,} customers ({f.customers})",
            )
        return values

    def _questions(self, row: _Row) -> list[Question]:
        f = self.format
        if f.key == MERGED.key:
            questions = []
            for number in QUESTIONS:
                text = row.text(f"attributes_q{number}_text")
                columns = [f"attributes_q{number}_{point}" for point in range(1, 6)]
                counts = [row.count(c, blank_is_zero=True) for c in columns]
                if not text and not any(counts):
                    continue  # an unused question slot
                questions.append(self._question(row, number, text, counts, None))
            if not questions and row.ok:
                row.fail(
                    "attributes_q1_text",
                    "is empty, and so are the other questions: a survey needs at least one",
                )
            return [q for q in questions if q]
        if f.key == TRUST.key:
            counts = [row.count(c, blank_is_zero=False) for c in POINTS]
            text = row.text("question_text")
            if not text and not any(counts):
                return []  # the survey asked no trust question that quarter
            return [q for q in [self._question(row, 0, text, counts, f.total)] if q]
        number = row.whole("question_number", required=True, what="give the question's number")
        if number is not None and not 1 <= number <= 20:
            row.fail("question_number", "is not a question number from 1 to 20")
            number = None
        counts = [row.count(c, blank_is_zero=False) for c in LONG_COLUMNS[3:]]
        question = self._question(row, number, row.text("question_text"), counts, f.total)
        return [question] if question and number else []

    def _question(self, row, number, text, counts, total_column) -> Question | None:
        if None in counts:
            return None
        if total_column:
            total = row.whole(total_column, required=True, what="give the number of answers")
            if total is not None and total != sum(counts):
                added = " + ".join(str(c) for c in counts)
                row.fail(
                    total_column, f"the five counts add up to {sum(counts)} ({added}), not {total}"
                )
            if total is None or total != sum(counts):
                return None
        measure = self.trust if self.format.key == TRUST.key else self.positional.get(number)
        return Question(number, text, tuple(counts), measure, row.number)

    # The database: what saving would create or replace, and whether it may.

    def _check_against_database(self) -> None:
        surveys = [s for s in self.result.surveys if s.rows]
        if not surveys:
            return
        keys = {s.report_key for s in surveys}
        reports = QuarterlyReport.objects.filter(
            hisp__in={k[0] for k in keys},
            fiscal_year__in={k[1] for k in keys},
            quarter__in={k[2] for k in keys},
        )
        existing_surveys = ServiceSurvey.objects.filter(report__in=reports)
        results = SurveyResult.objects.filter(survey__in=existing_surveys)
        if self.lock:
            reports, existing_surveys, results = (
                q.select_for_update() for q in (reports, existing_surveys, results)
            )
        reports = {(r.hisp_id, r.fiscal_year, r.quarter): r for r in reports}
        by_report: dict[int, list[ServiceSurvey]] = {}
        for survey in existing_surveys:
            by_report.setdefault(survey.report_id, []).append(survey)
        by_survey: dict[int, dict[int, SurveyResult]] = {}
        for result in results:
            by_survey.setdefault(result.survey_id, {})[result.question_number] = result
        for survey in surveys:
            survey.report = reports.get(survey.report_key)
            self._plan(survey, by_report, by_survey)
        self.result.surveys = surveys

    def _plan(self, survey: Survey, by_report, by_survey) -> None:
        f = self.format
        report = survey.report
        if report is not None and report.status in LOCKED:
            what = f"the quarterly report of {survey.hisp.name} for {survey.period}"
            return self._locked(survey, f.quarter, what, report.status)
        matches = []
        if report is not None:
            matches = [
                s
                for s in by_report.get(report.pk, [])
                if s.service_id == survey.service.pk
                and s.channel == survey.channel
                and (
                    survey.service_provided is None
                    or _words(s.service_provided).casefold()
                    == _words(survey.service_provided).casefold()
                )
            ]
        what = f"the survey of {survey.service.name} ({survey.channel_label}) for {survey.period}"
        if len(matches) > 1:
            for number in survey.rows:
                self.errors.append(
                    RowError(
                        number,
                        f.service,
                        str(survey.service.touchpoints_id),
                        f"{len(matches)} surveys of {survey.service.name} on this channel are "
                        f"already in {survey.period}, and this format does not say which one "
                        "it is: upload the omb_cx_reporting_collections or trust scores "
                        "format, which give the service provided, or edit them in the admin",
                    )
                )
            return
        if matches:
            survey.existing = matches[0]
            if survey.existing.status in LOCKED:
                return self._locked(survey, f.service, what, survey.existing.status)
            survey.results = by_survey.get(survey.existing.pk, {})
        if survey.trust is not None:
            self._number_trust(survey)
        for number, question in survey.questions.items():
            result = survey.results.get(number)
            if result is not None and result.status in LOCKED:
                column = (
                    "question_number"
                    if f.key == SURVEY_RESULTS.key
                    else f"attributes_q{number}_text"
                )
                self._locked_question(question.row, column, what, number, result.status)
        if f.whole_surveys:
            for number, result in sorted(survey.results.items()):
                if number in survey.questions:
                    continue
                if result.status in LOCKED or result.published_at is not None:
                    self.errors.append(
                        RowError(
                            survey.rows[0],
                            f.service,
                            str(survey.service.touchpoints_id),
                            f"question {number} of {what} was published before and is not in "
                            "this file, and a published question is never removed: add it "
                            "to the file, or ask OMB to archive it",
                        )
                    )
                else:
                    survey.removed.append(result)

    def _number_trust(self, survey: Survey) -> None:
        """The trust question keeps its number in a survey already there; a new one is second,
        or after the survey's last question if the second is another measure's."""
        question = survey.trust
        number = next(
            (n for n, r in survey.results.items() if self.trust and r.measure_id == self.trust.pk),
            None,
        )
        if number is None:
            number = TRUST_QUESTION
            if number in survey.results:
                number = max(survey.results) + 1
        question.number = number
        survey.questions = {number: question}

    def _locked(self, survey: Survey, column: str, what: str, status: str) -> None:
        for number in survey.rows:
            self.errors.append(
                RowError(
                    number,
                    column,
                    self._cell(survey, number, column),
                    f"{what} is {LOCKED[status]}: ask OMB to unpublish it first",
                )
            )

    def _locked_question(self, number, column, what, question, status) -> None:
        self.errors.append(
            RowError(
                number,
                column,
                "",
                f"question {question} of {what} is {LOCKED[status]}: ask OMB to unpublish it first",
            )
        )

    def _cell(self, survey: Survey, number: int, column: str) -> str:
        if column == self.format.quarter:
            return str(survey.quarter)
        if column == self.format.service:
            return str(survey.service.touchpoints_id)
        return ""


# --- Saving -----------------------------------------------------------------------------------


def change_reason(filename: str, user) -> str:
    """The history's reason for every row an upload writes (at most 100 characters)."""
    who = str(user)[:30]
    name = filename if len(filename) <= 55 else filename[:54] + "…"
    return f"Uploaded from {name} by {who}"


class UploadRefused(Exception):
    """The file no longer passes its checks (a period closed, a row published since the preview)."""

    def __init__(self, result: UploadResult):
        self.result = result
        super().__init__(f"{len(result.errors)} problems")


def save_upload(upload: Upload, *, user, agencies) -> UploadResult:
    """Save a previewed file's rows as drafts, in one transaction: every row or none.

    The file is read and checked again under locks, so what the preview promised still holds when
    the rows are written. Raises UploadRefused (having written nothing) if it no longer passes.
    `upload.saved` gets the ids of every row written.
    """
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.saved_at is not None:
            return UploadResult(upload.filename)
        result = read_bytes(bytes(upload.data), upload.filename, agencies=agencies, lock=True)
        if not result.clean:
            raise UploadRefused(result)
        upload.saved = _write(result, user, change_reason(upload.filename, user))
        upload.saved_at = timezone.now()
        upload.data = b""
        upload.save()
    return result


def _write(result: UploadResult, user, reason: str) -> dict:
    now = timezone.now()
    history = {"default_user": user, "default_change_reason": reason}
    source = [{"kind": "uploaded file", "path": result.filename}]
    draft = {"status": Status.DRAFT, "updated_at": now}

    reports, new_reports, changed_reports = {}, [], []
    for survey in result.surveys:
        if survey.report_key in reports:
            continue
        report = survey.report
        if report is None:
            report = QuarterlyReport(
                hisp=survey.hisp,
                fiscal_year=survey.fiscal_year,
                quarter=survey.quarter,
                sources=source,
                **draft,
            )
            new_reports.append(report)
        elif report.status != Status.DRAFT:
            _set(report, draft)
            changed_reports.append(report)
        reports[survey.report_key] = report
    bulk_create_with_history(new_reports, QuarterlyReport, **history)
    bulk_update_with_history(changed_reports, QuarterlyReport, ["status", "updated_at"], **history)

    saved, new_surveys, changed_surveys = {}, [], []
    for index, survey in enumerate(result.surveys):
        if survey.existing is None:
            saved[index] = ServiceSurvey(
                report=reports[survey.report_key],
                service=survey.service,
                channel=survey.channel,
                sources=source,
                **survey.fields,
                **draft,
            )
            new_surveys.append(saved[index])
        else:
            saved[index] = survey.existing
            _set(survey.existing, {**survey.fields, **draft})
            changed_surveys.append(survey.existing)
    bulk_create_with_history(new_surveys, ServiceSurvey, **history)
    fields = [*result.format.survey_fields, "status", "updated_at"]
    bulk_update_with_history(changed_surveys, ServiceSurvey, fields, **history)

    new_results, changed_results, removed = [], [], []
    for index, survey in enumerate(result.surveys):
        for number, question in sorted(survey.questions.items()):
            values = {
                "question_text": question.text,
                "measure": question.measure,
                **dict(zip(POINTS, question.counts, strict=True)),
                **draft,
            }
            existing = survey.results.get(number)
            if existing is None:
                new_results.append(
                    SurveyResult(survey=saved[index], question_number=number, **values)
                )
            else:
                _set(existing, values)
                changed_results.append(existing)
        removed += survey.removed
    for obj in removed:
        obj._change_reason = reason
        obj.delete()
    bulk_create_with_history(new_results, SurveyResult, batch_size=1000, **history)
    fields = ["question_text", "measure", *POINTS, "status", "updated_at"]
    bulk_update_with_history(changed_results, SurveyResult, fields, batch_size=1000, **history)

    return {
        "hisps.QuarterlyReport": sorted(r.pk for r in reports.values()),
        "hisps.ServiceSurvey": sorted(s.pk for s in saved.values()),
        "hisps.SurveyResult": sorted(r.pk for r in [*new_results, *changed_results]),
    }


def _set(obj, values: dict) -> None:
    for name, value in values.items():
        setattr(obj, name, value)
