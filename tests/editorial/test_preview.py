"""Preview and share links: staff see a draft exactly as it will look, with a banner; a reviewer
without an account sees it through a signed link until it expires or is revoked; nothing of it
reaches the public site, the sitemap, search or feeds."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from content.models import ShareLink
from content.publishing import Status
from hisps.models import Hisp
from priorities.models import PriorityArea
from tests.factories import ProgressUpdateFactory, ServiceFactory

pytestmark = pytest.mark.django_db

BANNER = "Preview — not published"


def preview_url(obj):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/preview/"


def share_url(obj):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/share/"


def test_staff_preview_a_draft_provider_as_the_public_page_with_a_banner(publisher, own):
    hisp = own["hisps.Hisp"]
    assert Client().get(hisp.get_absolute_url()).status_code == 404

    response = publisher.get(preview_url(hisp))

    page = response.content.decode()
    assert response.status_code == 200
    assert BANNER in page
    assert "<h1" in page and "Ownagency Provider" in page
    # Exactly as it will look: its service is still a draft, so it is not on the page yet...
    assert "Ownagency Service" not in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in page
    # Nothing was written: the provider and its service are still drafts, and the public 404 holds.
    hisp.refresh_from_db()
    assert hisp.status == Status.DRAFT
    assert own["hisps.Service"].__class__.objects.get(pk=own["hisps.Service"].pk).status == "draft"
    assert Client().get(hisp.get_absolute_url()).status_code == 404
    # ...and the service's own preview shows it on its provider's page, provider published too.
    service_page = publisher.get(preview_url(own["hisps.Service"])).content.decode()
    assert BANNER in service_page and "Ownagency Service" in service_page
    assert "Ownagency Provider" in service_page


def test_a_scheduled_update_previews_and_view_on_site_leads_to_the_preview(publisher):
    cx = PriorityArea.objects.get(slug="cx")
    later = timezone.now() + datetime.timedelta(days=20)
    update = ProgressUpdateFactory(
        priority_area=cx,
        date=datetime.date(2031, 3, 1),
        period_label="March 2031",
        body="A scheduled summary of progress.",
        status=Status.PUBLISHED,
        publish_at=later,
    )
    change = publisher.get(f"/admin/priorities/progressupdate/{update.pk}/change/").content.decode()
    assert preview_url(update) in change  # "Preview" and "View on site" go to the preview

    page = publisher.get(preview_url(update)).content.decode()
    assert BANNER in page and "A scheduled summary of progress." in page
    assert Client().get(update.get_absolute_url()).status_code == 404


def test_an_agency_editor_cannot_preview_or_share_another_agencys_draft(agency_editor, own, other):
    assert agency_editor.get(preview_url(own["hisps.Hisp"])).status_code == 200
    for url in (preview_url(other["hisps.Hisp"]), share_url(other["hisps.Hisp"])):
        response = agency_editor.get(url)
        assert response.status_code in (403, 404), url
        assert b"Otheragency" not in response.content
    assert agency_editor.post(share_url(other["hisps.Hisp"])).status_code in (403, 404)
    assert not ShareLink.objects.exists()


def _make_link(client, obj) -> str:
    response = client.post(share_url(obj))
    assert response.status_code == 302
    link = ShareLink.objects.get(object_id=obj.pk)
    page = client.get(share_url(obj)).content.decode()
    assert link.get_absolute_url() in page  # shown to copy
    return link.get_absolute_url()


def test_a_share_link_works_without_an_account_until_revoked(omb_editor, own):
    hisp = own["hisps.Hisp"]
    url = _make_link(omb_editor, hisp)
    reviewer = Client()

    response = reviewer.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert BANNER in page and "Ownagency Provider" in page
    assert "Shared for review" in page
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"].startswith("noindex")

    link = ShareLink.objects.get()
    omb_editor.post(share_url(hisp), {"revoke": link.pk})
    gone = reviewer.get(url)
    assert gone.status_code == 410
    assert b"Ownagency Provider" not in gone.content
    assert b"withdrawn" in gone.content


def test_a_share_link_expires_after_seven_days(publisher, own):
    url = _make_link(publisher, own["hisps.Hisp"])
    reviewer = Client()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert reviewer.get(url).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        response = reviewer.get(url)
        assert response.status_code == 410
        assert b"expired" in response.content


def test_an_altered_or_unknown_share_link_is_not_found(publisher, own):
    url = _make_link(publisher, own["hisps.Hisp"])
    reviewer = Client()
    assert reviewer.get(url[:-3] + "xx/").status_code == 404
    assert reviewer.get("/preview/not-a-token/").status_code == 404


def test_share_links_never_appear_in_the_sitemap_search_or_feeds(publisher, own):
    url = _make_link(publisher, own["hisps.Hisp"])
    anyone = Client()
    assert anyone.get(url).status_code == 200
    for surface in [
        "/sitemap.xml",
        "/search/?q=Ownagency",
        "/feeds/updates.atom",
        "/cx/hisps/?q=Ownagency",
        "/robots.txt",
    ]:
        body = anyone.get(surface).content.decode()
        assert url not in body and "Shared for review" not in body, surface
        assert "Ownagency Provider" not in body, surface


def test_only_users_who_may_change_an_object_may_share_it(client, django_user_model, own):
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_hisp", "all_agencies"])
    )
    client.force_login(viewer)
    assert client.get(preview_url(own["hisps.Hisp"])).status_code == 200
    assert client.post(share_url(own["hisps.Hisp"])).status_code == 403
    assert not ShareLink.objects.exists()


def test_an_archived_provider_keeps_its_page_with_an_archived_notice(client):
    hisp = Hisp.objects.public().filter(services__isnull=False).first()
    service = ServiceFactory(hisp=hisp, name="A service kept on record")
    Hisp.objects.filter(pk=hisp.pk).update(status=Status.ARCHIVED)

    response = client.get(hisp.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Archived" in page and hisp.name in page
    assert service.name in page
    assert BANNER not in page
    assert hisp.get_absolute_url() not in client.get("/sitemap.xml").content.decode()
    assert hisp.name not in client.get("/cx/hisps/").content.decode()
