"""import_performance_gov loads every data file, is idempotent and is all-or-nothing."""

import csv
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max

from hisps.models import (
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
from milestones.models import Milestone
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

pytestmark = pytest.mark.django_db

ALL_MODELS = [
    CxMeasure, Document, Hisp, LegacyPath, LegacyScore, QuarterlyReport, Service, ServiceSurvey, SurveyResult,
    Milestone, Goal, Highlight, Leader, LifeExperience, LifeExperienceProject, LifeExperienceStat, PriorityArea,
    ProgressUpdate, Strategy, SuccessMetric,
]  # fmt: skip


def _json(data_dir, name):
    return json.loads((data_dir / name).read_text(encoding="utf-8"))


def _csv(data_dir, name):
    with (data_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_counts(data_dir):
    """What the data files hold, counted straight from the files."""
    hisps = _json(data_dir, "hisps.json")
    merged = _csv(data_dir, "mergedcxdata-2023-05-21.csv")
    reports = _json(data_dir, "cx_quarterly_reports.json")
    report_keys = {(r["service_provider_id"], r["fiscal_year"], r["quarter"]) for r in reports}
    merged_keys = {
        (int(r["attributes_service_provider_id"]), int(r["attributes_collection_year"]),
         int(r["attributes_collection_quarter"]))
        for r in merged
    }  # fmt: skip
    statuses_2020 = sum(
        1
        for h in hisps
        for q in (h.get("feedback_reporting_2020") or {}).values()
        if q.get("status") is not None
    )
    questions = sum(
        1
        for r in merged
        for q in range(1, 12)
        if r[f"attributes_q{q}_text"].strip()
        or any(r[f"attributes_q{q}_{p}"] not in ("", "0") for p in range(1, 6))
    )
    areas = _json(data_dir, "priority_areas.json")
    strategies = _json(data_dir, "strategies.json")
    lives = _json(data_dir, "life_experiences.json")
    return {
        CxMeasure: len(_json(data_dir, "cx_measures.json")["measures"]),
        Hisp: len(hisps),
        LegacyPath: sum(len(h["legacy_paths"]) for h in hisps),
        Service: len(_json(data_dir, "hisp_services.json")),
        QuarterlyReport: len(reports) + statuses_2020 + len(merged_keys - report_keys),
        ServiceSurvey: len(merged),
        SurveyResult: questions,
        LegacyScore: len(_csv(data_dir, "legacy_cx_scores_2019_2020.csv")),
        Document: len(_json(data_dir, "documents.json")),
        PriorityArea: len(areas),
        SuccessMetric: sum(len(a["success_metrics"]) for a in areas),
        Leader: len(_json(data_dir, "leaders.json")),
        Strategy: len(strategies),
        Goal: sum(len(s["goals"]) for s in strategies),
        ProgressUpdate: len(_json(data_dir, "progress_updates.json")),
        Highlight: len(_json(data_dir, "news_posts.json")),
        LifeExperience: len(lives),
        LifeExperienceStat: sum(len(le["stats"]) for le in lives),
        LifeExperienceProject: sum(len(le["projects"]) for le in lives),
        Milestone: len(_json(data_dir, "milestones.json")),
    }


def snapshot():
    """Row counts, newest change and history size of every model: what any write would move."""
    return {
        model.__name__: (
            model.objects.count(),
            model.objects.aggregate(latest=Max("updated_at"))["latest"],
            model.history.count(),
        )
        for model in ALL_MODELS
    }


def test_counts_equal_the_records_in_the_files(data_dir):
    expected = expected_counts(data_dir)
    actual = {model: model.objects.count() for model in expected}
    assert actual == expected
    assert Hisp.objects.count() == 53
    assert SurveyResult.objects.count() > 3000


def test_second_run_changes_nothing(data_dir):
    before = snapshot()
    call_command("import_performance_gov", str(data_dir))
    assert snapshot() == before


def test_output_shows_progress_and_a_count_per_model(data_dir, capsys):
    call_command("import_performance_gov", str(data_dir))
    out = capsys.readouterr().out
    assert "Loading milestones" in out
    assert "High Impact Service Providers      53" in out
    assert "Import finished" in out


def test_imported_rows_are_published_and_history_names_the_import():
    hisp = Hisp.objects.get(external_id="va-vha")
    assert hisp in Hisp.objects.public()
    first = hisp.history.earliest()
    assert first.history_change_reason == "Imported from performance.gov data"
    assert first.history_type == "+"


def test_source_flags_are_kept():
    # A milestone whose status came from a press summary, and an update whose stored copy was cut off.
    assert Milestone.objects.get(external_id="pma2021-cx-s2-m4").secondary_source is True
    assert Milestone.objects.get(external_id="pma2021-cx-s2-m1").secondary_source is False
    assert ProgressUpdate.objects.get(external_id="pma2021-cx-2023-12").incomplete is True
    assert ProgressUpdate.objects.get(external_id="pma2021-cx-2023-08").incomplete is False


def test_changed_data_updates_rows_in_place(data_dir, tmp_path):
    copy = _copy(data_dir, tmp_path)
    hisps = _json(copy, "hisps.json")
    hisps[0]["description"] = "A new description from the agency."
    (copy / "hisps.json").write_text(json.dumps(hisps), encoding="utf-8")
    before = Hisp.objects.get(external_id=hisps[0]["id"])
    history_before = before.history.count()

    call_command("import_performance_gov", str(copy))

    after = Hisp.objects.get(external_id=hisps[0]["id"])
    assert after.pk == before.pk and after.slug == before.slug
    assert after.description == "A new description from the agency."
    assert after.updated_at > before.updated_at
    assert after.history.count() == history_before + 1
    assert Hisp.objects.count() == 53


def _copy(data_dir, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    for file in copy.iterdir():
        file.chmod(0o644)
    return copy


def _edit_json(path, edit):
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def _edit_csv(path, edit):
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames), list(reader)
    header, rows = edit(header, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _bad_json(copy):
    text = (copy / "hisp_services.json").read_text(encoding="utf-8")
    (copy / "hisp_services.json").write_text(text[:5000], encoding="utf-8")


def _missing_column(copy):
    _edit_csv(
        copy / "mergedcxdata-2023-05-21.csv",
        lambda header, rows: ([h for h in header if h != "attributes_channel"], rows),
    )


def _unknown_hisp(copy):
    def edit(reports):
        reports[3]["service_provider_id"] = 9999

    _edit_json(copy / "cx_quarterly_reports.json", edit)


def _quarter_five(copy):
    def edit(reports):
        reports[7]["quarter"] = 5

    _edit_json(copy / "cx_quarterly_reports.json", edit)


def _negative_count(copy):
    def edit(header, rows):
        rows[10]["attributes_q2_4"] = "-3"
        return header, rows

    _edit_csv(copy / "mergedcxdata-2023-05-21.csv", edit)


def _unknown_strategy(copy):
    def edit(milestones):
        milestones[-1]["strategy_id"] = "no-such-strategy"

    _edit_json(copy / "milestones.json", edit)


@pytest.mark.parametrize(
    ("break_it", "file", "record", "field"),
    [
        (_bad_json, "hisp_services.json", "-", "not valid JSON"),
        (_missing_column, "mergedcxdata-2023-05-21.csv", "header", "'attributes_channel'"),
        (_unknown_hisp, "cx_quarterly_reports.json", "FY2021Q1-sp", "'service_provider_id'"),
        (_quarter_five, "cx_quarterly_reports.json", "record FY", "'quarter'"),
        (_negative_count, "mergedcxdata-2023-05-21.csv", "(line 12)", "'attributes_q2_4'"),
        (_unknown_strategy, "milestones.json", "pma2021-cx-s1-m6", "'strategy_id'"),
    ],
    ids=[
        "bad-json",
        "missing-column",
        "unknown-hisp-id",
        "quarter-5",
        "negative-count",
        "unknown-strategy",
    ],
)
def test_malformed_input_changes_nothing_and_names_file_record_field(
    data_dir, tmp_path, break_it, file, record, field
):
    copy = _copy(data_dir, tmp_path)
    # A good change that the import would make before it meets the fault...
    _edit_json(
        copy / "hisps.json", lambda hisps: hisps[0].update(description="Should never be saved.")
    )
    break_it(copy)
    before = snapshot()

    with pytest.raises(CommandError) as raised:
        call_command("import_performance_gov", str(copy))

    message = str(raised.value)
    assert file in message and record in message and field in message
    assert "Nothing was imported" in message
    # ...is rolled back with everything else.
    assert snapshot() == before
    assert not Hisp.objects.filter(description="Should never be saved.").exists()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("import_performance_gov", str(tmp_path / "nowhere"))
