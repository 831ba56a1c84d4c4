"""Every public address belongs to one object: one progress update per priority area and month,
held by the database and said plainly in the form.

Measured before: a second CX update dated 2023-08-15 was accepted; /pma/cx/ listed two "August
2023" entries with one link and a duplicate id="update-2023-08"."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from content.publishing import Status
from priorities.models import PriorityArea, ProgressUpdate
from tests.editorial.test_permissions import url

pytestmark = pytest.mark.django_db


def update_form(area, day, **changes):
    return {
        "priority_area": area.pk,
        "strategy": "",
        "kind": ProgressUpdate.Kind.SUMMARY,
        "period_label": "August 2023 (again)",
        "date": day,
        "body": "A second update for the same month.",
        "document_url": "",
        "status": Status.DRAFT,
        "publish_at_0": "2023-08-15",
        "publish_at_1": "09:00:00",
        "sources": "[]",
        "source_note": "",
        **changes,
    }


def test_a_second_update_for_a_month_is_refused_with_a_clear_message(publisher):
    area = PriorityArea.objects.get(slug="cx")
    before = ProgressUpdate.objects.filter(priority_area=area).count()
    response = publisher.post(
        url("priorities.ProgressUpdate", "add"), update_form(area, "2023-08-15")
    )
    assert response.status_code == 200
    assert "already has an update of this kind for that month" in response.content.decode()
    assert ProgressUpdate.objects.filter(priority_area=area).count() == before


def test_any_day_typed_is_kept_as_its_month(publisher):
    area = PriorityArea.objects.get(slug="cx")
    response = publisher.post(
        url("priorities.ProgressUpdate", "add"), update_form(area, "2029-03-17")
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(priority_area=area, period_label="August 2023 (again)")
    assert update.date == datetime.date(2029, 3, 1)
    assert update.get_absolute_url() == "/pma/cx/updates/2029-03/"


def test_the_database_holds_one_update_a_month():
    area = PriorityArea.objects.get(slug="cx")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            priority_area=area, date=datetime.date(2023, 8, 15), period_label="August 2023"
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # no day other than the first
        ProgressUpdate.objects.filter(priority_area=area, date=datetime.date(2023, 8, 1)).update(
            date=datetime.date(2023, 8, 15)
        )
