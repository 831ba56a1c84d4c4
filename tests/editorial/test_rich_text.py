"""Every long text the public reads is Markdown, says so in its form, renders the same way on its
page, and no payload from an XSS list typed into it reaches a page as active markup."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from content.markdown import HELP, MarkdownField
from content.publishing import ContentModel
from hisps.models import Hisp, QuarterlyReport, Service
from milestones.models import Milestone, MilestoneUpdate
from priorities.models import (
    Goal,
    Highlight,
    LifeExperience,
    LifeExperienceProject,
    LifeExperienceStat,
    PriorityArea,
    ProgressUpdate,
    Strategy,
)
from tests.factories import MilestoneUpdateFactory

pytestmark = pytest.mark.django_db

# Long texts that are not Markdown, and why.
PLAIN = {
    "priorities.Strategy.title": "a title, shown as a heading",
    "milestones.Milestone.title": "a title, shown in the milestone table",
    "milestones.Milestone.description": "not shown on the public site",
    "priorities.SuccessMetric.key_question": "not shown on the public site",
    "priorities.SuccessMetric.target": "not shown on the public site",
    "priorities.SuccessMetric.bottom_line": "not shown on the public site",
    "hisps.ServiceSurvey.operational_metrics": "data, shown only in downloads",
    "hisps.SurveyResult.question_text": "a survey question, quoted as the agency asked it",
    "priorities.LifeExperienceProject.source": "not shown on the public site",
    "source_note": "notes for staff on a record's source",
}

TEXT = "Zq *emphasis* and [a Zq link](https://example.gov/zq)."
EMPHASIS = "<em>emphasis</em>"
LINK = '<a href="https://example.gov/zq" rel="noopener noreferrer">a Zq link</a>'
XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="https://x.example" onclick="alert(1)">x</a>',
    "<iframe src=https://x.example></iframe>",
    "<svg onload=alert(1)>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](JaVaScRiPt:alert(1))",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '"><script>alert(1)</script>',
]


def _first(queryset):
    obj = queryset.first()
    assert obj is not None, queryset.model
    return obj


# Where each Markdown field is read: a public object whose page shows it, and that page.
PAGES = {
    (Hisp, "description"): lambda: _first(
        Hisp.objects.public().filter(slug="veterans-health-administration")
    ),
    (Service, "description"): lambda: _first(
        Service.objects.public().filter(hisp__slug="veterans-health-administration")
    ),
    (Service, "why_designated"): lambda: _first(
        Service.objects.public().filter(hisp__slug="veterans-health-administration")
    ),
    (QuarterlyReport, "reflection"): lambda: _first(
        QuarterlyReport.objects.public().filter(hisp__slug="veterans-health-administration")
    ),
    (PriorityArea, "overview"): lambda: PriorityArea.objects.get(slug="cx"),
    (PriorityArea, "goal_statement"): lambda: PriorityArea.objects.get(slug="cx"),
    (PriorityArea, "quote"): lambda: PriorityArea.objects.get(slug="cx"),
    (PriorityArea, "challenge"): lambda: PriorityArea.objects.get(slug="cx"),
    (PriorityArea, "opportunity"): lambda: PriorityArea.objects.get(slug="cx"),
    (Strategy, "statement"): lambda: Strategy.objects.get(priority_area__slug="cx", number=2),
    (Goal, "statement"): lambda: _first(Goal.objects.public().filter(strategy__number=2)),
    (ProgressUpdate, "body"): lambda: _first(
        ProgressUpdate.objects.public().summaries().filter(priority_area__slug="cx")
    ),
    (Highlight, "excerpt"): lambda: _first(
        Highlight.objects.public().filter(priority_areas__slug="cx")
    ),
    (LifeExperience, "quote"): lambda: _first(LifeExperience.objects.public()),
    (LifeExperience, "where_we_are"): lambda: _first(LifeExperience.objects.public()),
    (LifeExperience, "challenge"): lambda: _first(LifeExperience.objects.public()),
    (LifeExperience, "approach"): lambda: _first(LifeExperience.objects.public()),
    (LifeExperience, "insights"): lambda: _first(LifeExperience.objects.public()),
    (LifeExperience, "research_summary"): lambda: _first(LifeExperience.objects.public()),
    (LifeExperienceStat, "text"): lambda: _first(LifeExperienceStat.objects.public()),
    (LifeExperienceProject, "description"): lambda: _first(LifeExperienceProject.objects.public()),
    (MilestoneUpdate, "note"): lambda: (
        MilestoneUpdate.objects.public().first()
        or MilestoneUpdateFactory(
            milestone=_first(Milestone.objects.public().filter(strategy__number=2)),
            publish_at=timezone.now() - datetime.timedelta(days=1),
        )
    ),
}
# Shown only as a plain-text excerpt: rendered, then its tags dropped.
EXCERPTS = {(Highlight, "excerpt")}
# Read on the page, but written for a page shown elsewhere.
HIGHLIGHT_PAGE = {(Highlight, "excerpt"): "/pma/cx/"}


def _public_text_fields():
    for model in apps.get_models():
        if not issubclass(model, ContentModel):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                yield model, field


def test_every_long_text_is_markdown_or_said_why_not():
    unexplained = []
    for model, field in _public_text_fields():
        label = f"{model._meta.label}.{field.name}"
        if not isinstance(field, MarkdownField) and label not in PLAIN and field.name not in PLAIN:
            unexplained.append(label)
    assert not unexplained, f"long texts neither Markdown nor explained: {unexplained}"


def test_every_markdown_field_says_so_in_its_form():
    for model, field in _public_text_fields():
        if isinstance(field, MarkdownField):
            assert HELP in str(field.help_text), f"{model._meta.label}.{field.name}"


# Markdown fields that no page shows yet (a highlight's own text: highlights link elsewhere).
NOT_SHOWN = {(Highlight, "body")}


def test_every_markdown_field_is_checked_on_its_page():
    fields = {(m, f.name) for m, f in _public_text_fields() if isinstance(f, MarkdownField)}
    assert fields == set(PAGES) | NOT_SHOWN


def _page(client, model, name, obj):
    url = HIGHLIGHT_PAGE.get((model, name)) or obj.get_absolute_url().split("#")[0]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("model", "name"), list(PAGES), ids=[f"{m.__name__}.{n}" for m, n in PAGES]
)
def test_a_markdown_field_reads_as_written_on_its_page(client, model, name):
    obj = PAGES[model, name]()
    setattr(obj, name, TEXT)
    obj.save()
    page = _page(client, model, name, obj)
    if (model, name) in EXCERPTS:
        assert "Zq emphasis and a Zq link." in page and "*emphasis*" not in page
    else:
        assert EMPHASIS in page and LINK in page, f"{model.__name__}.{name}"
        assert "*emphasis*" not in page and "](https://example.gov" not in page


ACTIVE = ("<script", "onerror=", "onload=", "onclick=", "javascript:", "<iframe", "<svg",
          "data:text/html", "style=\"background", "<math", "<style", "<body")  # fmt: skip


def _active_markup(client, url) -> dict:
    page = client.get(url).content.decode().lower()
    return {marker: page.count(marker) for marker in ACTIVE}


@pytest.mark.parametrize("payload", XSS)
def test_no_payload_typed_into_a_markdown_field_runs_on_a_page(client, payload):
    # One instance per row, every Markdown field of it set: saving one field's copy after
    # another's would put the other field back.
    rows, urls = {}, set()
    for (model, name), get in PAGES.items():
        obj = get()
        obj = rows.setdefault((model, obj.pk), obj)
        setattr(obj, name, f"Before {name}. {payload} After.")
        urls.add(HIGHLIGHT_PAGE.get((model, name)) or obj.get_absolute_url().split("#")[0])
    before = {url: _active_markup(client, url) for url in urls}
    for obj in rows.values():
        obj.save()
    pages = "".join(client.get(url).content.decode() for url in urls)
    for _model, name in PAGES:
        assert f"Before {name}." in pages, name  # the field is on a page looked at
    for url in sorted(urls):
        assert _active_markup(client, url) == before[url], (url, payload)
