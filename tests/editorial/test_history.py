"""Each object's history in the admin: what every version changed, field by field; reverting to an
earlier version, by a publisher only, recorded as a new change; and nothing of another agency's."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from content.admin import when
from content.diff import EMPTY, changes, line_diff
from content.publishing import Status
from cxportal.roles import OMB_PUBLISHER
from hisps.models import Hisp
from priorities.models import ProgressUpdate
from tests.editorial.test_permissions import (
    CONTENT_MODELS,
    ROLE_FIXTURES,
    expected,
    object_of,
    url,
)

pytestmark = pytest.mark.django_db

PUBLISH_AT = timezone.make_aware(datetime.datetime(2026, 12, 5, 9, 0, 30, 123456))


class _FormData(HTMLParser):
    """What a browser would post from the page's model form: its inputs, ticked boxes, text areas
    and chosen options, with the button named `button`."""

    def __init__(self, button):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self.button = button
        self._form = False
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):  # not the header's log-out form
            self._form = True
        if not self._form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "submit":
                if attrs["name"] == self.button:
                    self.data.append((attrs["name"], attrs.get("value", "")))
            elif kind not in ("checkbox", "radio"):
                self.data.append((attrs["name"], attrs.get("value", "")))
            elif "checked" in attrs:
                self.data.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._select["options"].append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A browser drops the newline that follows the opening tag.
            self.data.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not self._select["multiple"]:
                chosen = [options[0][0]]
            self.data += [(self._select["name"], value) for value in chosen]
            self._select = None


def form_data(page: str, button="_save") -> dict[str, list[str]]:
    parser = _FormData(button)
    parser.feed(page)
    data: dict[str, list[str]] = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def version_url(obj, record):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, record.history_id],
    )


def fields_of(obj):
    """Every stored field but `updated_at`, which each save sets to its own time,
    `last_updated`, which a save of a published item sets to the time the public sees it, and
    generated columns (the search vector), which the database computes from the others."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in ("updated_at", "last_updated") and not f.generated
    }


def save(obj, reason=None, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._change_reason = reason
    obj.save()
    return obj.history.first()


def reverted_by(client, obj, record):
    """`client` opens `record`'s version of `obj` and posts its form as the browser would."""
    page = client.get(version_url(obj, record))
    assert page.status_code == 200
    return client.post(version_url(obj, record), form_data(page.content.decode()))


@pytest.fixture
def hisp(own):
    """A HISP whose last version has a publish time to the microsecond, a Touchpoints id (read-only
    in the admin) and sources."""
    hisp = own["hisps.Hisp"]
    save(hisp, publish_at=PUBLISH_AT, touchpoints_id=4101, sources=[{"url": "https://a.example"}])
    return hisp


def test_a_publisher_reverts_a_hisp_to_exactly_its_earlier_fields(publisher, hisp, own):
    earlier = hisp.history.first()
    expected = fields_of(hisp)
    save(
        hisp,
        "Rewritten",
        name="Renamed Provider",
        slug="renamed-provider",
        description="A new text.\n\nIn two paragraphs.",
        headline="Serves many.",
        bureau=None,
        active=False,
        cohort=Hisp.Cohort.LIST_2020,
        year_designated=2019,
        overall_rating_2020="4.5",
        touchpoints_id=4102,  # not in the form (read-only): restored from the version too
        sources=[],
        incomplete=True,
        status=Status.IN_REVIEW,
        publish_at=PUBLISH_AT + datetime.timedelta(days=3),
    )
    versions = hisp.history.count()

    response = reverted_by(publisher, hisp, earlier)

    assert response.status_code == 302
    assert response.url == url("hisps.Hisp", "history", hisp)
    hisp.refresh_from_db()
    assert fields_of(hisp) == expected
    assert hisp.history.count() == versions + 1
    latest = hisp.history.first()
    assert latest.history_user == publisher.user
    assert (
        latest.history_change_reason == f"Reverted to the version of {when(earlier.history_date)}"
    )
    assert re.search(r"\d{4}, .* E[SD]T$", latest.history_change_reason)


def test_a_publisher_reverts_an_imported_progress_update(publisher):
    """Real content: the first Summary of Progress, back to what the import wrote."""
    update = ProgressUpdate.objects.filter(kind=ProgressUpdate.Kind.SUMMARY).earliest("date")
    imported = update.history.earliest()
    expected = fields_of(update)
    save(
        update,
        body=update.body.replace(" the ", " a ", 1) + "\n\nA paragraph added later.",
        period_label="Some month",
        status=Status.DRAFT,
    )

    response = reverted_by(publisher, update, imported)

    assert response.status_code == 302
    update.refresh_from_db()
    assert fields_of(update) == expected
    assert update.history.first().history_user == publisher.user


def test_a_revert_keeps_when_the_object_was_first_published(publisher, hisp):
    """Back to a draft from before it was published: it is still "ever published", so it can be
    archived but never deleted, and its address keeps answering."""
    draft = hisp.history.first()
    save(hisp, status=Status.PUBLISHED)
    first_published = hisp.published_at
    assert first_published is not None

    assert reverted_by(publisher, hisp, draft).status_code == 302

    hisp.refresh_from_db()
    assert hisp.status == Status.DRAFT
    assert hisp.published_at == first_published
    delete = publisher.get(url("hisps.Hisp", "delete", hisp))
    assert delete.status_code == 403


@pytest.mark.parametrize("role", ["omb_editor", "agency_editor"])
def test_editors_who_may_not_publish_see_a_version_read_only_and_cannot_revert(request, role, hisp):
    client = request.getfixturevalue(role)
    earlier = hisp.history.first()
    save(hisp, name="Renamed Provider", status=Status.IN_REVIEW)
    before, versions = fields_of(hisp), hisp.history.count()

    page = client.get(version_url(hisp, earlier))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Revert to this version" not in content
    assert 'name="name"' not in content and 'name="status"' not in content  # read-only
    assert "Ownagency Provider" in content  # the old name, shown
    assert "only an OMB publisher can" in content

    # Posting the old version anyway, as a publisher's form would have it.
    data = {
        "agency": hisp.agency_id,
        "name": "Ownagency Provider",
        "slug": hisp.slug,
        "cohort": hisp.cohort,
        "status": Status.DRAFT,
        "publish_at_0": "2026-12-05",
        "publish_at_1": "09:00:00",
        "sources": "[]",
        "_save": "Revert to this version",
    }
    assert client.post(version_url(hisp, earlier), data).status_code == 403
    hisp.refresh_from_db()
    assert fields_of(hisp) == before and hisp.history.count() == versions


@pytest.mark.parametrize("label", CONTENT_MODELS)
@pytest.mark.parametrize("role", list(ROLE_FIXTURES))
def test_every_models_version_page_answers_each_role(request, role, label, own):
    """The version page as each role may see it: with Revert for the publisher, read-only for the
    other roles where they may view the model, refused where they may not."""
    client = request.getfixturevalue(ROLE_FIXTURES[role])
    obj = object_of(role, label, own)
    response = client.get(version_url(obj, obj.history.first()))
    assert response.status_code == expected(role, label, "history"), (role, label)
    if response.status_code == 200:
        page = response.content.decode()
        assert ("Revert to this version" in page) == (role == OMB_PUBLISHER), (role, label)


def test_the_publisher_sees_the_version_as_values_and_a_revert_button(publisher, hisp):
    earlier = hisp.history.first()
    save(hisp, name="Renamed Provider")
    content = publisher.get(version_url(hisp, earlier)).content.decode()
    assert 'value="Revert to this version"' in content
    # The version's values, not inputs: a revert restores it as it was.
    assert 'name="name"' not in content
    assert re.search(r'<div class="readonly">Ownagency Provider</div>', content)
    # What reverting would change, the current value first.
    assert re.search(r"<dt>Name</dt>\s*<dd>\s*<del>.*Renamed Provider</del>", content, re.S)


def test_a_revert_takes_the_versions_values_whatever_is_posted(publisher, hisp):
    earlier = hisp.history.first()
    save(hisp, name="Renamed Provider")
    response = publisher.post(
        version_url(hisp, earlier), {"name": "Something else", "status": Status.PUBLISHED}
    )
    assert response.status_code == 302
    hisp.refresh_from_db()
    assert hisp.name == "Ownagency Provider" and hisp.status == Status.DRAFT


def test_a_version_that_clashes_with_a_later_row_is_not_saved(publisher, hisp, other):
    """Its slug was given to another provider since: the page says so and nothing changes."""
    earlier = hisp.history.first()
    old_slug = hisp.slug
    save(hisp, slug="moved-on")
    save(other["hisps.Hisp"], slug=old_slug)
    versions = hisp.history.count()

    response = publisher.post(version_url(hisp, earlier), {"_save": "Revert to this version"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "This version cannot be saved again as it is" in content
    assert "Slug: High Impact Service Provider with this Slug already exists." in content
    hisp.refresh_from_db()
    assert hisp.slug == "moved-on" and hisp.history.count() == versions


def test_the_history_page_shows_what_each_change_did(publisher, hisp):
    """An editor changes the name and one word of the description through the admin's form."""
    description = (
        "Provides an example service to the public.\n\n"
        "Customers apply online, by phone or in person.\n\n"
        "It answers most requests within a week."
    )
    save(hisp, description=description)
    change = url("hisps.Hisp", "change", hisp)
    data = form_data(publisher.get(change).content.decode())
    data["name"] = ["Ownagency Benefits Office"]
    data["description"] = [description.replace("most requests", "every request")]
    assert publisher.post(change, data).status_code == 302

    page = publisher.get(url("hisps.Hisp", "history", hisp))
    content = page.content.decode()

    assert "<caption>Versions of “Ownagency Benefits Office”, newest first</caption>" in content
    # Who and when, with the timezone.
    assert re.search(r"<td>publisher</td>", content)
    assert re.search(r"\d{4}, [^<]*E[SD]T</a>", content)
    # The name: old → new, marked in words as well as by <del> and <ins>.
    name = re.search(r"<dt>Name</dt>\s*<dd>(.*?)</dd>", content, re.S).group(1)
    assert re.search(
        r"<del><span class=\"visually-hidden\">Before: </span>Ownagency Provider</del>", name
    )
    assert re.search(r"<ins><span class=\"visually-hidden\">After: </span>Ownagency Benefits Office</ins>", name)  # fmt: skip
    # The description: the one changed line, with the words that changed; not the whole text twice.
    text = re.search(r"<dt>Description</dt>\s*<dd>(.*?)</dd>", content, re.S).group(1)
    assert "Changed line: </span>It answers " in text
    assert "most requests" in text and "every request" in text
    assert text.count("Customers apply online") == 1
    assert "Provides an example service" not in text  # two lines away: counted, not shown
    assert "(1 unchanged line)" in text


def test_the_history_page_shows_labels_not_codes(publisher, hisp):
    save(hisp, cohort=Hisp.Cohort.LIST_2020, active=False, status=Status.IN_REVIEW, bureau=None)
    content = publisher.get(url("hisps.Hisp", "history", hisp)).content.decode()
    assert "2020 HISP list" in content and ">touchpoints<" not in content
    assert "<dt>Active</dt>" in content and "Yes</del>" in content and "No</ins>" in content
    assert "Ownagency Bureau</del>" in content and f"{EMPTY}</ins>" in content
    assert "<td>In review</td>" in content  # the status column, by its label


def test_an_agency_editor_sees_its_own_history_and_nothing_of_another_agencys(
    agency_editor, hisp, other
):
    theirs = other["hisps.Hisp"]
    save(theirs, name="Otheragency Renamed")
    their_version = theirs.history.first()
    own_version = hisp.history.first()

    assert agency_editor.get(url("hisps.Hisp", "history", hisp)).status_code == 200
    assert agency_editor.get(version_url(hisp, own_version)).status_code == 200

    assert agency_editor.get(url("hisps.Hisp", "history", theirs)).status_code in (403, 404)
    assert agency_editor.get(version_url(theirs, their_version)).status_code == 404
    assert agency_editor.post(version_url(theirs, their_version), {}).status_code == 404
    # Another object's version under its own object's address: not found either.
    mixed = reverse("admin:hisps_hisp_simple_history", args=[hisp.pk, their_version.history_id])
    response = agency_editor.get(mixed)
    assert response.status_code == 404
    assert "Otheragency" not in response.content.decode()


@pytest.mark.parametrize("label", ["hisps.Service", "hisps.SurveyResult", "hisps.Document"])
def test_another_agencys_versions_of_every_kind_answer_404(agency_editor, other, label):
    obj = other[label]
    record = obj.history.first()
    assert agency_editor.get(version_url(obj, record)).status_code == 404


def test_a_version_of_an_object_that_does_not_exist_answers_404(publisher, hisp):
    record = hisp.history.first()
    missing = reverse("admin:hisps_hisp_simple_history", args=[hisp.pk + 10_000, record.pk])
    assert publisher.get(missing).status_code == 404
    bad = reverse("admin:hisps_hisp_simple_history", args=[hisp.pk, "x"])
    assert publisher.get(bad).status_code == 404


def _history_page_queries(client, hisp, versions, bureau):
    for n in range(versions - 1):
        save(
            hisp,
            f"Change {n}",
            name=f"Provider, version {n}",
            bureau=None if n % 2 else bureau,
            status=Status.IN_REVIEW if n % 2 else Status.DRAFT,
        )
    assert hisp.history.count() == versions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("hisps.Hisp", "history", hisp)).status_code == 200
    return len(queries)


def test_the_history_pages_queries_do_not_grow_with_its_versions(publisher, own, other):
    """Users and foreign keys come with the versions, in one query."""
    few = own["hisps.Hisp"]
    many = other["hisps.Hisp"]
    few.history.all().delete()
    many.history.all().delete()
    save(few)
    save(many)
    assert _history_page_queries(publisher, few, 2, own["hisps.Agency"]) == (
        _history_page_queries(publisher, many, 10, other["hisps.Agency"])
    )


# The diff itself, on the records of one HISP.


def test_a_long_text_shows_the_changed_lines_only():
    """Markdown: paragraphs between blank lines. Around each change, the paragraph before and
    after; the others are counted."""
    paragraphs = [f"Paragraph {n}." for n in range(1, 9)]
    old = "\n\n".join(["Paragraph 1.", "Paragraph 2, with a typo in it.", *paragraphs[2:]])
    new = "\n\n".join(
        ["Paragraph 1.", "Paragraph 2, with no typo in it.", *paragraphs[2:], "Added."]
    )
    lines = line_diff(old, new)
    assert [(line.kind, line.text or line.count) for line in lines] == [
        ("same", "Paragraph 1."),
        ("changed", 0),
        ("same", "Paragraph 3."),
        ("skipped", 4),
        ("same", "Paragraph 8."),
        ("added", "Added."),
    ]
    assert lines[1].parts == [
        ("same", "Paragraph 2, with "),
        ("removed", "a"),
        ("added", "no"),
        ("same", " typo in it."),
    ]


def test_changed_words_next_to_each_other_are_one_run():
    (line,) = line_diff(
        "It answers most requests within a week.", "It answers every request within a week."
    )
    assert line.parts == [
        ("same", "It answers "),
        ("removed", "most requests"),
        ("added", "every request"),
        ("same", " within a week."),
    ]


def test_only_blank_lines_changed_shows_no_lines():
    assert line_diff("One.\nTwo.", "One.\n\nTwo.") == []


def test_a_rewritten_line_shows_as_removed_and_added():
    lines = line_diff("Entirely one thing.", "Something else completely, and longer.")
    assert [line.kind for line in lines] == ["removed", "added"]


def test_changes_are_in_the_models_field_order_with_verbose_names(hisp):
    before = hisp.history.first()
    after = save(hisp, overall_rating_2020="3.5", name="Renamed", year_designated=2018)
    found = changes(after, before)
    assert [(c.label, c.old, c.new) for c in found] == [
        ("Name", "Ownagency Provider", "Renamed"),
        ("Year designated", EMPTY, "2018"),
        ("Overall rating (2020)", EMPTY, "3.5"),
    ]
