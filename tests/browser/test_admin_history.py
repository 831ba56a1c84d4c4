"""An object's history in the admin, in Chromium, as a publisher sees it: the list of versions with
their field-by-field diff, and one version's page with its Revert button. No axe-core violations.

The other browser tests only read the imported content. These need a signed-in publisher and a
HISP with a few versions that the live server's threads can see, so `history_to_read` writes them
in a transaction of its own, committed, and deletes them again afterwards: a draft HISP, which no
public page shows meanwhile.
"""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from content.publishing import Status
from cxportal.roles import OMB_PUBLISHER
from hisps.models import Agency, Hisp
from tests.browser.conftest import axe_violations, committed

DESCRIPTION = (
    "Helps example customers apply for an example benefit.\n\n"
    "Customers apply online, by phone or in person.\n\n"
    "It answers most requests within a week."
)


@pytest.fixture
def history_to_read(live_site):
    """A publisher's session key, and a draft HISP with three versions (name, description and
    status changed) and the id of its first."""

    def make():
        user = User.objects.create_user("history-publisher", is_staff=True)
        user.groups.add(Group.objects.get(name=OMB_PUBLISHER))
        hisp = Hisp(
            agency=Agency.objects.filter(parent__isnull=True).order_by("pk").first(),
            name="Example Benefits Office",
            slug="example-benefits-office-history",
            description=DESCRIPTION,
            status=Status.DRAFT,
        )
        for changes in (
            {},
            {"name": "Example Benefits Service", "description": DESCRIPTION.replace("most", "all")},
            {"status": Status.IN_REVIEW},
        ):
            for name, value in changes.items():
                setattr(hisp, name, value)
            hisp._history_user = user
            hisp.save()
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key, hisp.pk, hisp.history.earliest().history_id, user.pk

    session_key, hisp_id, first_version, user_id = committed(make)
    yield session_key, hisp_id, first_version

    def remove():
        Hisp.objects.filter(pk=hisp_id).delete()
        Hisp.history.filter(id=hisp_id).delete()
        SessionStore(session_key).delete()
        User.objects.filter(pk=user_id).delete()

    committed(remove)


def test_history_and_version_pages_pass_axe(live_site, page, axe, history_to_read):
    session_key, hisp_id, first_version = history_to_read
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_site.url}]
    )
    # Django's admin pages link no icon, so the browser asks for /favicon.ico, which the site does
    # not serve (its own pages link USWDS's); that 404 would count as a console error.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))

    history = reverse("admin:hisps_hisp_history", args=[hisp_id])
    assert page.goto(live_site.url + history).status == 200
    assert page.locator("#change-history caption").text_content() == (
        "Versions of “Example Benefits Service”, newest first"
    )
    assert page.locator(".history-changes dt", has_text="Description").count() == 1
    report = axe_violations(axe, page)
    assert not report, report

    version = reverse("admin:hisps_hisp_simple_history", args=[hisp_id, first_version])
    assert page.goto(live_site.url + version).status == 200
    assert page.get_by_role("button", name="Revert to this version").count() == 1
    report = axe_violations(axe, page)
    assert not report, report
