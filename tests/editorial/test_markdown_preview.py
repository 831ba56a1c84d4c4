"""The live Markdown preview in the admin forms: the same sanitized HTML as the public pages, for
signed-in staff only."""

import pytest
from django.test import Client

from hisps.models import Hisp

pytestmark = pytest.mark.django_db

PREVIEW = "/admin/hisps/hisp/markdown-preview/"


def test_a_long_texts_form_field_previews_its_markdown_live(publisher):
    hisp = Hisp.objects.public().get(slug="veterans-health-administration")
    form = publisher.get(f"/admin/hisps/hisp/{hisp.pk}/change/").content.decode()
    assert f'data-hx-post="{PREVIEW}"' in form
    assert 'id="id_description_preview"' in form and 'aria-live="polite"' in form
    assert "markdown_preview_of&quot;: &quot;description" in form
    assert "htmx-2.min.js" in form

    # htmx posts the whole form, and names the field to preview.
    response = publisher.post(
        PREVIEW,
        {
            "agency": "27",
            "name": "Veterans Health Administration",
            "description": "We answer **every** [call](https://va.gov).",
            "headline": "Serves veterans.",
            "markdown_preview_of": "description",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>every</strong>" in html
    assert '<a href="https://va.gov" rel="noopener noreferrer">call</a>' in html


def test_the_preview_is_sanitized_like_the_public_pages(agency_editor):
    html = agency_editor.post(
        "/admin/hisps/service/markdown-preview/",
        {
            "description": 'Hi <img src=x onerror="alert(1)"> [x](javascript:alert(1))',
            "markdown_preview_of": "description",
        },
    ).content.decode()
    assert "onerror" not in html and "javascript:" not in html and "Hi" in html


def test_the_preview_is_for_signed_in_staff_only():
    response = Client().post(PREVIEW, {"description": "**x**"})
    assert response.status_code == 302 and "/login/" in response["Location"]
