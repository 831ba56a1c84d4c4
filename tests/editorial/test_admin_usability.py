"""The admin as a new editor meets it (issue 7): provenance in words, every date and time with its
zone and no warning about the server's clock, the index's editorial panel, and the lists' filters
by agency, fiscal quarter and reporting period, which never name another agency to an agency
editor."""

import datetime
import re
from html import escape
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.admin import when
from content.admin_widgets import zone_label
from content.publishing import ContentModel, Status
from cxportal.roles import AGENCY_MODELS
from hisps.models import (
    AgencyEditor,
    Document,
    Hisp,
    QuarterlyReport,
    ReportingPeriod,
    ServiceSurvey,
    SurveyResult,
)
from milestones.models import Milestone
from tests.factories import DocumentFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

EASTERN = ZoneInfo("America/New_York")
IN_QUARTER = ("hisps.QuarterlyReport", "hisps.ServiceSurvey", "hisps.SurveyResult")
CONTENT_ADMINS = [
    model._meta.label for model in admin.site._registry if issubclass(model, ContentModel)
]


def admin_url(obj_or_model, view="changelist"):
    opts = obj_or_model._meta
    args = [obj_or_model.pk] if view == "change" else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def listed(client, model, **params):
    response = client.get(admin_url(model), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


def section(content, heading):
    """The text of the index panel's section under `heading`."""
    match = re.search(rf"<h2 [^>]*>{heading}</h2>(.*?)</section>", content, re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def schedule(obj, moment):
    obj.status = Status.PUBLISHED
    obj.publish_at = moment
    obj.save()
    return obj


# Provenance -------------------------------------------------------------------------------------


def test_sources_read_as_links_and_places_with_their_notes_not_json(publisher, own):
    hisp = own["hisps.Hisp"]
    hisp.sources = [
        {
            "repo": "GSA/HISP-CX-Data",
            "path": "data/hisps.csv",
            "commit": "e9b2def2c9ab1d9036d5ee8aaab65b70cb3f9e5c",
            "note": "the 2023 list",
        },
        {"url": "https://www.performance.gov/cx/hisps/", "kind": "stored public web page"},
        {"url": "javascript:alert(1)", "note": "<b>not markup</b>"},
    ]
    hisp.save()
    content = publisher.get(admin_url(hisp, "change")).content.decode()

    sources = re.search(r'<ul class="provenance-list">.*?</ul>', content, re.S).group(0)
    assert "<li>GSA/HISP-CX-Data/data/hisps.csv @ e9b2def2c9ab: the 2023 list</li>" in sources
    link = "https://www.performance.gov/cx/hisps/"
    assert f'<li><a href="{link}">{link}</a>: stored public web page</li>' in sources
    assert "<li>javascript:alert(1): &lt;b&gt;not markup&lt;/b&gt;</li>" in sources
    assert 'href="javascript:' not in content
    # No JSON box, and no JSON.
    assert 'name="sources"' not in content
    assert "&quot;repo&quot;" not in content
    source = re.search(r"<h2 [^>]*>Source</h2>.*?</fieldset>", content, re.S).group(0)
    assert "[" not in source and "{" not in source


@pytest.mark.parametrize("label", CONTENT_ADMINS)
def test_every_content_form_shows_its_sources_as_text(publisher, label):
    content = publisher.get(admin_url(apps.get_model(label), "add")).content.decode()
    assert 'name="sources"' not in content
    assert re.search(
        r"<label>Sources:</label>\s*<div class=\"readonly\">None recorded</div>", content
    )


def test_a_milestones_changelog_reads_as_its_lines(publisher):
    milestone = Milestone.objects.exclude(source_changelog=[]).first()
    content = publisher.get(admin_url(milestone, "change")).content.decode()
    first = milestone.source_changelog[0]
    assert f"<li>{escape(first['text'] if isinstance(first, dict) else first)}" in content
    assert 'name="source_changelog"' not in content
    assert "[&quot;" not in content


# Dates and times ---------------------------------------------------------------------------------


def time_inputs(content):
    """(id, aria-describedby) of each time box on the page."""
    boxes = re.findall(r"<input [^>]*class=\"vTimeField\"[^>]*>", content)
    return [
        (re.search(r'id="([^"]+)"', box).group(1), re.search(r'aria-describedby="([^"]*)"', box))
        for box in boxes
    ]


def zone_of(content, box_id):
    match = re.search(rf'<span class="timezone-label" id="{box_id}_zone">([^<]*)</span>', content)
    return match and match.group(1)


@pytest.fixture
def superuser(client, django_user_model):
    user = django_user_model.objects.create_superuser("usability-admin", "a@example.gov", "x" * 16)
    client.force_login(user)
    client.user = user
    return client


def every_form(superuser):
    """Each add page of the content models, and a user's page (last login, date joined)."""
    for label in CONTENT_ADMINS:
        yield admin_url(apps.get_model(label), "add")
    yield admin_url(superuser.user, "change")


def test_every_date_and_time_box_names_its_zone(superuser):
    for url in every_form(superuser):
        content = superuser.get(url).content.decode()
        boxes = time_inputs(content)
        assert boxes, url
        for box_id, described_by in boxes:
            assert described_by and f"{box_id}_zone" in described_by.group(1).split(), url
            assert re.fullmatch(r"Eastern Time \(E[SD]T\)", zone_of(content, box_id) or ""), url
        # Django's warning is made by its script in the browser: the admin's stylesheet hides it.
        assert "server time" not in content
        assert "css/admin.css" in content


def test_the_admin_stylesheet_hides_the_server_time_warning():
    with open(finders.find("css/admin.css")) as stylesheet:
        css = stylesheet.read()
    rule = re.search(r"([^}]*\.timezonewarning[^{]*)\{([^}]*)\}", css)
    assert rule and "display: none" in rule.group(2)


def test_the_zone_is_the_one_of_the_items_own_date(publisher, own):
    hisp = own["hisps.Hisp"]
    for moment, abbreviation in [
        (datetime.datetime(2031, 7, 1, 9, tzinfo=EASTERN), "EDT"),
        (datetime.datetime(2031, 12, 1, 9, tzinfo=EASTERN), "EST"),
    ]:
        hisp.publish_at = moment
        hisp.save()
        content = publisher.get(admin_url(hisp, "change")).content.decode()
        assert zone_of(content, "id_publish_at_1") == f"Eastern Time ({abbreviation})"


def test_a_time_typed_in_is_labelled_with_its_own_dates_zone():
    assert zone_label(["2031-07-04", "09:00"]) == "Eastern Time (EDT)"
    assert zone_label(["2031-01-04", ""]) == "Eastern Time (EST)"
    now = timezone.localtime(timezone.now(), EASTERN).strftime("%Z")
    assert zone_label(["not a date", "9"]) == f"Eastern Time ({now})"
    assert zone_label(None) == f"Eastern Time ({now})"


def test_the_date_and_the_time_box_each_have_a_label(publisher, own):
    content = publisher.get(admin_url(own["hisps.Hisp"], "change")).content.decode()
    assert re.search(r'<label class="required" for="id_publish_at_0">Publish at:</label>', content)
    assert '<label class="datetime-part" for="id_publish_at_0">Date:</label>' in content
    assert '<label class="datetime-part" for="id_publish_at_1">Time:</label>' in content


# The index's panel -------------------------------------------------------------------------------


def test_index_links_each_models_items_in_review(publisher, own):
    for label in ("hisps.QuarterlyReport", "hisps.Document"):
        own[label].status = Status.IN_REVIEW
        own[label].save()
    content = publisher.get(reverse("admin:index")).content.decode()
    waiting = section(content, "Waiting for review")
    for model in (QuarterlyReport, Document):
        count = model.objects.filter(status=Status.IN_REVIEW).count()
        name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
        link = f'<a href="{admin_url(model)}?state=in_review">{count} {name}</a> in review'
        assert link in waiting
    # The link is the list, filtered to what is in review.
    assert own["hisps.QuarterlyReport"] in listed(publisher, QuarterlyReport, state="in_review")


def test_index_lists_scheduled_items_soonest_first_with_time_and_zone(publisher, own):
    later = schedule(own["hisps.Hisp"], datetime.datetime(2031, 12, 5, 9, tzinfo=EASTERN))
    sooner = schedule(own["hisps.Service"], datetime.datetime(2031, 7, 5, 9, tzinfo=EASTERN))
    content = publisher.get(reverse("admin:index")).content.decode()
    scheduled = section(content, "Scheduled to go live")
    items = re.findall(r"<li>(.*?)</li>", scheduled, re.S)
    mine = [item for item in items if "Ownagency" in item]
    assert len(mine) == 2
    assert f'<a href="{admin_url(sooner, "change")}">Ownagency Service</a>' in mine[0]
    assert when(sooner.publish_at) in mine[0] and when(sooner.publish_at).endswith(" EDT")
    assert f'<a href="{admin_url(later, "change")}">Ownagency Provider</a>' in mine[1]
    assert when(later.publish_at) in mine[1] and when(later.publish_at).endswith(" EST")
    # Soonest first across all the lists.
    times = re.findall(r'<time datetime="([^"]+)"', scheduled)
    assert times == sorted(times, key=datetime.datetime.fromisoformat)


def test_index_shows_the_current_reporting_period(publisher, own):
    content = publisher.get(reverse("admin:index")).content.decode()
    # The latest period is the one own's report opened (FY31 Q1), still open.
    assert "FY31 Q1: Open for reporting" in section(content, "Current reporting period")

    moment = datetime.datetime(2099, 11, 15, 9, tzinfo=EASTERN)
    ReportingPeriodFactory(fiscal_year=2099, quarter=4, status="published", publish_at=moment)
    content = publisher.get(reverse("admin:index")).content.decode()
    period = section(content, "Current reporting period")
    assert f"FY99 Q4: scheduled to go public {when(moment)}" in period
    assert when(moment).endswith(" EST")


def test_an_agency_editors_index_counts_only_its_own_agencies(agency_editor, own, other):
    for data in (own, other):
        data["hisps.QuarterlyReport"].status = Status.IN_REVIEW
        data["hisps.QuarterlyReport"].save()
        schedule(data["hisps.Hisp"], timezone.now() + datetime.timedelta(days=3))
    content = agency_editor.get(reverse("admin:index")).content.decode()
    waiting = section(content, "Waiting for review")
    assert "1 quarterly report</a> in review" in waiting
    scheduled = section(content, "Scheduled to go live")
    assert "Ownagency Provider" in scheduled
    assert "Otheragency" not in content


def _outer(sql: str) -> str:
    """The query without its parenthesized parts (subqueries), to find its own FROM."""
    while True:
        shorter = re.sub(r"\([^()]*\)", "", sql)
        if shorter == sql:
            return sql
        sql = shorter


def test_index_queries_do_not_grow_with_the_items(publisher, own, other):
    url = reverse("admin:index")
    publisher.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as few:
        publisher.get(url)
    soon = timezone.now() + datetime.timedelta(days=2)
    for data in (own, other):
        for label in AGENCY_MODELS:
            data[label].status = Status.IN_REVIEW
            data[label].save()
        for n in range(12):
            schedule(DocumentFactory(hisp=data["hisps.Hisp"], title=f"Plan {n}"), soon)
    with CaptureQueriesContext(connection) as many:
        response = publisher.get(url)
    assert len(many) == len(few)
    assert response.context["overview"]["scheduled_more"] >= 14
    # One query a content model at most (its table the query's first FROM: a milestone's count
    # reads its status updates in a subquery of the same query).
    tables = [re.search(r'FROM "(\w+)"', _outer(q["sql"])) for q in many.captured_queries]
    tables = [match.group(1) for match in tables if match]
    for model in admin.site._registry:
        if issubclass(model, ContentModel):
            # The priority areas are read once more, for the list of quarterly reports.
            allowed = 2 if model._meta.label == "priorities.PriorityArea" else 1
            assert tables.count(model._meta.db_table) <= allowed, model


# The lists' filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", AGENCY_MODELS)
def test_agency_filter_narrows_a_list_to_a_department_with_its_bureaus_or_to_a_bureau(
    publisher, own, other, label
):
    model = apps.get_model(label)
    department = own["hisps.Agency"]
    for slug in (department.slug, department.bureaus.get().slug):
        rows = listed(publisher, model, agency=slug)
        assert own[label] in rows
        assert other[label] not in rows


@pytest.mark.parametrize("label", IN_QUARTER)
def test_quarter_and_period_filters_narrow_the_lists(publisher, own, other, label):
    # The other agency's report moves to FY31 Q2, whose period is closed for review.
    ReportingPeriodFactory(fiscal_year=2031, quarter=2, status="closed", publish_at=None)
    QuarterlyReport.objects.filter(pk=other["hisps.QuarterlyReport"].pk).update(quarter=2)
    model = apps.get_model(label)

    q1 = listed(publisher, model, fiscal_quarter="FY2031Q1")
    assert own[label] in q1 and other[label] not in q1
    closed = listed(publisher, model, period="closed")
    assert other[label] in closed and own[label] not in closed
    open_ = listed(publisher, model, period="open")
    assert own[label] in open_ and other[label] not in open_

    response = publisher.get(admin_url(model))
    choices = dict(spec_choices(response, "fiscal quarter"))
    assert choices["FY2031Q1"] == "FY31 Q1" and choices["FY2031Q2"] == "FY31 Q2"


def test_a_quarter_with_no_reporting_period_can_be_found(publisher, own):
    report = own["hisps.QuarterlyReport"]
    ReportingPeriod.objects.filter(fiscal_year=2031, quarter=1).delete()
    assert report in listed(publisher, QuarterlyReport, period="none")
    assert report not in listed(publisher, QuarterlyReport, period="open")
    assert own["hisps.ServiceSurvey"] in listed(publisher, ServiceSurvey, period="none")
    assert own["hisps.SurveyResult"] in listed(publisher, SurveyResult, period="none")


def spec_choices(response, title):
    """The (value, label) choices of the list's filter with this title."""
    for spec in response.context["cl"].filter_specs:
        if spec.title == title:
            return list(spec.lookup_choices)
    raise AssertionError(f"no filter {title!r}")


@pytest.mark.parametrize("label", AGENCY_MODELS)
def test_an_agency_editors_filters_never_name_another_agency(agency_editor, own, other, label):
    QuarterlyReport.objects.filter(pk=other["hisps.QuarterlyReport"].pk).update(quarter=3)
    model = apps.get_model(label)
    response = agency_editor.get(admin_url(model))
    assert response.status_code == 200
    department = own["hisps.Agency"]
    assert spec_choices(response, "agency") == [
        ("ownagency-dept", "Ownagency Department"),
        ("ownagency-bureau", f"Ownagency Bureau ({department.short_name})"),
    ]
    content = response.content.decode()
    assert "Otheragency" not in content
    if label in IN_QUARTER:
        # Nor another agency's quarters.
        assert [value for value, _ in spec_choices(response, "fiscal quarter")] == ["FY2031Q1"]
    # Asking for another agency's rows finds none.
    assert not listed(agency_editor, model, agency="otheragency-dept")


def test_a_bureau_editors_agency_filter_names_only_its_bureau(agency_editor, own):
    AgencyEditor.objects.filter(user=agency_editor.user).update(
        agency=own["hisps.Agency"].bureaus.get()
    )
    response = agency_editor.get(admin_url(Hisp))
    assert spec_choices(response, "agency") == [("ownagency-bureau", "Ownagency Bureau")]


# Names for screen readers ------------------------------------------------------------------------


def test_each_box_of_a_tables_row_is_named_by_its_column_and_row(publisher, own):
    survey = own["hisps.ServiceSurvey"]
    SurveyResult.objects.create(survey=survey, question_number=20, question_text="Easy")
    content = publisher.get(admin_url(survey, "change")).content.decode()
    for index, result in enumerate(survey.results.order_by("question_number")):
        row = escape(str(result))
        for column, name in [("Agree", "agree"), ("Status", "status"), ("Delete", "DELETE")]:
            box = re.search(rf'<[^>]* name="results-{index}-{name}"[^>]*>', content).group(0)
            assert f'aria-label="{column} ({row})"' in box
        # An autocomplete's box too, though its wrapper shares its attributes with the form class.
        measure = re.search(rf'<select [^>]*name="results-{index}-measure"[^>]*>', content)
        assert f'aria-label="Measure ({row})"' in measure.group(0)
    template = re.search(r'<[^>]* name="results-__prefix__-agree"[^>]*>', content).group(0)
    assert 'aria-label="Agree (new row)"' in template
