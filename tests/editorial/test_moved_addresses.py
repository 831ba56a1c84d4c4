"""Links never break: a published page whose slug (or month, or number) changes keeps its old
address, with a permanent redirect to the new one, for the page and everything under it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from content.models import MovedPath
from content.publishing import Status
from hisps.models import Hisp
from priorities.models import PriorityArea, ProgressUpdate, Strategy
from tests.factories import HispFactory

pytestmark = pytest.mark.django_db


def rename_in_admin(client, hisp, slug):
    """Change a HISP's slug through its admin form, keeping every other field."""
    page = client.get(reverse("admin:hisps_hisp_change", args=[hisp.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled:
            continue
        if isinstance(value, list):
            data[name] = value
        elif value is None:
            data[name] = ""
        else:
            data[name] = value
    data["publish_at_0"], data["publish_at_1"] = (
        hisp.publish_at.strftime("%Y-%m-%d"),
        hisp.publish_at.strftime("%H:%M:%S"),
    )
    data.pop("publish_at", None)
    data["slug"] = slug
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for index, inline_form in enumerate(inline.formset.forms):
            for name in inline_form.fields:
                value = inline_form[name].value()
                key = f"{inline.formset.prefix}-{index}-{name}"
                if value is None or value is False:
                    continue
                data[key] = value
    response = client.post(reverse("admin:hisps_hisp_change", args=[hisp.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    hisp.refresh_from_db()
    assert hisp.slug == slug


def test_a_renamed_provider_answers_at_its_old_address_with_a_301(publisher):
    hisp = Hisp.objects.public().get(slug="veterans-health-administration")
    rename_in_admin(publisher, hisp, "vha")
    public = Client()

    response = public.get("/cx/hisps/veterans-health-administration/")
    assert response.status_code == 301
    assert response["Location"] == "/cx/hisps/vha/"
    assert public.get(response["Location"]).status_code == 200
    # Everything under the old address moves with it, query string kept.
    csv = public.get("/cx/hisps/veterans-health-administration/results.csv?x=1")
    assert csv.status_code == 301
    assert csv["Location"] == "/cx/hisps/vha/results.csv?x=1"


def test_renamed_twice_the_oldest_address_goes_to_the_newest_in_one_hop(publisher):
    hisp = Hisp.objects.public().get(slug="veterans-health-administration")
    hisp.slug = "vha-2"
    hisp.save()
    hisp.slug = "vha-3"
    hisp.save()
    public = Client()
    assert public.get("/cx/hisps/veterans-health-administration/")["Location"] == "/cx/hisps/vha-3/"
    assert public.get("/cx/hisps/vha-2/")["Location"] == "/cx/hisps/vha-3/"
    # Renamed back: the address is a page again, and nothing points in a circle.
    hisp.slug = "veterans-health-administration"
    hisp.save()
    assert public.get("/cx/hisps/veterans-health-administration/").status_code == 200
    assert public.get("/cx/hisps/vha-3/")["Location"] == "/cx/hisps/veterans-health-administration/"
    assert not MovedPath.objects.filter(
        old_path="/cx/hisps/veterans-health-administration/"
    ).exists()


def test_a_draft_that_was_never_published_leaves_no_redirect(publisher):
    draft = HispFactory(slug="zq-draft", status=Status.DRAFT)
    draft.slug = "zq-draft-renamed"
    draft.save()
    assert Client().get("/cx/hisps/zq-draft/").status_code == 404
    assert not MovedPath.objects.exists()


def test_a_renamed_priority_area_keeps_its_strategies_and_updates_addresses():
    area = PriorityArea.objects.get(slug="cx")
    update = ProgressUpdate.objects.public().summaries().filter(priority_area=area).first()
    month = update.date.strftime("%Y-%m")
    area.slug = "customer-experience"
    area.save()
    public = Client()
    for old, new in [
        ("/pma/cx/", "/pma/customer-experience/"),
        ("/pma/cx/strategy/2/", "/pma/customer-experience/strategy/2/"),
        (f"/pma/cx/updates/{month}/", f"/pma/customer-experience/updates/{month}/"),
    ]:
        response = public.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
        assert public.get(new).status_code == 200, new


def test_a_moved_update_and_a_renumbered_strategy_redirect():
    update = ProgressUpdate.objects.public().summaries().filter(priority_area__slug="cx").first()
    old = update.get_absolute_url()
    update.date = datetime.date(2030, 7, 1)
    update.save()
    assert Client().get(old)["Location"] == "/pma/cx/updates/2030-07/"

    strategy = Strategy.objects.get(priority_area__slug="cx", number=2)
    strategy.number = 9
    strategy.save()
    assert Client().get("/pma/cx/strategy/2/")["Location"] == "/pma/cx/strategy/9/"


def test_an_unknown_address_is_still_a_404():
    assert Client().get("/cx/hisps/no-such-provider/").status_code == 404
