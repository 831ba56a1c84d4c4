"""Only public rows are downloadable: drafts, scheduled rows and rows of a hidden parent are absent."""

import datetime

import pytest
from django.utils import timezone

from content.publishing import Status
from cxportal.data.datasets import DATASETS
from tests.data.streams import download
from tests.factories import (
    CxMeasureFactory,
    GoalFactory,
    HispFactory,
    LegacyScoreFactory,
    LifeExperienceFactory,
    LifeExperienceProjectFactory,
    MilestoneFactory,
    PriorityAreaFactory,
    ProgressUpdateFactory,
    QuarterlyReportFactory,
    ServiceFactory,
    StrategyFactory,
    SurveyResultFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = {"status": Status.DRAFT}
IN_REVIEW = {"status": Status.IN_REVIEW}
ARCHIVED = {"status": Status.ARCHIVED}


def scheduled():
    return {"publish_at": timezone.now() + datetime.timedelta(days=3)}


def hidden_states():
    return {"draft": DRAFT, "in review": IN_REVIEW, "archived": ARCHIVED, "scheduled": scheduled()}


def _project_milestone(title, life_experience=None, project=None):
    experience = LifeExperienceFactory(**(life_experience or {}))
    proj = LifeExperienceProjectFactory(life_experience=experience, **(project or {}))
    return MilestoneFactory(title=title, strategy=None, project=proj)


def _goal_milestone(title, goal):
    strategy = StrategyFactory()
    return MilestoneFactory(title=title, strategy=strategy, goal=GoalFactory(strategy=strategy, **goal))  # fmt: skip


# For each dataset: the field that identifies a row, a maker of a row holding `marker` in that
# field (publishing keywords apply to the row itself), and makers of rows under a hidden parent.
CASES = {
    "hisps": (
        "name",
        lambda marker, **kw: HispFactory(name=marker, **kw),
        {},  # a department or bureau is a label of the HISP, not its parent
    ),
    "hisp_services": (
        "name",
        lambda marker, **kw: ServiceFactory(name=marker, **kw),
        {
            "draft HISP": lambda m: ServiceFactory(name=m, hisp__status=Status.DRAFT),
        },
    ),
    "quarterly_reports": (
        "rating_note",
        lambda marker, **kw: QuarterlyReportFactory(rating_note=marker, **kw),
        {
            "draft HISP": lambda m: QuarterlyReportFactory(
                rating_note=m, hisp__status=Status.DRAFT
            ),
        },
    ),
    "survey_results": (
        "question_text",
        lambda marker, **kw: SurveyResultFactory(question_text=marker, **kw),
        {
            "draft survey": lambda m: SurveyResultFactory(
                question_text=m, survey__status=Status.DRAFT
            ),
            "scheduled report": lambda m: SurveyResultFactory(
                question_text=m, survey__report__publish_at=scheduled()["publish_at"]
            ),
            "draft service": lambda m: SurveyResultFactory(
                question_text=m, survey__service__status=Status.DRAFT
            ),
            "draft HISP": lambda m: SurveyResultFactory(
                question_text=m, survey__report__hisp__status=Status.DRAFT
            ),
        },
    ),
    "legacy_scores": (
        "statement",
        lambda marker, **kw: LegacyScoreFactory(statement=marker, **kw),
        {"draft HISP": lambda m: LegacyScoreFactory(statement=m, hisp__status=Status.DRAFT)},
    ),
    "cx_measures": (
        "label",
        lambda marker, **kw: CxMeasureFactory(label=marker, **kw),
        {},
    ),
    "milestones": (
        "title",
        lambda marker, **kw: MilestoneFactory(title=marker, **kw),
        {
            "draft strategy": lambda m: MilestoneFactory(title=m, strategy__status=Status.DRAFT),
            "strategy of a scheduled area": lambda m: MilestoneFactory(
                title=m, strategy__priority_area=PriorityAreaFactory(**scheduled())
            ),
            "draft goal": lambda m: _goal_milestone(m, DRAFT),
            "draft project": lambda m: _project_milestone(m, project=DRAFT),
            "project of a scheduled life experience": lambda m: _project_milestone(
                m, life_experience=scheduled()
            ),
        },
    ),
    "progress_updates": (
        "body",
        lambda marker, **kw: ProgressUpdateFactory(body=marker, **kw),
        {
            "draft priority area": lambda m: ProgressUpdateFactory(
                body=m, priority_area__status=Status.DRAFT
            ),
            "draft strategy": lambda m: ProgressUpdateFactory(
                body=m,
                kind="strategy_status",
                strategy=StrategyFactory(**DRAFT),
            ),
        },
    ),
}


# Datasets of sums, with no row of their own to mark: their hidden rows are tested where they are
# shown (trust_by_quarter: tests/site/test_home_trust.py, open quarters, drafts and scheduled).
AGGREGATES = {"trust_by_quarter"}


def test_every_dataset_has_a_case():
    assert set(CASES) | AGGREGATES == set(DATASETS)


def _values(client, name, field):
    return {fmt: [row[field] for row in download(client, name, fmt)] for fmt in ("csv", "json")}


@pytest.mark.parametrize("name", CASES)
def test_drafts_and_scheduled_rows_are_absent(client, name):
    field, make, _ = CASES[name]
    make("Zz shown")
    for state, publishing in hidden_states().items():
        make(f"Zz hidden {state}", **publishing)

    for fmt, values in _values(client, name, field).items():
        assert "Zz shown" in values, fmt
        assert not [v for v in values if str(v).startswith("Zz hidden")], fmt


@pytest.mark.parametrize("name", [name for name, (_, _, parents) in CASES.items() if parents])
def test_rows_under_a_hidden_parent_are_absent(client, name):
    """A row under each kind of hidden parent at once (each names its parent), one download each."""
    field, _, parents = CASES[name]
    before = DATASETS[name].count()
    for parent, make in parents.items():
        make(f"Zz orphan under a {parent}")

    for fmt, values in _values(client, name, field).items():
        assert not [v for v in values if str(v).startswith("Zz orphan")], fmt
        assert len(values) == before, fmt


def test_a_life_experience_milestone_is_public_with_its_project(client):
    _project_milestone("Zz project milestone")
    rows = download(client, "milestones", "json")
    row = next(r for r in rows if r["title"] == "Zz project milestone")
    assert row["project"] and row["life_experience"]
    assert row["strategy"] is None


def test_a_hisp_of_a_draft_department_keeps_its_row_without_the_department(client):
    """A department or bureau is a label of the HISP: shown only while it is public."""
    HispFactory(
        name="Zz labelled provider", agency__status=Status.DRAFT, agency__name="Zz secret dept"
    )
    rows = download(client, "hisps", "csv")
    row = next(r for r in rows if r["name"] == "Zz labelled provider")
    assert row["department"] == ""
    assert "Zz secret dept" not in str(rows)


def test_a_question_of_a_draft_measure_keeps_its_row_without_the_measure(client):
    SurveyResultFactory(question_text="Zz labelled", measure=CxMeasureFactory(**DRAFT))
    rows = download(client, "survey_results", "csv")
    row = next(r for r in rows if r["question_text"] == "Zz labelled")
    assert row["measure"] == ""
