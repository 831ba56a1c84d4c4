"""'Last updated' and 'As of' are set when an item is published: a reader sees the day the public
version changed (a scheduled item's own time), never the day of an import or a draft edit; an
editor may set 'As of' to another day."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from content.publishing import Status
from hisps.models import Hisp, ServiceSurvey
from priorities.models import ProgressUpdate, Strategy
from tests.factories import LifeExperienceProjectFactory, StrategyFactory

pytestmark = pytest.mark.django_db

EASTERN_NOON = datetime.datetime(2031, 3, 10, 17, 0, tzinfo=datetime.UTC)


def last_updated_line(page: str) -> str:
    start = page.find("Last updated")
    return page[start : page.find("</p>", start)] if start >= 0 else ""


def test_an_edit_of_a_published_page_shows_its_day_and_a_draft_edit_does_not():
    hisp = Hisp.objects.public().get(slug="veterans-health-administration")
    with time_machine.travel(EASTERN_NOON):
        hisp.headline = "Serves nine million veterans."
        hisp.save()
        page = Client().get(hisp.get_absolute_url()).content.decode()
        assert "March 10, 2031" in last_updated_line(page)

    with time_machine.travel(EASTERN_NOON + datetime.timedelta(days=30)):
        hisp.status = Status.DRAFT
        hisp.headline = "A draft headline."
        hisp.save()
        hisp.refresh_from_db()
        assert timezone.localdate(hisp.last_updated) == datetime.date(2031, 3, 10)


def test_a_scheduled_item_is_last_updated_when_it_goes_public():
    update = ProgressUpdate.objects.public().summaries().filter(priority_area__slug="cx").first()
    later = timezone.now() + datetime.timedelta(days=12)
    update.body = "Revised, to go out later."
    update.publish_at = later
    update.save()
    assert update.last_updated == later


def test_imported_survey_data_keeps_its_touchpoints_date_not_the_import_day():
    survey = ServiceSurvey.objects.filter(reported_updated_at__isnull=False).first()
    assert survey.last_updated == survey.reported_updated_at
    assert survey.last_updated.date() < datetime.date(2024, 1, 1)
    hisp = survey.report.hisp
    page = Client().get(hisp.get_absolute_url()).content.decode()
    assert str(timezone.now().year) not in last_updated_line(page)


def test_as_of_is_set_to_the_publishing_day_unless_the_editor_set_it():
    strategy = StrategyFactory(number=7, status=Status.DRAFT, as_of=None)
    project = LifeExperienceProjectFactory(status=Status.DRAFT, as_of="")
    with time_machine.travel(EASTERN_NOON):
        for item in (strategy, project):
            item.status = Status.PUBLISHED
            item.publish_at = timezone.now()
            item.save()
    assert strategy.as_of == datetime.date(2031, 3, 10)
    assert project.as_of == "2031-03"

    chosen = StrategyFactory(number=8, status=Status.DRAFT, as_of=datetime.date(2030, 11, 1))
    chosen.status = Status.PUBLISHED
    chosen.save()
    assert Strategy.objects.get(pk=chosen.pk).as_of == datetime.date(2030, 11, 1)
    page = Client().get(chosen.get_absolute_url()).content.decode()
    assert "As of <time" in page and "November 2030" in page
