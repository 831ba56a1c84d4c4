"""Notes on a record's source, said the way a reader needs them: "This is an excerpt. The full text
is on performance.gov", with the link, instead of "The stored copy of this update was cut off"."""

import re

import pytest
from django.urls import reverse

from priorities.models import LifeExperience, PriorityArea, ProgressUpdate
from tests.priorities.conftest import words

pytestmark = pytest.mark.django_db

INTERNAL = ["stored copy", "was cut off", "secondary source", "may be incomplete"]
NOTICE = re.compile(r'<p class="usa-hint excerpt-notice">(.*?)</p>', re.S)
# (`words` puts a space between a link and the full stop after it.)


def test_a_cut_off_update_says_it_is_an_excerpt_and_links_to_the_whole(client):
    update = ProgressUpdate.objects.get(external_id="pma2021-cx-2023-12")
    assert update.incomplete
    for url in ("/pma/cx/", update.get_absolute_url()):
        page = client.get(url).content.decode()
        notices = NOTICE.findall(page)
        assert len(notices) == 1, url
        assert (
            words(notices[0])
            == "This is an excerpt of the update. The full text is on performance.gov ."
        )
        # The page it was read from (a branch preview of /pma/cx) at its official address.
        assert 'href="https://www.performance.gov/pma/cx"' in notices[0]


def test_a_cut_off_charter_links_to_its_page_on_performance_gov(client):
    page = client.get("/cx/life-experiences/approaching-retirement/").content.decode()
    notices = [words(n) for n in NOTICE.findall(page)]
    assert notices == ["This is an excerpt of the charter. The full text is on performance.gov ."]
    assert 'href="https://www.performance.gov/cx/projects/approaching-retirement/"' in page


def test_a_cut_off_life_experience_page_links_to_the_original(client):
    experience = LifeExperience.objects.get(slug="facing-a-financial-shock")
    experience.incomplete = True
    experience.save()
    page = client.get(experience.get_absolute_url()).content.decode()
    assert [words(n) for n in NOTICE.findall(page)] == [
        "This is an excerpt of the original page. The full text is on performance.gov ."
    ]
    assert (
        'href="https://www.performance.gov/cx/life-experiences/facing-a-financial-shock/"' in page
    )


def test_an_update_with_no_known_page_falls_back_to_its_area(client):
    update = ProgressUpdate.objects.get(external_id="pma2021-cx-2023-12")
    update.sources = [{"repo": "GSA/example", "path": "a.md"}]
    assert update.full_text_url == "https://www.performance.gov/pma/cx/"


def test_a_note_on_the_stored_copy_inside_imported_text_goes_to_the_admin(client):
    """A research participants' group read "individuals from the Department of Defense (group
    label cut off in the stored copy)" on the public page."""
    experience = LifeExperience.objects.get(slug="navigating-the-transition-to-civilian-life")
    groups = [p["group"] for p in experience.research_participants]
    assert "individuals from the Department of Defense" in groups
    assert "Participants: group label cut off in the stored copy." in experience.source_note


def test_no_public_page_shows_an_internal_note(client):
    pages = ["/pma/cx/", "/pma/cx-2018/", "/pma/cx/strategy/2/", "/pma/cx/updates/2023-12/"]
    pages += [area.get_absolute_url() for area in PriorityArea.objects.public()]
    pages += [life.get_absolute_url() for life in LifeExperience.objects.public()]
    for url in pages:
        text = words(client.get(url).content.decode())
        for note in INTERNAL:
            assert note not in text, f"{url}: {note}"


def test_the_admin_still_shows_the_provenance(admin_client):
    client = admin_client
    update = ProgressUpdate.objects.get(external_id="pma2021-cx-2023-12")
    page = client.get(reverse("admin:priorities_progressupdate_change", args=[update.pk]))
    html = page.content.decode()
    assert re.search(r'<input[^>]*name="incomplete"[^>]*checked', html)
    assert "The stored copy this came from was cut off" in html  # the field's help text
    assert "sites.pages.cloud.gov/preview/" in html  # where it was read
