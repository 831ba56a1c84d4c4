"""The quarterly milestone report: OMB staff write a priority area's Summary of Progress and change
many milestones' statuses on one screen, preview the pages, and publish all of it at one time, now
or scheduled; each change is dated with the day it became public.

The clock is moved with time_machine; a scheduled report goes public with no job run, because the
publishing rule compares `publish_at` with the clock when the pages are read.
"""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from content.publishing import Status
from milestones.models import Milestone, MilestoneUpdate, Progress
from priorities.models import PriorityArea, ProgressUpdate
from tests.factories import MilestoneFactory, MilestoneUpdateFactory
from tests.priorities.conftest import words

pytestmark = pytest.mark.django_db

EASTERN = ZoneInfo("America/New_York")
DECEMBER_15 = datetime.datetime(2026, 12, 15, 10, tzinfo=EASTERN)  # FY27 Q1
JANUARY_12 = datetime.datetime(2027, 1, 12, 16, 30, tzinfo=EASTERN)  # FY27 Q2
JANUARY_20_NINE = datetime.datetime(2027, 1, 20, 9, 0, tzinfo=EASTERN)

BANNER = "Preview — not published"
SUMMARY = "Zqx summary: agencies published their CX action plans on time."
NOTE_PLANS = "All 35 plans are on performance.gov."
NOTE_TEAMS = "Teams began testing their recommendations."

# Two real milestones, on two strategy pages.
PLANS = "pma2021-cx-s1-m3"  # "HISPs develop draft CX Action Plans", in progress (strategy 1)
TEAMS = "pma2021-cx-s2-m5"  # "Life Experience teams recommend improvements…", planned (strategy 2)


def _cx():
    return PriorityArea.objects.get(slug="cx")


def _milestone(external_id):
    return Milestone.objects.get(external_id=external_id)


def url(view=""):
    name = "admin:priorities_priorityarea_quarterly_report" + (f"_{view}" if view else "")
    return reverse(name, args=[_cx().pk])


def report(action, *, summary=True, changes=None, schedule=None, month="2027-01-01"):
    """The screen's form as posted: the summary, the milestones that change, the schedule."""
    data = {"action": action}
    if summary:
        data.update(
            {
                "summary-period_label": "January 2027",
                "summary-month": month,
                "summary-body": SUMMARY,
            }
        )
    if changes is None:
        changes = {
            PLANS: (Progress.COMPLETE, NOTE_PLANS),
            TEAMS: (Progress.IN_PROGRESS, NOTE_TEAMS),
        }
    for external_id, (progress, note) in changes.items():
        prefix = f"milestone-{_milestone(external_id).pk}"
        data[f"{prefix}-progress"] = progress
        data[f"{prefix}-note"] = note
    if schedule is not None:
        data["schedule-publish_at"] = schedule.astimezone(EASTERN).strftime("%Y-%m-%dT%H:%M")
    return data


@contextmanager
def on(moment, *clients):
    """The clock at `moment`, and each editor signed in again (an idle session ends after 30
    minutes, and the clock jumps further than that)."""
    with time_machine.travel(moment, tick=False):
        for client in clients:
            client.force_login(client.user)
        yield


def text(path):
    response = Client().get(path)
    assert response.status_code == 200, path
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def row(page_words, title):
    """The words of a milestone's row on a strategy page."""
    start = page_words.index(title)
    return page_words[start : start + 500]


def plans_row():
    return row(words(text("/pma/cx/strategy/1/")), "HISPs develop draft CX Action Plans")


def teams_row():
    return row(words(text("/pma/cx/strategy/2/")), "Life Experience teams recommend improvements")


SURFACES = [
    "/pma/cx/",
    "/pma/cx/updates/",
    "/pma/cx/strategy/1/",
    "/pma/cx/strategy/2/",
    "/feeds/updates.atom",
    "/feeds/pma/cx/updates.atom",
    "/feeds/updates.rss",
    "/cx/data/milestones.csv",
    "/cx/data/milestones.json",
    "/cx/data/progress_updates.csv",
    "/cx/data/progress_updates.json",
    "/search/?q=Zqx",
]


def test_a_change_published_today_reads_todays_date_not_the_quarter_of_the_edit(publisher):
    """The report of a new user: "An edit made today reads 'Status changed from Planned to
    Complete — FY27 Q1'". Each change now reads with the day it was published."""
    today = datetime.datetime(2026, 12, 1, 14, tzinfo=EASTERN)  # in FY27 Q1
    with on(today, publisher):
        response = publisher.post(url("publish"), report("publish", summary=False))
        assert response.status_code == 302
        plans, teams = plans_row(), teams_row()
    assert "Status changed from In progress to Complete — December 1, 2026" in plans
    assert "Status changed from Planned to In progress — December 1, 2026" in teams
    assert "FY27 Q1" not in plans + teams
    # An edit of a milestone itself (a re-import, say) is dated by its day too.
    with on(today - datetime.timedelta(days=30)):
        milestone = MilestoneFactory(strategy=_milestone(PLANS).strategy, title="Zqx pilot")
    with on(today):
        milestone.owner = "OMB CX team"
        milestone.save()
    zqx = row(words(text("/pma/cx/strategy/1/")), "Zqx pilot")
    assert "Owner changed from not named to OMB CX team — December 1, 2026" in zqx
    assert "FY27 Q1 " not in zqx.replace("Zqx pilot", "")


def test_publish_now_shows_everything_dated_with_the_publish_day(publisher):
    # Prepared in December (FY27 Q1)...
    with on(DECEMBER_15, publisher):
        assert publisher.post(url(), report("draft")).status_code == 302
        assert SUMMARY not in text("/pma/cx/")
        assert "Status changed from In progress" not in plans_row()
    saved = MilestoneUpdate.objects.filter(status=Status.DRAFT)
    assert saved.count() == 2

    # ...and published in January (FY27 Q2): the screen shows the saved report to publish.
    with on(JANUARY_12, publisher):
        screen = publisher.get(url()).content.decode()
        assert SUMMARY in screen and NOTE_PLANS in screen
        assert "Saved as a draft." in words(screen)
        response = publisher.post(url("publish"), report("publish"))
        assert response.status_code == 302
        area_page = words(text("/pma/cx/"))
        plans, teams = plans_row(), teams_row()
        assert _milestone(PLANS).public_progress == Progress.COMPLETE
        assert _milestone(TEAMS).public_progress == Progress.IN_PROGRESS

    assert SUMMARY in area_page
    # Newest first, in the Summary of Progress (the leaders above it are listed as of a month too).
    progress = area_page[area_page.index("Summary of Progress Jan") :]
    assert progress.index("January 2027") < progress.index("December 2023")
    assert "Complete" in plans.split("Status changed")[1]  # the status column
    assert f"Status changed from In progress to Complete — January 12, 2027 {NOTE_PLANS}" in plans
    assert f"Status changed from Planned to In progress — January 12, 2027 {NOTE_TEAMS}" in teams
    for row_words in (plans, teams):
        assert "December 15, 2026" not in row_words and "FY27" not in row_words

    # One publication: the same moment for every row, with who published it and why.
    summary = ProgressUpdate.objects.get(body=SUMMARY)
    updates = list(MilestoneUpdate.objects.all())
    assert {obj.status for obj in [summary, *updates]} == {Status.PUBLISHED}
    assert {obj.publish_at for obj in [summary, *updates]} == {JANUARY_12}
    for obj in [summary, *updates]:
        latest = obj.history.latest()
        assert latest.history_user == publisher.user
        assert latest.history_change_reason == "Quarterly milestone report: published"


def test_a_scheduled_report_changes_nothing_before_its_time_then_everything_at_once(publisher):
    with on(JANUARY_12, publisher):
        before = {path: text(path) for path in SURFACES}
        response = publisher.post(url("publish"), report("schedule", schedule=JANUARY_20_NINE))
        assert response.status_code == 302
        message = words(publisher.get(url()).content.decode())
        assert "scheduled for Jan. 20, 2027, 9 a.m. EST" in message
        # Nothing of it shows anywhere, and no page changed at all.
        assert {path: text(path) for path in SURFACES} == before

    with on(JANUARY_20_NINE - datetime.timedelta(minutes=1)):
        assert SUMMARY not in text("/pma/cx/")
        assert "Status changed from In progress" not in plans_row()

    # No job is run: the clock passes the time, and every surface shows all of it.
    with on(JANUARY_20_NINE + datetime.timedelta(minutes=1)):
        assert SUMMARY in text("/pma/cx/")
        assert SUMMARY in text("/pma/cx/updates/")
        for feed in ("/feeds/updates.atom", "/feeds/pma/cx/updates.atom", "/feeds/updates.rss"):
            assert "Zqx summary" in text(feed), feed
        assert "Zqx summary" in text("/cx/data/progress_updates.csv")
        assert "agencies published their CX action plans on time" in text("/search/?q=Zqx")
        milestones_csv = text("/cx/data/milestones.csv")
        line = next(li for li in milestones_csv.splitlines() if "HISPs develop draft CX" in li)
        assert ",complete," in line
        assert (
            '"status": "in_progress"'
            in text("/cx/data/milestones.json").split(
                "Life Experience teams recommend improvements"
            )[1][:400]
        )
        assert "Status changed from In progress to Complete — January 20, 2027" in plans_row()
        assert "Status changed from Planned to In progress — January 20, 2027" in teams_row()


def test_preview_shows_the_pending_report_with_the_banner_and_writes_nothing(publisher):
    counts = (ProgressUpdate.objects.count(), MilestoneUpdate.objects.count())
    histories = (ProgressUpdate.history.count(), MilestoneUpdate.history.count())
    area_before, strategy_before = text("/pma/cx/"), text("/pma/cx/strategy/1/")

    response = publisher.post(url("preview"), report("preview"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(url("preview"), 303)]
    page = words(response.content.decode())
    assert BANNER in page and SUMMARY in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"]
    # The banner links to each strategy page's preview, with the same unsaved report.
    strategy_link = f"{url('preview')}?page=/pma/cx/strategy/1/"
    assert strategy_link in response.content.decode()
    strategy = publisher.get(strategy_link)
    assert strategy.status_code == 200
    strategy_words = words(strategy.content.decode())
    assert BANNER in strategy_words
    assert "Status changed from In progress to Complete" in row(
        strategy_words, "HISPs develop draft CX Action Plans"
    )
    assert NOTE_PLANS in strategy_words

    assert (ProgressUpdate.objects.count(), MilestoneUpdate.objects.count()) == counts
    assert (ProgressUpdate.history.count(), MilestoneUpdate.history.count()) == histories
    assert text("/pma/cx/") == area_before
    assert text("/pma/cx/strategy/1/") == strategy_before
    # Only the report's own pages are previewed.
    assert publisher.get(f"{url('preview')}?page=/cx/hisps/").status_code == 404


def test_an_omb_editor_prepares_the_report_but_cannot_publish_it(omb_editor):
    assert omb_editor.get(url()).status_code == 200
    assert "Only an OMB publisher can publish" in omb_editor.get(url()).content.decode()
    # The form offers this month's period and month: with no text, there is no summary.
    offered = {"summary-period_label": "December 2026", "summary-month": "2026-12-01"}
    response = omb_editor.post(url(), {**report("review", summary=False), **offered})
    assert response.status_code == 302
    assert not ProgressUpdate.objects.filter(period_label="December 2026").exists()
    assert omb_editor.post(url(), report("review")).status_code == 302
    assert set(MilestoneUpdate.objects.values_list("status", flat=True)) == {Status.IN_REVIEW}
    assert ProgressUpdate.objects.get(body=SUMMARY).status == Status.IN_REVIEW

    for action in ("publish", "schedule"):
        data = report(action, schedule=JANUARY_20_NINE)
        assert omb_editor.post(url("publish"), data).status_code == 403
    assert omb_editor.get(url("publish")).status_code == 403
    assert set(MilestoneUpdate.objects.values_list("status", flat=True)) == {Status.IN_REVIEW}
    assert not ProgressUpdate.objects.filter(body=SUMMARY, status=Status.PUBLISHED).exists()
    assert SUMMARY not in text("/pma/cx/")
    assert "Status changed from In progress" not in plans_row()


def test_an_omb_editor_cannot_change_a_scheduled_report(omb_editor, django_user_model):
    later = JANUARY_20_NINE
    MilestoneUpdateFactory(milestone=_milestone(PLANS), progress=Progress.DELAYED, publish_at=later)
    with on(JANUARY_12, omb_editor):
        response = omb_editor.post(url(), report("draft", summary=False))
        assert response.status_code == 200
        assert "only an OMB publisher can change or withdraw what is scheduled" in words(
            response.content.decode()
        )
    assert MilestoneUpdate.objects.get().status == Status.PUBLISHED


def test_an_agency_editor_cannot_open_the_screen(agency_editor):
    for view in ("", "publish", "preview"):
        assert agency_editor.get(url(view)).status_code == 403, view
        assert agency_editor.post(url(view), report("publish")).status_code == 403, view
    assert not MilestoneUpdate.objects.exists()


def test_a_second_summary_for_a_month_is_a_form_error_not_a_500(publisher):
    # The real content has a Summary of Progress for May 2023.
    response = publisher.post(url("publish"), report("publish", month="2023-05-17"))
    assert response.status_code == 200
    page = words(response.content.decode())
    assert "The report was not saved" in page
    assert "already has an update of this kind for that month" in page
    assert 'href="#id_summary-month"' in response.content.decode()
    assert not MilestoneUpdate.objects.exists()
    assert ProgressUpdate.objects.filter(body=SUMMARY).count() == 0


def test_other_mistakes_are_shown_on_the_form(publisher):
    plans = _milestone(PLANS)
    cases = [
        (report("schedule"), "Choose the day and time to publish it."),
        (
            report("schedule", schedule=datetime.datetime(2020, 1, 1, tzinfo=EASTERN)),
            "Choose a time still to come, or publish now.",
        ),
        (report("publish", summary=False, changes={}), "Nothing to publish"),
        (
            {
                **report("publish", summary=False, changes={}),
                f"milestone-{plans.pk}-note": "A note alone",
            },
            "Choose a status for this note",
        ),
        (
            {**report("publish"), "summary-period_label": ""},
            "Period: Fill this in too, or clear the text to publish none.",
        ),
    ]
    for data, message in cases:
        response = publisher.post(url("publish"), data)
        assert response.status_code == 200, message
        assert message in words(response.content.decode()), message
    assert not MilestoneUpdate.objects.exists()


def test_imported_changes_carry_their_sources_date_where_it_gives_one():
    # performance.gov's strategy 2 page listed the change in its version "As of November 2022".
    designated = _milestone("pma2021-cx-s2-m1")
    assert designated.source_changelog[0]["as_of"] == "2022-11"
    page = words(text("/pma/cx/strategy/2/"))
    assert (
        "Milestone changed from Pending to Complete — recorded by performance.gov as of "
        "November 2022" in row(page, designated.title)
    )
    # A line whose source gives no date says so, and is given none.
    undated = MilestoneFactory(
        strategy=designated.strategy,
        title="Zqx undated milestone",
        source_changelog=["Milestone changed from Pending to Complete"],
    )
    undated_row = row(words(text("/pma/cx/strategy/2/")), undated.title)
    assert (
        "Milestone changed from Pending to Complete — recorded by performance.gov, which gave "
        "no date" in undated_row
    )
    assert undated.public_changelog[0].when is None


def test_the_screen_is_linked_and_labelled(publisher):
    area = _cx()
    index = publisher.get(reverse("admin:index")).content.decode()
    assert url() in index and "Quarterly milestone reports" in index
    change = publisher.get(reverse("admin:priorities_priorityarea_change", args=[area.pk]))
    assert url() in change.content.decode()

    screen = publisher.get(url()).content.decode()
    assert "<caption>Strategy 1:" in screen and "<caption>Strategy 2:" in screen
    assert '<th scope="col">New status</th>' in screen
    assert '<th scope="row">HISPs develop draft CX Action Plans' in screen
    plans = _milestone(PLANS)
    assert f'<label class="visually-hidden" for="id_milestone-{plans.pk}-progress">' in screen
    assert "Markdown. Paragraphs are separated by a blank line." in screen
    assert "Schedule for (Eastern Time, EST)" in screen
    assert "Publish now" in screen


def test_publishing_an_older_draft_update_dates_it_by_the_day_it_is_published(publisher):
    """Outside the report too: a draft status update published later (the admin's "publish"
    action) is dated with the day it was published, not the day it was written."""
    with on(DECEMBER_15):
        update = MilestoneUpdateFactory(milestone=_milestone(PLANS), status=Status.DRAFT)
    with on(JANUARY_12, publisher):
        response = publisher.post(
            reverse("admin:milestones_milestoneupdate_changelist"),
            {"action": "publish", "_selected_action": [update.pk]},
        )
        assert response.status_code == 302
        plans = plans_row()
    update.refresh_from_db()
    assert update.publish_at == JANUARY_12
    assert "Status changed from In progress to Complete — January 12, 2027" in plans


def test_a_milestones_own_status_is_set_once_and_then_changes_through_updates(publisher):
    plans = _milestone(PLANS)
    form = publisher.get(reverse("admin:milestones_milestone_change", args=[plans.pk]))
    page = form.content.decode()
    assert 'name="progress"' in page and "disabled" in page.split('name="progress"')[1][:200]
    assert "Status updates" in page  # the inline, to add one
