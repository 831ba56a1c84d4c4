"""An agency editor sees and edits only its own agencies' HISP data, and nothing of another agency's
drafts: not in lists, forms, autocomplete or history, and not by a direct URL by id."""

import json

import pytest
from django.urls import reverse

from content.publishing import Status
from cxportal.roles import AGENCY_MODELS
from tests.editorial.test_permissions import url

pytestmark = pytest.mark.django_db

LABELS = list(AGENCY_MODELS)


@pytest.mark.parametrize("label", LABELS)
def test_lists_show_only_its_own_agencies_rows(agency_editor, own, other, label):
    page = agency_editor.get(url(label, "changelist")).content.decode()
    assert f"/{own[label].pk}/change/" in page
    assert f"/{other[label].pk}/change/" not in page
    assert "Otheragency" not in page


@pytest.mark.parametrize("label", LABELS)
def test_another_agencys_rows_answer_nothing_by_id(agency_editor, other, label):
    obj = other[label]
    change = agency_editor.get(url(label, "change", obj))
    assert change.status_code == 302  # the admin's "does not exist", to the admin's index
    assert "Otheragency" not in agency_editor.get(change.url).content.decode()
    assert agency_editor.get(url(label, "history", obj)).status_code == 403
    assert agency_editor.get(url(label, "delete", obj)).status_code in (302, 403)


def test_a_post_to_another_agencys_row_changes_nothing(agency_editor, other):
    hisp = other["hisps.Hisp"]
    agency_editor.post(url("hisps.Hisp", "change", hisp), {"name": "Taken over"})
    agency_editor.post(
        url("hisps.Hisp", "changelist"),
        {"action": "submit_for_review", "_selected_action": [hisp.pk], "index": 0},
    )
    hisp.refresh_from_db()
    assert hisp.name == "Otheragency Provider" and hisp.status == Status.DRAFT


def _autocomplete(client, model, field, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "hisps", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in json.loads(response.content)["results"]]


def test_autocomplete_offers_only_its_own_agencies_and_providers(agency_editor):
    assert _autocomplete(agency_editor, "service", "hisp", "Provider") == ["Ownagency Provider"]
    agencies = _autocomplete(agency_editor, "hisp", "agency", "agency")
    assert agencies == ["Ownagency Bureau", "Ownagency Department"]


def test_its_forms_refuse_another_agencys_provider(agency_editor, other, own):
    """Adding a service: the provider must be one of its own (checked on the server)."""
    response = agency_editor.post(
        url("hisps.Service", "add"),
        {
            "hisp": other["hisps.Hisp"].pk,
            "name": "A service for someone else",
            "slug": "a-service-for-someone-else",
            "status": Status.DRAFT,
            "publish_at_0": "2026-12-01",
            "publish_at_1": "09:00:00",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not own["hisps.Service"].hisp.services.filter(name="A service for someone else").exists()


def test_omb_roles_see_every_agency(omb_editor, own, other):
    page = omb_editor.get(url("hisps.Hisp", "changelist") + "?q=agency Provider").content.decode()
    assert "Ownagency Provider" in page and "Otheragency Provider" in page


def test_an_agency_editors_document_must_belong_to_one_of_its_providers(agency_editor, own):
    from hisps.models import Document

    response = agency_editor.post(
        "/admin/hisps/document/add/",
        {
            "kind": "other",
            "title": "Zq orphan plan",
            "url": "https://example.gov/plan.pdf",
            "status": "draft",
            "publish_at_0": "2031-01-01",
            "publish_at_1": "09:00",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["hisp"], errors
    assert not Document.objects.filter(title="Zq orphan plan").exists()
