"""The permission matrix: role × model × action, tried by direct URL and by POST, as the server
answers them (not what the buttons show).

| role            | view, add, change             | delete                 | publish, unpublish, archive |
|-----------------|-------------------------------|------------------------|-----------------------------|
| OMB publisher   | every model                   | never-published only   | every model                 |
| OMB editor      | every model                   | never-published only   | none                        |
| Agency editor   | its agencies' HISP data only  | none                   | none                        |
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from content.publishing import ContentModel, Status
from cxportal.roles import (
    AGENCY_EDITOR,
    AGENCY_MODELS,
    OMB_EDITOR,
    OMB_PUBLISHER,
    PERIODS,
    ROLES,
)
from tests import factories

pytestmark = pytest.mark.django_db

CONTENT_MODELS = sorted(
    model._meta.label
    for model in apps.get_models()
    if issubclass(model, ContentModel) and not model.__name__.startswith("Historical")
)
ROLE_FIXTURES = {
    OMB_PUBLISHER: "publisher",
    OMB_EDITOR: "omb_editor",
    AGENCY_EDITOR: "agency_editor",
}


def url(label, view, obj=None):
    app_label, model = label.lower().split(".")
    args = [obj.pk] if obj is not None else []
    return reverse(f"admin:{app_label}_{model}_{view}", args=args)


def object_of(role, label, own):
    """An object of the model to try: a draft, or for the agency editor one of its own agency's."""
    if label in own and (label in AGENCY_MODELS or role == AGENCY_EDITOR):
        return own[label]
    factory = getattr(factories, f"{label.split('.')[1]}Factory")
    return factory(status=Status.DRAFT)


NEEDS = {
    "changelist": "view",
    "add": "add",
    "change": "view",
    "history": "view",
    "delete": "delete",
}


def expected(role, label, view):
    """200 where the role may, else 403. OMB's roles may everything (delete: while never published)."""
    if role != AGENCY_EDITOR:
        return 200
    return 200 if NEEDS[view] in ROLES[AGENCY_EDITOR].get(label, ()) else 403


def test_the_roles_are_groups_with_exactly_these_names():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "OMB publisher",
        "OMB editor",
        "Agency editor",
    }
    assert sorted(ROLES[OMB_PUBLISHER]) == sorted([*CONTENT_MODELS, "hisps.AgencyEditor", PERIODS])


def test_each_group_holds_the_permissions_of_its_role():
    for name, grants in ROLES.items():
        held = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.select_related("content_type")
        }
        wanted = set()
        for label, actions in grants.items():
            app_label, model = label.lower().split(".")
            for action in actions:
                wanted.add(
                    f"{app_label}.{action if action == 'all_agencies' else f'{action}_{model}'}"
                )
        assert held == wanted, name


@pytest.mark.parametrize("label", CONTENT_MODELS)
@pytest.mark.parametrize("role", list(ROLE_FIXTURES))
def test_role_model_action_matrix(request, role, label, own):
    client = request.getfixturevalue(ROLE_FIXTURES[role])
    obj = object_of(role, label, own)
    for view in NEEDS:
        target = obj if view in ("change", "history", "delete") else None
        # The list filtered to the object: the permission is the list's, the page stays short.
        query = f"?id__exact={obj.pk}" if view == "changelist" else ""
        status = client.get(url(label, view, target) + query).status_code
        assert status == expected(role, label, view), (role, label, view)

    # Publish, by POSTing the bulk action (whether or not the page offers it).
    before = obj.status
    client.post(
        url(label, "changelist"),
        {"action": "publish", "_selected_action": [obj.pk], "select_across": 0, "index": 0},
    )
    obj.refresh_from_db()
    assert obj.status == (Status.PUBLISHED if role == OMB_PUBLISHER else before), (role, label)


@pytest.mark.parametrize("role", list(ROLE_FIXTURES))
def test_submit_for_review_is_open_to_every_role_that_may_change(request, role, own):
    client = request.getfixturevalue(ROLE_FIXTURES[role])
    hisp = own["hisps.Hisp"]
    client.post(
        url("hisps.Hisp", "changelist"),
        {"action": "submit_for_review", "_selected_action": [hisp.pk], "index": 0},
    )
    hisp.refresh_from_db()
    assert hisp.status == Status.IN_REVIEW
    # Recorded with who made it.
    assert hisp.history.first().history_user == client.user


@pytest.mark.parametrize("role", [OMB_EDITOR, AGENCY_EDITOR])
def test_unpublish_and_archive_are_refused_to_non_publishers(request, role, own):
    client = request.getfixturevalue(ROLE_FIXTURES[role])
    hisp = own["hisps.Hisp"]
    hisp.status = Status.PUBLISHED
    hisp.save()
    for action in ("unpublish", "archive"):
        client.post(
            url("hisps.Hisp", "changelist"),
            {"action": action, "_selected_action": [hisp.pk], "index": 0},
        )
        hisp.refresh_from_db()
        assert hisp.status == Status.PUBLISHED, action
    page = client.get(url("hisps.Hisp", "changelist")).content.decode()
    assert 'value="publish"' not in page and 'value="archive"' not in page
    assert 'value="submit_for_review"' in page


def test_a_publisher_archives_and_unpublishes(publisher, own):
    hisp = own["hisps.Hisp"]
    for action, status in [("publish", Status.PUBLISHED), ("archive", Status.ARCHIVED)]:
        publisher.post(
            url("hisps.Hisp", "changelist"),
            {"action": action, "_selected_action": [hisp.pk], "index": 0},
        )
        hisp.refresh_from_db()
        assert hisp.status == status
    publisher.post(
        url("hisps.Hisp", "changelist"),
        {"action": "unpublish", "_selected_action": [hisp.pk], "index": 0},
    )
    hisp.refresh_from_db()
    assert hisp.status == Status.DRAFT


@pytest.mark.parametrize("role", [OMB_PUBLISHER, OMB_EDITOR])
def test_what_was_published_is_never_deleted(request, role):
    client = request.getfixturevalue(ROLE_FIXTURES[role])
    update = factories.ProgressUpdateFactory()  # published
    assert client.get(url("priorities.ProgressUpdate", "delete", update)).status_code == 403
    assert (
        client.post(url("priorities.ProgressUpdate", "delete", update), {"post": "yes"}).status_code
        == 403
    )
    client.post(
        url("priorities.ProgressUpdate", "changelist"),
        {"action": "delete_selected", "_selected_action": [update.pk], "post": "yes", "index": 0},
    )
    assert type(update).objects.filter(pk=update.pk).exists()


def test_a_view_only_user_cannot_move_anything_by_a_bulk_action(agency_editor):
    """Agency editors may only view CX measures: a POSTed action changes none of them."""
    measure = factories.CxMeasureFactory(status=Status.DRAFT)
    agency_editor.post(
        url("hisps.CxMeasure", "changelist"),
        {"action": "submit_for_review", "_selected_action": [measure.pk], "index": 0},
    )
    measure.refresh_from_db()
    assert measure.status == Status.DRAFT
