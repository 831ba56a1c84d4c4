"""Each object's history in the admin: what every version changed, field by field, and nothing of
another agency's."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.diff import EMPTY, changes, line_diff
from content.publishing import Status
from hisps.models import Hisp
from tests.editorial.test_permissions import url

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


def save(obj, reason=None, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    obj._change_reason = reason
    obj.save()
    return obj.history.first()


@pytest.fixture
def hisp(own):
    """A HISP whose last version has a publish time to the microsecond, a Touchpoints id (read-only
    in the admin) and sources."""
    hisp = own["hisps.Hisp"]
    save(hisp, publish_at=PUBLISH_AT, touchpoints_id=4101, sources=[{"url": "https://a.example"}])
    return hisp


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
    assert agency_editor.get(url("hisps.Hisp", "history", hisp)).status_code == 200
    assert agency_editor.get(url("hisps.Hisp", "history", theirs)).status_code in (403, 404)


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
