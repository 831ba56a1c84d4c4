"""`manage.py create_editor` makes one account of each role, as the README says, and they sign in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

PASSWORD = "a long editorial passphrase"


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv("CXPORTAL_PASSWORD", PASSWORD)


@pytest.mark.parametrize(
    "role,agencies,sees,hidden",
    [
        ("OMB publisher", [], "Priority areas", None),
        ("OMB editor", [], "Milestones", None),
        ("Agency editor", ["va"], "High Impact Service Providers", "Priority areas"),
    ],
)
def test_each_role_gets_an_account_that_signs_in(client, role, agencies, sees, hidden):
    args = ["someone", "--role", role, *[f"--agency={slug}" for slug in agencies]]
    call_command("create_editor", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = get_user_model().objects.get(username="someone")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == [role]
    assert sorted(e.agency.slug for e in user.agency_editors.all()) == agencies
    # Through the admin's login form: django-axes counts sign-ins by the request they come in.
    signed_in = client.post("/admin/login/", {"username": "someone", "password": PASSWORD})
    assert signed_in.status_code == 302
    index = client.get("/admin/").content.decode()
    assert sees in index
    if hidden:
        assert hidden not in index


@pytest.mark.parametrize(
    "args,message",
    [
        (["x", "--role", "Agency editor"], "needs at least one --agency"),
        (["x", "--role", "Agency editor", "--agency", "nope"], "No agency has the slug nope"),
        (["x", "--role", "Superhero"], "invalid choice"),
    ],
)
def test_bad_requests_say_what_is_wrong_and_make_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_editor", *args)
    assert not get_user_model().objects.filter(username="x").exists()


def test_a_weak_password_is_refused(monkeypatch):
    monkeypatch.setenv("CXPORTAL_PASSWORD", "password")
    with pytest.raises(CommandError, match="too short|too common"):
        call_command("create_editor", "x", "--role", "OMB editor")
