"""The publishing workflow in the admin's forms: who may move an object to which status, what the
lists say of scheduled items, and that every change is recorded."""

import datetime

import pytest
from django.utils import timezone

from content.publishing import Status
from tests.editorial.test_permissions import url
from tests.factories import HighlightFactory

pytestmark = pytest.mark.django_db


def highlight_form(highlight, **changes):
    """The change form of a highlight as posted, with `changes`."""
    local = timezone.localtime(highlight.publish_at)
    data = {
        "title": highlight.title,
        "slug": highlight.slug,
        "date": "2023-05-01",
        "author": "",
        "excerpt": highlight.excerpt,
        "body": "",
        "external_url": "",
        "tags": "",
        "status": highlight.status,
        "publish_at_0": local.strftime("%Y-%m-%d"),
        "publish_at_1": local.strftime("%H:%M:%S"),
        "sources": "[]",
        "source_note": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("target", [Status.PUBLISHED, Status.ARCHIVED])
def test_an_omb_editor_cannot_publish_or_archive_through_the_form(omb_editor, target):
    highlight = HighlightFactory(status=Status.DRAFT, title="Zz highlight")
    response = omb_editor.post(
        url("priorities.Highlight", "change", highlight), highlight_form(highlight, status=target)
    )
    assert response.status_code == 200
    # The status field offers only draft and in review; a status posted anyway is refused.
    assert f"Select a valid choice. {target} is not one of the available choices." in (
        response.content.decode()
    )
    highlight.refresh_from_db()
    assert highlight.status == Status.DRAFT
    # The same form, asking for review, is accepted: the data above is otherwise valid.
    response = omb_editor.post(
        url("priorities.Highlight", "change", highlight),
        highlight_form(highlight, status=Status.IN_REVIEW),
    )
    assert response.status_code == 302
    highlight.refresh_from_db()
    assert highlight.status == Status.IN_REVIEW


def test_an_omb_editor_cannot_unpublish_but_may_edit_a_published_item(omb_editor):
    highlight = HighlightFactory(title="Zz live highlight")
    form = url("priorities.Highlight", "change", highlight)
    omb_editor.post(form, highlight_form(highlight, status=Status.DRAFT))
    highlight.refresh_from_db()
    assert highlight.status == Status.PUBLISHED
    omb_editor.post(form, highlight_form(highlight, title="Zz retitled"))
    highlight.refresh_from_db()
    assert highlight.title == "Zz retitled" and highlight.status == Status.PUBLISHED


def test_the_status_choices_are_the_ones_the_user_may_choose(omb_editor):
    highlight = HighlightFactory(status=Status.DRAFT)
    page = omb_editor.get(url("priorities.Highlight", "change", highlight)).content.decode()
    select = page[
        page.index('name="status"') : page.index("</select>", page.index('name="status"'))
    ]
    assert 'value="draft"' in select and 'value="in_review"' in select
    assert 'value="published"' not in select and 'value="archived"' not in select


def test_a_publisher_publishes_through_the_form_and_history_says_who(publisher):
    highlight = HighlightFactory(status=Status.IN_REVIEW)
    response = publisher.post(
        url("priorities.Highlight", "change", highlight),
        highlight_form(highlight, status=Status.PUBLISHED),
    )
    assert response.status_code == 302
    highlight.refresh_from_db()
    assert highlight.status == Status.PUBLISHED
    latest = highlight.history.first()
    assert latest.history_user == publisher.user and latest.status == Status.PUBLISHED


def test_lists_say_scheduled_with_the_time_and_its_zone(publisher):
    later = timezone.now() + datetime.timedelta(days=3)
    HighlightFactory(title="Zz scheduled highlight", publish_at=later)
    page = publisher.get(url("priorities.Highlight", "changelist") + "?q=Zz").content.decode()
    local = timezone.localtime(later)
    assert "Scheduled for" in page
    assert local.strftime("%Z") in page  # EST or EDT: America/New_York
    filtered = publisher.get(url("priorities.Highlight", "changelist") + "?state=scheduled")
    assert "Zz scheduled highlight" in filtered.content.decode()
    live = publisher.get(url("priorities.Highlight", "changelist") + "?state=live&q=Zz")
    assert "Zz scheduled highlight" not in live.content.decode()
