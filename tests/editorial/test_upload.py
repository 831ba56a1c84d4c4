"""The quarterly data upload (hisps/upload.py, hisps/upload_admin.py): files in the three formats,
made of real rows of data/performance_gov/ moved to an open quarter; every bad case gives the
precise row error and writes nothing; saved rows are drafts, public only once they and their
period are published; agency editors read and write only their own agencies' data."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import Upload
from content.publishing import Status
from hisps.models import (
    Hisp,
    QuarterlyReport,
    ReportingPeriod,
    Service,
    ServiceSurvey,
    SurveyResult,
)
from hisps.upload import FORMATS, MAX_BYTES
from tests.factories import ReportingPeriodFactory, ServiceSurveyFactory, SurveyResultFactory

pytestmark = pytest.mark.django_db

DATA = settings.BASE_DIR / "data" / "performance_gov"
UPLOAD = reverse("admin:hisps_quarterlyreport_upload")
VHA = "veterans-health-administration"

# Real rows of FY2022 Q1: the Veterans Health Administration's survey, and two of the Patent and
# Trademark Office's for one service on one channel (told apart by the service provided).
MERGED_IDS = ("340", "342", "359")
TRUST_ROWS = {
    ("3", "5", "computer", "U.S. Patents desktop website"),
    ("3", "5", "computer", "Authenticated login to USPTO website"),
    ("21", "2", "email", "Outpatient Services"),
}
SURVEY_IDS = ("341", "359")  # USPTO's patents survey on mobile, and VHA's

# Each format's columns of HISP, service and quarter.
COLUMNS = {
    f.key: {
        "provider": f.provider_id,
        "name": f.provider_name,
        "service": f.service,
        "year": f.year,
        "quarter": f.quarter,
    }
    for f in FORMATS
}
FILES = {
    "merged": "mergedcxdata-2023-05-21.csv",
    "trust": "trust_scores.csv",
    "survey_results": "cx_survey_results.csv",
}


def real_rows(kind):
    """The header and the chosen real rows of one format's file."""
    with open(DATA / FILES[kind], encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    if kind == "merged":
        chosen = [r for r in rows if r["id"] in MERGED_IDS]
    elif kind == "trust":
        chosen = [
            r
            for r in rows
            if (r["fiscal_year"], r["quarter"]) == ("2022", "1")
            and (r["service_provider_id"], r["service_id"], r["channel"], r["service_provided"])
            in TRUST_ROWS
        ]
    else:
        chosen = [r for r in rows if r["collection_detail_id"] in SURVEY_IDS]
    assert chosen
    return reader.fieldnames, chosen


def make_file(kind, year=2031, quarter=1, change=None, rows=None):
    """A CSV file of the chosen real rows, moved to FY`year` Q`quarter`; `change(rows)` edits them."""
    header, chosen = real_rows(kind)
    chosen = rows if rows is not None else chosen
    columns = COLUMNS[kind]
    for row in chosen:
        row[columns["year"]], row[columns["quarter"]] = str(year), str(quarter)
    if change:
        change(chosen)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(chosen)
    return out.getvalue().encode("utf-8")


def post_file(client, content, name="q1.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, "text/csv")})


def counts():
    return (
        QuarterlyReport.objects.count(),
        ServiceSurvey.objects.count(),
        SurveyResult.objects.count(),
        Upload.objects.count(),
    )


def errors_of(response):
    assert response.status_code == 200
    return [str(error) for error in response.context["result"].errors]


def save(client, response):
    """Post the preview's "Save these rows as drafts"; the result page's address."""
    upload = response.context["upload"]
    assert upload is not None, errors_of(response)
    assert "Save these rows as drafts" in response.content.decode()
    saved = client.post(reverse("admin:hisps_quarterlyreport_upload_save", args=[upload.pk]))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    return saved.url


@pytest.fixture
def open_quarter(db):
    return ReportingPeriodFactory(fiscal_year=2031, quarter=1, status="open", publish_at=None)


@pytest.fixture
def anonymous():
    return Client()


def public_shows_fy31(anonymous):
    """Whether FY31 Q1 shows on VHA's public page and in the survey results download."""
    page = anonymous.get(f"/cx/hisps/{VHA}/").content.decode()
    download = anonymous.get("/cx/data/survey_results.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    in_download = any(r["fiscal_year"] == "2031" and r["hisp"] == VHA for r in rows)
    assert ("FY31 Q1" in page) == in_download
    return in_download


# --- Clean files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, surveys, questions",
    [("merged", 3, 7 + 6 + 6), ("trust", 3, 3), ("survey_results", 2, 7 + 6)],
)
def test_a_clean_file_is_saved_as_drafts_and_public_only_once_published(
    publisher, anonymous, open_quarter, kind, surveys, questions
):
    before = counts()
    preview = post_file(publisher, make_file(kind))
    assert errors_of(preview) == []
    result = preview.context["result"]
    assert result.format.key == kind
    assert result.quarters == ["FY31 Q1"]
    assert result.hisps == [
        "United States Patent and Trademark Office",
        "Veterans Health Administration",
    ]
    assert (result.new_surveys, result.replaced_surveys, result.questions) == (
        surveys,
        0,
        questions,
    )
    # The preview wrote nothing but the waiting file.
    assert counts() == (*before[:3], before[3] + 1)

    result_page = save(publisher, preview)
    reports = QuarterlyReport.objects.filter(
        fiscal_year=2031, quarter=1, hisp__touchpoints_id__in=[3, 21]
    )
    saved = ServiceSurvey.objects.filter(report__in=reports)
    results = SurveyResult.objects.filter(survey__in=saved)
    assert (reports.count(), saved.count(), results.count()) == (2, surveys, questions)
    for rows in (reports, saved, results):
        assert set(rows.values_list("status", flat=True)) == {Status.DRAFT}
    assert counts()[:3] == (before[0] + 2, before[1] + surveys, before[2] + questions)
    # History says where each row came from.
    survey = saved.first()
    assert survey.history.get().history_change_reason == "Uploaded from q1.csv by publisher"
    assert survey.history.get().history_user == publisher.user
    # VHA's outpatient survey, as the file gave it.
    vha = saved.get(report__hisp__slug=VHA)
    assert vha.channel == "email"
    if kind != "survey_results":  # which gives no service provided or volumes
        assert vha.service_provided == "Outpatient Services"
        assert (vha.volume_of_customers, vha.volume_of_respondents) == (8965344, 330119)
    trust = vha.results.get(measure__key="trust")
    assert trust.question_number == 2
    assert trust.question_text == "I trust VA to fulfill our country’s commitment to Veterans"
    if kind == "merged":
        assert list(vha.results.values_list("measure__order", flat=True)) == list(range(1, 8))

    page = publisher.get(result_page)
    assert page.status_code == 200
    assert "Submit these for review" in page.content.decode()

    # Drafts in an open quarter: nothing public.
    assert not public_shows_fy31(anonymous)
    past = timezone.now() - datetime.timedelta(hours=1)
    for rows in (reports, saved, results):
        rows.update(status=Status.PUBLISHED, publish_at=past)
    # Published rows, in a quarter still open: still nothing public.
    assert not public_shows_fy31(anonymous)
    open_quarter.status, open_quarter.publish_at = ReportingPeriod.State.PUBLISHED, past
    open_quarter.save()
    assert public_shows_fy31(anonymous)


def test_the_formats_are_the_real_files_headers():
    for f in FORMATS:
        with open(DATA / f.example, encoding="utf-8", newline="") as handle:
            assert tuple(next(csv.reader(handle))) == f.header


def test_a_survey_already_in_the_quarter_has_its_questions_replaced(publisher, open_quarter):
    post = post_file(publisher, make_file("merged"))
    save(publisher, post)
    vha = ServiceSurvey.objects.get(report__hisp__slug=VHA, report__fiscal_year=2031)
    first_ids = set(vha.results.values_list("pk", flat=True))

    def fewer_questions(rows):
        for row in rows:
            row["attributes_q7_text"] = ""
            for point in range(1, 6):
                row[f"attributes_q7_{point}"] = "0"
            row["attributes_q1_5"] = "1"
            row["attributes_volume_of_respondents"] = "1000"

    preview = post_file(publisher, make_file("merged", change=fewer_questions))
    result = preview.context["result"]
    assert (result.new_surveys, result.replaced_surveys) == (0, 3)
    assert "Replace the questions of survey" in preview.content.decode()
    save(publisher, preview)
    vha.refresh_from_db()
    assert vha.volume_of_respondents == 1000
    assert sorted(vha.results.values_list("question_number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert vha.results.get(question_number=1).strongly_agree == 1
    # Updated in place (the same rows, with their history), question 7 removed.
    assert set(vha.results.values_list("pk", flat=True)) < first_ids
    assert ServiceSurvey.objects.filter(report__fiscal_year=2031).count() == 3


# --- Bad files --------------------------------------------------------------------------------


def set_cell(column, value, row=0):
    def change(rows):
        rows[row][column] = value

    return change


BAD = [
    (
        "unknown HISP",
        "merged",
        set_cell("attributes_service_provider_id", "999999"),
        'Row 2, column attributes_service_provider_id, value "999999": no HISP has the '
        "Touchpoints service provider id 999999",
    ),
    (
        "unknown service",
        "trust",
        set_cell("service_id", "999999"),
        'Row 2, column service_id, value "999999": no service has the Touchpoints service id '
        "999999",
    ),
    (
        "service of another HISP",
        "merged",
        set_cell("attributes_service_id", "2"),
        'Row 2, column attributes_service_id, value "2": service 2 (Receiving outpatient services) is a '
        "service of Veterans Health Administration, not of United States Patent and Trademark "
        "Office",
    ),
    (
        "quarter 5",
        "survey_results",
        set_cell("quarter", "5"),
        'Row 2, column quarter, value "5": 5 is not a quarter: write 1, 2, 3 or 4 (1 = Oct–Dec)',
    ),
    (
        "negative count",
        "merged",
        set_cell("attributes_q3_2", "-4"),
        'Row 2, column attributes_q3_2, value "-4": is negative: a count is 0 or more',
    ),
    (
        "a count that is not a whole number",
        "trust",
        set_cell("agree", "61.5"),
        'Row 2, column agree, value "61.5": is not a whole number',
    ),
    (
        "counts not adding up to the total",
        "trust",
        set_cell("total_responses", "690"),
        'Row 2, column total_responses, value "690": the five counts add up to 688 '
        "(52 + 62 + 174 + 210 + 190), not 690",
    ),
    (
        "more respondents than customers offered the survey",
        "trust",
        set_cell("volume_of_respondents", "500000"),
        'Row 2, column volume_of_respondents, value "500000": 500,000 respondents is more than '
        "the 429,384 customers offered the survey (volume_offered_survey)",
    ),
    (
        "a channel that is not one",
        "merged",
        set_cell("attributes_channel", "carrier pigeon"),
        'Row 2, column attributes_channel, value "carrier pigeon": is not a channel: write one of '
        "computer, email, automated_phone, phone, mobile, in_person, website, mixed, paper, "
        "postal_mail, or leave it empty",
    ),
]


def no_questions(rows):
    for number in range(1, 12):
        for part in ("text", "1", "2", "3", "4", "5"):
            rows[0][f"attributes_q{number}_{part}"] = ""


BAD.append(
    (
        "a survey without questions",
        "merged",
        no_questions,
        "Row 2, column attributes_q1_text, value (empty): is empty, and so are the other "
        "questions: a survey needs at least one",
    )
)


@pytest.mark.parametrize("case, kind, change, error", BAD, ids=[case for case, *_ in BAD])
def test_a_bad_row_gives_its_error_and_nothing_is_written(
    publisher, open_quarter, case, kind, change, error
):
    before = counts()
    response = post_file(publisher, make_file(kind, change=change))
    assert error in errors_of(response)
    assert len(errors_of(response)) == 1, errors_of(response)
    page = response.content.decode()
    assert "nothing can be saved" in page and "Save these rows as drafts" not in page
    assert response.context["upload"] is None
    assert counts() == before


def test_a_duplicate_row_names_both_rows(publisher, open_quarter):
    before = counts()
    response = post_file(
        publisher, make_file("merged", change=lambda rows: rows.append(dict(rows[2])))
    )
    assert errors_of(response) == [
        'Row 5, column attributes_service_id, value "2": this row repeats row 4: the same HISP, '
        "service, channel, service provided, quarter and questions. Keep one of the two rows."
    ]
    response = post_file(
        publisher, make_file("survey_results", change=lambda rows: rows.append(dict(rows[0])))
    )
    assert errors_of(response) == [
        'Row 15, column question_number, value "1": this row repeats row 2: the same HISP, '
        "service, channel, quarter and question. Keep one of the two rows."
    ]
    assert counts() == before


@pytest.mark.parametrize("state", ["closed", "published"])
def test_a_quarter_that_is_not_open_is_refused_and_the_open_ones_named(
    publisher, open_quarter, state
):
    ReportingPeriodFactory(fiscal_year=2031, quarter=2, status=state)
    before = counts()
    errors = errors_of(post_file(publisher, make_file("trust", quarter=2)))
    words = {"closed": "closed for review", "published": "published"}[state]
    assert errors[0] == (
        f'Row 2, column quarter, value "2": FY31 Q2 is {words}, not open for reporting. '
        "Open for reporting: FY31 Q1."
    )
    assert len(errors) == 3
    errors = errors_of(post_file(publisher, make_file("trust", year=2031, quarter=3)))
    assert errors[0].endswith(
        "FY31 Q3 has no reporting period, not open for reporting. Open for reporting: FY31 Q1."
    )
    assert counts() == before


def test_a_file_that_is_not_utf8_is_refused_with_the_byte(publisher, open_quarter):
    content = make_file("merged").replace("’".encode(), "’".encode("cp1252"))
    offset = content.index(b"\x92")
    line = content[:offset].count(b"\n") + 1
    before = counts()
    assert errors_of(post_file(publisher, content)) == [
        "The file is not UTF-8 text: save it as 'CSV UTF-8' and upload it again. The first byte "
        f"that is not UTF-8 is at byte offset {offset} (line {line}): 0x92, which is how Excel's "
        "plain 'CSV' (Windows-1252) writes a letter such as é."
    ]
    assert counts() == before


def test_a_byte_order_mark_is_accepted(publisher, open_quarter):
    response = post_file(publisher, b"\xef\xbb\xbf" + make_file("trust"))
    assert errors_of(response) == []


def test_a_file_over_10_mb_is_refused_unread(publisher, open_quarter):
    content = make_file("trust")
    padding = MAX_BYTES + 1 - len(content)
    line = b" " * 999 + b"\n"  # blank rows, which the upload skips
    content += line * (padding // len(line)) + b"\n" * (padding % len(line))
    before = counts()
    response = post_file(publisher, content)
    assert errors_of(response) == [
        "The file is larger than 10 MB (10,485,760 bytes), the most this page reads: upload one "
        "quarter, or a few HISPs, at a time."
    ]
    assert response.context["result"].filename == "q1.csv"
    assert counts() == before
    # Exactly 10 MB is read.
    response = post_file(publisher, content[:-1])
    assert errors_of(response) == []


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n \r\n"])
def test_an_empty_file_is_refused(publisher, content):
    before = counts()
    assert errors_of(post_file(publisher, content)) == [
        "The file is empty: upload a CSV file with a header row and data."
    ]
    assert counts() == before


def test_a_header_without_rows_is_refused(publisher):
    header = make_file("trust").split(b"\r\n")[0] + b"\r\n"
    assert errors_of(post_file(publisher, header)) == [
        "The file has a header row but no data rows under it."
    ]


def test_an_unknown_header_lists_the_three_formats(publisher):
    def rename(rows):
        for row in rows:
            row["total"] = row.pop("total_responses")

    header, rows = real_rows("trust")
    header = [("total" if name == "total_responses" else name) for name in header]
    out = io.StringIO()
    writer = csv.DictWriter(out, header)
    writer.writeheader()
    rename(rows)
    writer.writerows(rows)
    before = counts()
    [error] = errors_of(post_file(publisher, out.getvalue().encode()))
    assert error.startswith(
        "The header row (row 1) matches none of the three formats this page reads: "
        "performance.gov's omb_cx_reporting_collections export (the 104 columns of "
        "mergedcxdata-2023-05-21.csv, starting id, type, attributes_organization_id); trust "
        "scores (the 24 columns of trust_scores.csv, starting fiscal_year, quarter, "
        "organization_name); survey results (the 20 columns of cx_survey_results.csv, starting "
        "collection_detail_id, collection_id, fiscal_year)."
    )
    assert error.endswith(
        "Its columns come closest to the trust scores (missing total_responses; not expected "
        "total). Keep the header exactly as the export wrote it."
    )
    assert counts() == before


def test_a_row_with_more_cells_than_the_header(publisher, open_quarter):
    content = make_file("trust").replace(b"\r\n", b",extra\r\n", 2).replace(b",extra", b"", 1)
    assert errors_of(post_file(publisher, content)) == [
        "Row 2: the row has 25 cells, more than the 24 columns of the "
        "header: check for a comma or line break in a value that is not in quotes"
    ]


def test_every_problem_of_a_row_is_named(publisher, open_quarter):
    def many(rows):
        rows[0].update(service_id="", agree="-1", channel="fax")
        rows[1].update(fiscal_year="20x1")

    errors = errors_of(post_file(publisher, make_file("trust", change=many)))
    assert errors == [
        "Row 2, column service_id, value (empty): is empty: give the service's Touchpoints service id",
        'Row 2, column channel, value "fax": is not a channel: write one of computer, email, '
        "automated_phone, phone, mobile, in_person, website, mixed, paper, postal_mail, or leave "
        "it empty",
        'Row 2, column agree, value "-1": is negative: a count is 0 or more',
        'Row 3, column fiscal_year, value "20x1": is not a whole number',
    ]


def test_a_hisp_may_be_named_instead_of_numbered(publisher, open_quarter):
    def by_name(rows):
        for row in rows:
            row["service_provider_id"] = ""
        rows[0]["service_provider_name"] = "Nobody Administration"

    errors = errors_of(post_file(publisher, make_file("trust", change=by_name)))
    assert errors == [
        'Row 2, column service_provider_name, value "Nobody Administration": no HISP has this '
        "name or abbreviation: give its Touchpoints service provider id in service_provider_id"
    ]


def test_published_rows_are_never_changed(publisher, open_quarter):
    save(publisher, post_file(publisher, make_file("merged")))
    vha = ServiceSurvey.objects.get(report__hisp__slug=VHA, report__fiscal_year=2031)
    vha.status = Status.PUBLISHED
    vha.save()
    before = counts()
    errors = errors_of(post_file(publisher, make_file("merged")))
    assert errors == [
        'Row 4, column attributes_service_id, value "2": the survey of Receiving outpatient '
        "services (Email) for FY31 Q1 is already published: ask OMB to unpublish it first"
    ]
    report = vha.report
    report.status = Status.PUBLISHED
    report.save()
    errors = errors_of(post_file(publisher, make_file("trust")))
    assert errors == [
        'Row 4, column quarter, value "1": the quarterly report of Veterans Health '
        "Administration for FY31 Q1 is already published: ask OMB to unpublish it first"
    ]
    assert counts() == before


def test_a_question_published_before_is_never_removed(publisher, open_quarter):
    save(publisher, post_file(publisher, make_file("merged")))
    vha = ServiceSurvey.objects.get(report__hisp__slug=VHA, report__fiscal_year=2031)
    question = vha.results.get(question_number=7)
    question.status = Status.PUBLISHED
    question.save()
    question.status = Status.DRAFT  # unpublished since: still never deleted
    question.save()

    def drop_seven(rows):
        rows[2]["attributes_q7_text"] = ""
        for point in range(1, 6):
            rows[2][f"attributes_q7_{point}"] = ""

    errors = errors_of(post_file(publisher, make_file("merged", change=drop_seven)))
    assert errors == [
        'Row 4, column attributes_service_id, value "2": question 7 of the survey of Receiving '
        "outpatient services (Email) for FY31 Q1 was published before and is not in this file, and a "
        "published question is never removed: add it to the file, or ask OMB to archive it"
    ]


def test_the_save_checks_again(publisher, open_quarter):
    preview = post_file(publisher, make_file("trust"))
    assert errors_of(preview) == []
    open_quarter.status = ReportingPeriod.State.CLOSED
    open_quarter.save()
    before = counts()
    upload = preview.context["upload"]
    response = publisher.post(reverse("admin:hisps_quarterlyreport_upload_save", args=[upload.pk]))
    assert response.status_code == 200
    assert (
        "The file no longer passes its checks, so nothing was saved." in response.content.decode()
    )
    assert errors_of(response)[0] == (
        'Row 2, column quarter, value "1": FY31 Q1 is closed for review, not open for reporting. '
        "No quarter is open for reporting: ask OMB to open one."
    )
    assert counts() == before
    # Saving answers only a POST.
    url = reverse("admin:hisps_quarterlyreport_upload_save", args=[upload.pk])
    assert publisher.get(url).status_code == 405


def test_saving_twice_writes_once(publisher, open_quarter):
    preview = post_file(publisher, make_file("trust"))
    url = reverse("admin:hisps_quarterlyreport_upload_save", args=[preview.context["upload"].pk])
    publisher.post(url)
    after = counts()
    assert publisher.post(url).status_code == 302
    assert counts() == after
    upload = Upload.objects.get()
    assert upload.data == b"" and upload.saved_at is not None


# --- Agency editors ---------------------------------------------------------------------------


def own_file(own, kind="merged", change=None):
    """Real rows rewritten to the agency editor's own HISP and service."""
    hisp, service = own["hisps.Hisp"], own["hisps.Service"]
    Hisp.objects.filter(pk=hisp.pk).update(touchpoints_id=990001)
    Service.objects.filter(pk=service.pk).update(touchpoints_id=990101)
    columns = COLUMNS[kind]

    def rewrite(rows):
        for row in rows:
            row[columns["provider"]] = "990001"
            row[columns["name"]] = hisp.name
            row[columns["service"]] = "990101"
        if change:
            change(rows)

    return make_file(kind, change=rewrite)


def test_an_agency_editor_uploads_for_its_own_hisp(agency_editor, own):
    preview = post_file(agency_editor, own_file(own))
    assert errors_of(preview) == []
    assert preview.context["result"].hisps == ["Ownagency Provider"]
    save(agency_editor, preview)
    report = own["hisps.QuarterlyReport"]
    # Into the report already there (a draft), beside the survey already there.
    assert report.surveys.count() == 1 + 3


def test_an_agency_editor_cannot_upload_another_agencys_hisp(agency_editor, own, other):
    Hisp.objects.filter(pk=other["hisps.Hisp"].pk).update(touchpoints_id=990002)
    Service.objects.filter(pk=other["hisps.Service"].pk).update(touchpoints_id=990102)

    def one_row_of_theirs(rows):
        rows[1]["attributes_service_provider_id"] = "990002"
        rows[1]["attributes_service_provider_name"] = "Otheragency Provider"
        rows[1]["attributes_service_id"] = "990102"

    before = counts()
    response = post_file(agency_editor, own_file(own, change=one_row_of_theirs))
    assert errors_of(response) == [
        'Row 3, column attributes_service_provider_id, value "990002": 990002 is not the '
        "Touchpoints id of a HISP of your agencies (Ownagency Department): you can upload only "
        "your agencies' data"
    ]
    page = response.content.decode()
    assert "Otheragency" not in page
    assert counts() == before


def test_an_agency_editor_learns_nothing_of_other_agencies_hisps_or_services(
    agency_editor, own, other
):
    Hisp.objects.filter(pk=other["hisps.Hisp"].pk).update(touchpoints_id=990002)
    Service.objects.filter(pk=other["hisps.Service"].pk).update(touchpoints_id=990102)

    def theirs(rows):
        rows[0]["attributes_service_id"] = "990102"  # another agency's service
        rows[1]["attributes_service_provider_id"] = ""
        rows[1]["attributes_service_provider_name"] = "Otheragency Provider"  # by name
        rows[2]["attributes_service_provider_id"] = "21"  # a published HISP of another agency

    errors = errors_of(post_file(agency_editor, own_file(own, change=theirs)))
    assert errors == [
        'Row 2, column attributes_service_id, value "990102": 990102 is not the Touchpoints '
        "service id of a service of Ownagency Provider",
        'Row 3, column attributes_service_provider_name, value "Otheragency Provider": no HISP of '
        "your agencies (Ownagency Department) has this name or abbreviation: give its Touchpoints "
        "service provider id in attributes_service_provider_id",
        'Row 4, column attributes_service_provider_id, value "21": 21 is not the Touchpoints id '
        "of a HISP of your agencies (Ownagency Department): you can upload only your agencies' "
        "data",
    ]


def test_an_agency_editor_cannot_use_another_users_upload(agency_editor, own, open_quarter):
    other_user = Client()
    publisher = type(agency_editor.user).objects.create_user("second-publisher", is_staff=True)
    publisher.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "add_quarterlyreport",
                "add_servicesurvey",
                "add_surveyresult",
                "all_agencies",
            ]
        )
    )
    other_user.force_login(publisher)
    preview = post_file(other_user, make_file("trust"))
    token = preview.context["upload"].pk
    before = counts()
    for name in ("upload_save", "upload_submit"):
        url = reverse(f"admin:hisps_quarterlyreport_{name}", args=[token])
        assert agency_editor.post(url).status_code == 404
    assert (
        agency_editor.get(
            reverse("admin:hisps_quarterlyreport_upload_result", args=[token])
        ).status_code
        == 404
    )
    assert counts() == before


# --- Permissions ------------------------------------------------------------------------------


def test_without_the_add_permissions_the_upload_answers_403(client, django_user_model, own):
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_quarterlyreport", "add_servicesurvey"])
    )
    client.force_login(user)
    assert client.get(UPLOAD).status_code == 403
    before = counts()
    response = post_file(client, own_file(own))
    assert response.status_code == 403
    token = Upload.objects.create(user=user, filename="x.csv", data=b"x").pk
    for name in ("upload_save", "upload_submit"):
        assert (
            client.post(reverse(f"admin:hisps_quarterlyreport_{name}", args=[token])).status_code
            == 403
        )
    assert (
        client.get(reverse("admin:hisps_quarterlyreport_upload_result", args=[token])).status_code
        == 403
    )
    assert counts()[:3] == before[:3]
    # The list does not offer the upload either.
    page = client.get(reverse("admin:hisps_quarterlyreport_changelist")).content.decode()
    assert "Upload quarterly data" not in page


def test_the_quarterly_reports_list_offers_the_upload(agency_editor, own):
    page = agency_editor.get(reverse("admin:hisps_quarterlyreport_changelist")).content.decode()
    assert f'href="{UPLOAD}"' in page and "Upload quarterly data (CSV)" in page
    form = agency_editor.get(UPLOAD).content.decode()
    assert '<label for="id_file" class="required">CSV file</label>' in form
    assert "You can upload data for the HISPs of Ownagency Department." in form
    assert "FY31 Q1" in form  # the open quarter


# --- Submit for review ------------------------------------------------------------------------


def test_submit_for_review_moves_exactly_the_uploaded_rows(agency_editor, own, other):
    before = {
        label: set(model.objects.filter(status=Status.DRAFT).values_list("pk", flat=True))
        for label, model in [
            ("reports", QuarterlyReport),
            ("surveys", ServiceSurvey),
            ("results", SurveyResult),
        ]
    }
    result_page = save(agency_editor, post_file(agency_editor, own_file(own, kind="trust")))
    upload = Upload.objects.get()
    page = agency_editor.get(result_page).content.decode()
    assert "Submit these for review" in page and "Ownagency Provider" in page
    response = agency_editor.post(
        reverse("admin:hisps_quarterlyreport_upload_submit", args=[upload.pk])
    )
    assert response.status_code == 302
    saved = upload.saved
    report = own["hisps.QuarterlyReport"]
    assert saved["hisps.QuarterlyReport"] == [report.pk]
    for label, model in [
        ("hisps.QuarterlyReport", QuarterlyReport),
        ("hisps.ServiceSurvey", ServiceSurvey),
        ("hisps.SurveyResult", SurveyResult),
    ]:
        assert set(model.objects.filter(pk__in=saved[label]).values_list("status", flat=True)) == {
            Status.IN_REVIEW
        }
    # Everything else stays as it was: the editor's own survey already in the report, and the
    # other agency's rows.
    for obj in (
        own["hisps.ServiceSurvey"],
        own["hisps.SurveyResult"],
        *[other[k] for k in ("hisps.QuarterlyReport", "hisps.ServiceSurvey", "hisps.SurveyResult")],
    ):
        obj.refresh_from_db()
        assert obj.status == Status.DRAFT
    assert len(saved["hisps.ServiceSurvey"]) == 3 and len(saved["hisps.SurveyResult"]) == 3
    moved = set(SurveyResult.objects.filter(status=Status.IN_REVIEW).values_list("pk", flat=True))
    assert moved == set(saved["hisps.SurveyResult"])
    assert before["results"] - moved == before["results"]
    history = ServiceSurvey.objects.get(pk=saved["hisps.ServiceSurvey"][0]).history.first()
    assert history.history_change_reason == "Submitted for review (uploaded from q1.csv)"
    page = agency_editor.get(result_page).content.decode()
    assert "Submit these for review" not in page and "In review" in page


def test_the_result_page_shows_the_trust_question_numbered(publisher, open_quarter):
    survey = ServiceSurveyFactory(
        report__hisp=Hisp.objects.get(slug=VHA),
        report__fiscal_year=2031,
        report__quarter=1,
        report__status=Status.DRAFT,
        service=Service.objects.get(touchpoints_id=2),
        channel="email",
        service_provided="Outpatient Services",
        status=Status.DRAFT,
    )
    SurveyResultFactory(
        survey=survey, question_number=2, question_text="Other", status=Status.DRAFT
    )
    preview = post_file(publisher, make_file("trust"))
    assert errors_of(preview) == []
    vha = next(s for s in preview.context["result"].surveys if s.hisp.slug == VHA)
    # Question 2 is another measure's here: the trust question goes after the last.
    assert vha.existing == survey and list(vha.questions) == [3]
    save(publisher, preview)
    assert sorted(survey.results.values_list("question_number", "measure__key")) == [
        (2, None),
        (3, "trust"),
    ]
