"""Scheduled publishing: an item published for a future time is absent everywhere before it and
present everywhere after it. No job runs: the test only moves the clock."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from content.publishing import Status
from priorities.models import PriorityArea
from tests.factories import HispFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def seen(path: str, text: str) -> bool:
    response = Client().get(path)
    return response.status_code == 200 and text in response.content.decode()


def test_a_scheduled_provider_and_update_go_live_at_their_time(publisher):
    at = timezone.now() + datetime.timedelta(days=2)
    hisp = HispFactory(name="Zq Scheduled Provider", slug="zq-scheduled")
    update = ProgressUpdateFactory(
        priority_area=PriorityArea.objects.get(slug="cx"),
        date=datetime.date(2031, 5, 1),
        period_label="May 2031",
        body="Zq scheduled summary.",
    )
    for item in (hisp, update):
        item.status, item.publish_at = Status.PUBLISHED, at
        item.save()
    surfaces = [
        (hisp.get_absolute_url(), "Zq Scheduled Provider"),
        ("/cx/hisps/", "Zq Scheduled Provider"),
        ("/search/?q=Zq+Scheduled", "Zq Scheduled Provider"),
        ("/sitemap.xml", "/cx/hisps/zq-scheduled/"),
        (update.get_absolute_url(), "Zq scheduled summary."),
        ("/pma/cx/", "Zq scheduled summary."),
        ("/feeds/updates.atom", "May 2031"),
    ]
    assert not any(seen(path, text) for path, text in surfaces)
    with time_machine.travel(at - datetime.timedelta(minutes=1)):
        assert not any(seen(path, text) for path, text in surfaces)
    with time_machine.travel(at + datetime.timedelta(minutes=1)):
        missing = [path for path, text in surfaces if not seen(path, text)]
        assert not missing, missing
