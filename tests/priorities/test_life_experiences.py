"""/cx/life-experiences/ and each Life Experience, and performance.gov's old addresses of them."""

import re

import pytest
from django.urls import reverse

from priorities.models import LifeExperience
from tests.factories import LifeExperienceFactory, LifeExperienceStatFactory, MilestoneFactory
from tests.priorities.conftest import words

pytestmark = pytest.mark.django_db

CHILD = "/cx/life-experiences/having-a-child-and-early-childhood/"


def test_the_list_shows_the_five_in_order_with_quotes(client):
    body = client.get(reverse("priorities:life_experiences")).content.decode()
    names = [words(h) for h in re.findall(r'<h2 class="usa-card__heading">(.*?)</h2>', body, re.S)]
    assert names == [
        "Facing a financial shock",
        "Having a child and early childhood for low-income families",
        "Recovering from a disaster",
        "Navigating the transition to civilian life",
        "Approaching retirement",
    ]
    assert (
        f'<a href="{CHILD}">Having a child and early childhood for low-income families</a>' in body
    )
    text = words(body)
    assert "There’s a cliff that so many of our families are standing on." in text
    assert "— Frontline Staff" in text
    assert "Last updated" not in text  # the source gives no date: nothing, rather than the import's


def test_a_life_experience_page_has_every_part(get_text):
    page = get_text(CHILD)
    assert "For parents of all income levels, carrying and delivering a child" in page
    assert "Where we are" in page and "The challenge How might we" in page
    assert "Our approach To start, we listened to people’s stories." in page
    assert "121 people, from 10 states, participated in the research." in page
    assert "32 members of the public" in page and "64 subject-matter experts" in page
    assert "Personas Kailee Looking for employment and childcare Mother of one" in page
    assert "Projects Alumni Peer Navigator (APN)" in page
    assert "Last updated" not in page  # the source gives no date: nothing, rather than the import's


def test_stats_point_to_their_numbered_sources(client):
    body = client.get("/cx/life-experiences/approaching-retirement/").content.decode()
    # Two stats without a source, and one with: it cites source 1, which is listed.
    cited = re.findall(r'<li id="stat-(\d)"[^>]*>(.*?)</li>', body, re.S)
    assert len(cited) == 3
    assert 'href="#source-' not in cited[0][1] and 'href="#source-' not in cited[1][1]
    assert words(cited[2][1]) == "Medicare covers nearly 64 million people Source 1"
    assert '<a href="#source-1">' in cited[2][1]
    sources = re.search(r'<ol class="usa-list life-experience-sources".*?</ol>', body, re.S)
    assert words(sources.group(0)).startswith("CMS Releases Latest Enrollment Figures for Medicare")
    assert '<li id="source-1">' in sources.group(0)


def test_stats_sharing_a_source_share_its_number(client):
    experience = LifeExperienceFactory()
    for text, source in [("A", "Census"), ("B", "Survey"), ("C", "Census")]:
        LifeExperienceStatFactory(life_experience=experience, text=f"Stat {text}", source=source)
    body = client.get(experience.get_absolute_url()).content.decode()
    numbers = re.findall(r"Stat (\w)<sup[^>]*><a href=\"#source-(\d)\"", body)
    assert numbers == [("A", "1"), ("B", "2"), ("C", "1")]
    assert re.findall(r'<li id="source-\d">([^<]+)</li>', body) == ["Census", "Survey"]


def test_projects_have_anchors_and_their_milestones(client):
    experience = LifeExperience.objects.get(slug="having-a-child-and-early-childhood")
    project = experience.projects.get(slug="newborn-supply-kit")
    MilestoneFactory(strategy=None, project=project, title="Ship the first kits", owner="HHS")
    body = client.get(CHILD).content.decode()
    section = re.search(r'<li id="project-newborn-supply-kit".*?</li>\s*</ul>', body, re.S)
    text = words(section.group(0))
    assert text.startswith("Newborn Supply Kit As of August 2023 Provides families")
    assert "Milestones of Newborn Supply Kit Milestone Status Timing Owner" in text
    assert "Ship the first kits Planned FY23 Q2 HHS" in text
    assert project.get_absolute_url() == CHILD + "#project-newborn-supply-kit"


def test_the_2022_charter_is_on_the_page(get_text):
    page = get_text("/cx/life-experiences/recovering-from-a-disaster/")
    assert "2022 project charter" in page
    assert "Where are we now Those who have lived through a disaster" in page
    assert "Where we will start Through Summer 2022, we will: Interview survivors" in page
    page = get_text("/cx/life-experiences/approaching-retirement/")
    assert "Where we want to be Any route you begin" in page
    assert "information once. The number of people applying" in page


def test_secondary_sources_are_flagged_in_words_a_reader_uses(get_text):
    """The flag once read as an internal note ("This description comes from a secondary
    source."); which article it was stays in the admin's Source."""
    page = get_text("/cx/life-experiences/facing-a-financial-shock/")
    assert (
        "Some details of this project come from news coverage, not from an official government "
        "publication." in page
    )
    assert "secondary source" not in page
    assert "government-transformation.com" not in page


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/cx/life-experiences/having-a-child-and-early-childhood-for-low-income-families/", CHILD),
        ("/cx/projects/recovering-from-a-disaster/",
         "/cx/life-experiences/recovering-from-a-disaster/#charter-2022"),
        ("/cx/projects/transitioning-to-civilian-life/",
         "/cx/life-experiences/navigating-the-transition-to-civilian-life/#charter-2022"),
        ("/cx/projects/approaching-retirement/",
         "/cx/life-experiences/approaching-retirement/#charter-2022"),
    ],
)  # fmt: skip
def test_old_addresses_move_permanently_to_the_page(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new.split("#")[0]).status_code == 200


def test_every_old_address_in_the_data_moves_to_a_page_that_answers(client):
    olds = set()
    for experience in LifeExperience.objects.public():
        urls = [experience.original_url, (experience.charter_2022 or {}).get("url")]
        urls += [source.get("url") for source in experience.sources]
        for url in filter(None, urls):
            if re.match(r"https?://(www\.)?performance\.gov/cx/", url):
                olds.add((re.sub(r"^https?://[^/]+", "", url).rstrip("/") + "/", experience))
    assert len(olds) >= 9
    for path, experience in olds:
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert response.request["PATH_INFO"] == experience.get_absolute_url(), path
        assert all(status == 301 for _, status in response.redirect_chain), path


@pytest.mark.parametrize(
    "url",
    [
        "/cx/life-experiences/no-such-experience/",
        "/cx/life-experiences/%3Cscript%3E/",
        "/cx/life-experiences/" + "a" * 500 + "/",
    ],
)
def test_unknown_addresses_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_an_unknown_charter_address_goes_to_the_life_experiences(client):
    """/cx/projects/ was performance.gov's: an address there that names no charter goes to the
    nearest page (issue 8), the experience of that slug or the list."""
    response = client.get("/cx/projects/no-such-project/")
    assert response["Location"] == reverse("priorities:life_experiences")
    response = client.get("/cx/projects/having-a-child-and-early-childhood/")
    assert response["Location"] == "/cx/life-experiences/having-a-child-and-early-childhood/"
