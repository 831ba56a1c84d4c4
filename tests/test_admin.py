"""The admin is the CMS: every content model can be listed, opened, searched and audited by editors.

The test database already holds the imported performance.gov content (see conftest), so the
`graph` fixture uses example names and slugs that cannot collide with it, and changelists are
filtered to the rows a test is about.
"""

import datetime
import re
from decimal import Decimal
from html import escape

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from content.publishing import ContentModel  # noqa: E402
from hisps.models import (
    Agency,
    CxMeasure,
    Document,
    Hisp,
    LegacyPath,
    LegacyScore,
    QuarterlyReport,
    Service,
    ServiceSurvey,
    SurveyResult,
)
from milestones.models import Milestone, MilestoneUpdate, Progress
from priorities.models import (
    Goal,
    Highlight,
    Leader,
    LifeExperience,
    LifeExperienceProject,
    LifeExperienceStat,
    PriorityArea,
    ProgressUpdate,
    Strategy,
    SuccessMetric,
)
from tests.factories import MilestoneUpdateFactory

pytestmark = pytest.mark.django_db

PUBLISHED = {"status": "published"}
MODEL_LABELS = sorted(
    model._meta.label
    for app in ("hisps", "priorities", "milestones")
    for model in apps.get_app_config(app).get_models()
    if issubclass(model, ContentModel) and not model._meta.model_name.startswith("historical")
)


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "editor", "editor@example.gov", "a long test password"
    )
    client.force_login(user)
    return client


@pytest.fixture
def graph():
    """One published object of every content model, wired together as the importer would."""
    agency = Agency.objects.create(
        name="Department of Example Affairs", abbreviation="DXA", slug="dxa", **PUBLISHED
    )
    hisp = Hisp.objects.create(
        agency=agency,
        name="Example Benefits Administration",
        abbreviation="XBA",
        slug="dxa-xba",
        **PUBLISHED,
    )
    service = Service.objects.create(
        hisp=hisp,
        name="Filing an example claim",
        slug="dxa-xba-claims",
        channels=["computer"],
        **PUBLISHED,
    )
    measure = CxMeasure.objects.create(
        key="example-satisfaction", label="Example satisfaction", **PUBLISHED
    )
    report = QuarterlyReport.objects.create(
        hisp=hisp, fiscal_year=2023, quarter=2, rating="in_line", **PUBLISHED
    )
    survey = ServiceSurvey.objects.create(
        report=report, service=service, channel="computer", volume_of_respondents=400, **PUBLISHED
    )
    area = PriorityArea.objects.create(
        agenda="Example Management Agenda (2033–2037)",
        agenda_start_year=2033,
        number=2,
        title="Delivering excellent example services and customer experience",
        short_title="Example CX",
        slug="example-cx",
        **PUBLISHED,
    )
    strategy = Strategy.objects.create(
        priority_area=area, number=1, title="Improve the example service providers", **PUBLISHED
    )
    goal = Goal.objects.create(
        strategy=strategy, number="1.1", statement="Publish action plans.", **PUBLISHED
    )
    life = LifeExperience.objects.create(
        name="Retiring (example)", slug="example-retiring", **PUBLISHED
    )
    highlight = Highlight.objects.create(
        title="Renewing example permits online",
        slug="example-permits",
        date=datetime.date(2023, 9, 1),
        **PUBLISHED,
    )
    highlight.priority_areas.add(area)
    objects = [
        *(agency, hisp, service, measure, report, survey, area, strategy, goal, life, highlight),
        SurveyResult.objects.create(
            survey=survey,
            question_number=1,
            question_text="I am satisfied with the example service I received.",
            measure=measure,
            strongly_disagree=10,
            disagree=20,
            neutral=30,
            agree=120,
            strongly_agree=220,
            **PUBLISHED,
        ),
        LifeExperienceProject.objects.create(
            life_experience=life,
            name="Example retirement planner",
            slug="example-planner",
            **PUBLISHED,
        ),
        LegacyPath.objects.create(hisp=hisp, path="/cx/dashboard/dxa/xba/", **PUBLISHED),
        LegacyScore.objects.create(
            hisp=hisp,
            fiscal_year=2020,
            quarter=1,
            measure=measure,
            average_score=Decimal("4.10"),
            **PUBLISHED,
        ),
        Document.objects.create(
            kind=Document.Kind.HISP_ACTION_PLAN,
            title="XBA example CX action plan 2023",
            url="https://www.performance.gov/cx/example-action-plan.pdf",
            year=2023,
            hisp=hisp,
            **PUBLISHED,
        ),
        SuccessMetric.objects.create(
            priority_area=area,
            key_question="Are customers more satisfied with example services?",
            **PUBLISHED,
        ),
        Leader.objects.create(
            priority_area=area,
            name="Alex Example",
            title="Deputy Director for Management",
            agency=agency,
            **PUBLISHED,
        ),
        ProgressUpdate.objects.create(
            priority_area=area,
            period_label="August 2033",
            date=datetime.date(2033, 8, 1),
            **PUBLISHED,
        ),
        milestone := Milestone.objects.create(
            strategy=strategy,
            goal=goal,
            title="Publish example action plans",
            progress=Progress.IN_PROGRESS,
            fiscal_year=2023,
            quarter=2,
            **PUBLISHED,
        ),
        MilestoneUpdate.objects.create(
            milestone=milestone, progress=Progress.COMPLETE, note="All plans are out.", **PUBLISHED
        ),
        LifeExperienceStat.objects.create(
            life_experience=life,
            text="About 4 million example customers retire each year.",
            **PUBLISHED,
        ),
    ]
    return {obj._meta.label: obj for obj in objects}


def admin_url(obj_or_model, view="changelist"):
    opts = obj_or_model._meta
    args = [obj_or_model.pk] if view in ("change", "history") else []
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def headings(content, css_class):
    """The text of the headings with this class, as a reader sees them."""
    return re.findall(rf'<h2 id="[^"]*" class="{css_class}">\s*(.*?)\s*</h2>', content, re.DOTALL)


def test_every_content_model_is_in_the_admin_with_history():
    assert len(MODEL_LABELS) == 22
    for label in MODEL_LABELS:
        assert isinstance(admin.site._registry.get(apps.get_model(label)), SimpleHistoryAdmin), (
            label
        )


def test_the_fixture_covers_every_model(graph):
    assert sorted(graph) == MODEL_LABELS


@pytest.mark.parametrize("label", MODEL_LABELS)
def test_changelist_lists_the_object(editor, graph, label):
    obj = graph[label]
    model = type(obj)
    everything = editor.get(admin_url(model))
    assert everything.status_code == 200
    count = model.objects.count()
    noun = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    assert f"{count} {noun}" in everything.content.decode()

    response = editor.get(admin_url(model), {"id__exact": obj.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert f"1 {model._meta.verbose_name}" in content
    assert escape(str(obj)) in content
    assert "Secondary source" in content
    assert "Incomplete" in content


@pytest.mark.parametrize("label", MODEL_LABELS)
def test_change_form_shows_fields_inlines_and_source(editor, graph, label):
    obj = graph[label]
    model_admin = admin.site._registry[type(obj)]
    response = editor.get(admin_url(obj, "change"))
    assert response.status_code == 200
    content = response.content.decode()
    assert headings(content, "fieldset-heading")[-2:] == ["Publishing", "Source"]
    # The Source fieldset starts collapsed: its heading is the summary of a closed <details>.
    assert re.search(r"<details><summary>\s*<h2 [^>]*>Source</h2>", content)
    expected = [
        capfirst(inline.verbose_name_plural or inline.model._meta.verbose_name_plural)
        for inline in model_admin.inlines
    ]
    assert headings(content, "inline-heading") == expected


@pytest.mark.parametrize("label", MODEL_LABELS)
def test_add_form_starts_as_a_draft(editor, label):
    content = editor.get(admin_url(apps.get_model(label), "add")).content.decode()
    assert headings(content, "fieldset-heading")[-2:] == ["Publishing", "Source"]
    assert '<option value="draft" selected>Draft</option>' in content
    assert 'name="published_at"' not in content


def test_priority_area_form_lists_its_leaders_metrics_and_updates(editor, graph):
    content = editor.get(admin_url(graph["priorities.PriorityArea"], "change")).content.decode()
    assert headings(content, "inline-heading") == ["Leaders", "Success metrics", "Progress updates"]
    assert 'value="Alex Example"' in content
    assert 'value="August 2033"' in content


def test_hisp_form_lists_services_reports_and_old_addresses(editor, graph):
    content = editor.get(admin_url(graph["hisps.Hisp"], "change")).content.decode()
    assert headings(content, "inline-heading") == [
        "Services",
        "Quarterly reports",
        "Old performance.gov addresses",
    ]
    assert 'value="Filing an example claim"' in content
    assert 'value="/cx/dashboard/dxa/xba/"' in content


def test_search_finds_a_hisp_by_name(editor, graph):
    Hisp.objects.create(agency=graph["hisps.Agency"], name="Example Student Aid", slug="dxa-esa")
    url = admin_url(Hisp)

    found = editor.get(url, {"q": "Example Benefits"}).content.decode()
    assert "1 result (" in found
    assert ">Example Benefits Administration</a>" in found
    assert ">Example Student Aid</a>" not in found

    other = editor.get(url, {"q": "Example Student"}).content.decode()
    assert ">Example Student Aid</a>" in other
    assert ">Example Benefits Administration</a>" not in other


def test_milestone_changelist_flags_secondary_sources(editor, graph):
    milestone = graph["milestones.Milestone"]
    url = admin_url(Milestone)
    yes_icon = 'icon-yes.svg" alt="True"'

    plain = editor.get(url, {"id__exact": milestone.pk}).content.decode()
    assert 'class="sortable column-secondary_source"' in plain
    assert yes_icon not in plain

    milestone.secondary_source = True
    milestone.save()
    flagged = editor.get(url, {"id__exact": milestone.pk}).content.decode()
    assert (
        f'<td class="field-secondary_source"><img src="/static/admin/img/{yes_icon}></td>'
        in flagged
    )


def test_survey_result_changelist_shows_computed_numbers(editor, graph):
    result = graph["hisps.SurveyResult"]
    content = editor.get(admin_url(SurveyResult), {"id__exact": result.pk}).content.decode()
    for header in ("Answers", "% agree", "Mean (1–5)"):
        assert f"<span>{header}</span>" in content
    assert '<td class="field-total_answers">400</td>' in content
    assert '<td class="field-percent_agree">85.0</td>' in content
    assert '<td class="field-mean_score">4.30</td>' in content


def test_imported_ids_are_read_only(editor, graph):
    hisp = graph["hisps.Hisp"]
    Hisp.objects.filter(pk=hisp.pk).update(external_id="example-hisp-xba", touchpoints_id=987654)
    content = editor.get(admin_url(hisp, "change")).content.decode()
    assert '<div class="readonly">example-hisp-xba</div>' in content
    assert '<div class="readonly">987654</div>' in content
    assert 'name="external_id"' not in content
    assert 'name="touchpoints_id"' not in content


def test_editor_ticks_a_services_channels(editor, graph):
    service = graph["hisps.Service"]
    form = editor.get(admin_url(service, "change")).content.decode()
    assert 'type="checkbox" name="channels" value="computer"' in form

    publish_at = timezone.localtime(service.publish_at)
    data = {
        "hisp": service.hisp_id,
        "name": service.name,
        "slug": service.slug,
        "channels": ["computer", "phone"],
        "designated": "on",
        "status": "published",
        "publish_at_0": f"{publish_at:%Y-%m-%d}",
        "publish_at_1": f"{publish_at:%H:%M:%S}",
        "sources": "[]",
    }
    response = editor.post(admin_url(service, "change"), data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.channels == ["computer", "phone"]
    assert service.history.count() == 2


def test_history_page_lists_the_changes(editor, graph):
    hisp = graph["hisps.Hisp"]
    hisp.headline = "Serves two million example customers."
    hisp.save()
    content = editor.get(admin_url(hisp, "history")).content.decode()
    assert "<td>Created</td>" in content
    assert "<td>Changed</td>" in content


def test_site_header_names_the_portal(editor):
    content = editor.get(reverse("admin:index")).content.decode()
    assert "CX progress portal administration" in content
    assert "High Impact Service Providers" in content
    assert "Milestones" in content


def test_non_staff_user_is_sent_to_the_login_page(client, django_user_model):
    user = django_user_model.objects.create_user(
        "visitor", "visitor@example.com", "a long test password"
    )
    client.force_login(user)
    url = admin_url(Hisp)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


@pytest.mark.parametrize("label", MODEL_LABELS)
def test_changelist_queries_do_not_grow_with_rows(editor, graph, label, django_assert_num_queries):
    """The imported content gives every model several rows (status updates are made here): listing
    20 costs what listing 1 does."""
    model = apps.get_model(label)
    if model is MilestoneUpdate:  # made on this site only, never imported
        MilestoneUpdateFactory.create_batch(3)
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True)[:20])
    assert len(pks) >= 2
    url = admin_url(model)
    editor.get(url, {"id__in": pks[0]})  # warm up: session, content types
    with CaptureQueriesContext(connection) as one_row:
        editor.get(url, {"id__in": pks[0]})
    with django_assert_num_queries(len(one_row)):
        response = editor.get(url, {"id__in": ",".join(map(str, pks))})
    assert response.context["cl"].result_count == len(pks)
