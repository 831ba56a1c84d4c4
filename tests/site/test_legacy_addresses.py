"""Every address performance.gov served in 2018–21 and 2022–24 (issue 8, "Addresses that people
already have") answers with its page here, or one 301 to the nearest page, in any letter case and
without its trailing slash; a made-up address is still a 404 (ADR 21)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import MovedPath
from content.publishing import Status
from hisps.models import Hisp
from tests.factories import HighlightFactory, HispFactory, LegacyPathFactory

pytestmark = pytest.mark.django_db

VHA = "/cx/hisps/veterans-health-administration/"
CHARTER = "/cx/life-experiences/navigating-the-transition-to-civilian-life/#charter-2022"

# (an address performance.gov served, where it goes here); None: it is a page here (200).
SERVED_2018_2021 = [
    ("/CAP/cx/", "/pma/cx-2018/"),
    ("/CAP/cx", "/pma/cx-2018/"),
    ("/cap/cx/", "/pma/cx-2018/"),
    ("/CAP/CAP_goal_4.html", "/pma/cx-2018/"),
    ("/CAP/CAP_goal_1.html", "/pma/"),  # another CAP goal: not on this site
    ("/CAP/it-modernization/", "/pma/"),
    ("/CAP/", "/pma/"),
    ("/cx/", None),
    ("/CX/", "/cx/"),
    ("/cx", "/cx/"),
    ("/cx/dashboard/", "/cx/hisps/"),
    ("/cx/dashboard", "/cx/hisps/"),
    ("/cx/dashboard/va/vha/", "/cx/hisps/va-vha/"),
    ("/CX/dashboard/va/vha/", "/cx/hisps/va-vha/"),
    ("/CX/DASHBOARD/VA/VHA", "/cx/hisps/va-vha/"),
    ("/cx/dashboard/ed/fafsa/", "/cx/hisps/ed-fsa/"),
    ("/cx/dashboard/treas/irs", "/cx/hisps/treas-irs/"),
    ("/cx/dashboard/no/such/", "/cx/hisps/"),  # unknown under a known pattern: the index
    ("/cx/dashboard/actionplans/2019/2019-hisp-action-plan-dhs-cbp.pdf", "/cx/hisps/"),
    ("/cx/profiles/", "/cx/hisps/"),
    ("/cx/profiles/va-vha/", "/cx/hisps/"),
    ("/cx/blog/what-we-learned-from-customers-2020/", "/news/what-we-learned-from-customers-2020/"),
    ("/cx/blog/", "/news/"),
    ("/cx/blog/no-such-post/", "/news/"),
    ("/cx/projects/", "/cx/life-experiences/"),
    ("/cx/projects/no-such-project/", "/cx/life-experiences/"),
    ("/cx/reporting.html", "/cx/reporting/"),
    ("/CX/Reporting.html", "/cx/reporting/"),
    ("/cx/resources.html", "/cx/resources/"),
    ("/cx/data/va-vha.csv", f"{VHA}results.csv"),  # a 2020 id: the provider continuing it
    ("/cx/data/usda-fsa.csv", "/cx/hisps/farm-service-agency/results.csv"),
    ("/cx/data/3.csv", "/cx/hisps/farm-service-agency/results.csv"),  # a Touchpoints service id
    ("/cx/data/veterans-health-administration.csv", f"{VHA}results.csv"),
]

SERVED_2022_2024 = [
    ("/pma/vision", "/pma/"),
    ("/pma/vision/", "/pma/"),
    ("/pma/cx/", None),
    ("/pma/cx", "/pma/cx/"),
    ("/PMA/CX/", "/pma/cx/"),
    ("/pma/workforce", "/pma/workforce/"),
    ("/pma/Business-of-Government", "/pma/business-of-government/"),
    ("/pma/cx/strategy/1", "/pma/cx/strategy/1/"),
    ("/pma/cx/strategy/2/", None),
    ("/PMA/CX/STRATEGY/3/", "/pma/cx/strategy/3/"),
    ("/pma/cx/data", "/cx/data/"),
    ("/pma/cx/data/", "/cx/data/"),
    ("/cx/agencies/", None),
    ("/cx/agencies", "/cx/agencies/"),
    ("/cx/agencies/va", "/cx/agencies/va/"),
    ("/cx/agencies/VA/", "/cx/agencies/va/"),
    ("/cx/hisps", "/cx/hisps/"),
    ("/CX/HISPS", "/cx/hisps/"),
    ("/cx/hisps/", None),
    (
        "/cx/life-experiences/having-a-child-and-early-childhood-for-low-income-families/",
        "/cx/life-experiences/having-a-child-and-early-childhood/",
    ),
    (
        "/CX/Life-Experiences/Having-a-Child-and-Early-Childhood-for-Low-Income-Families",
        "/cx/life-experiences/having-a-child-and-early-childhood/",
    ),
    ("/cx/life-experiences/approaching-retirement", "/cx/life-experiences/approaching-retirement/"),
    ("/cx/projects/transitioning-to-civilian-life/", CHARTER),
    ("/CX/PROJECTS/TRANSITIONING-TO-CIVILIAN-LIFE", CHARTER),
    (
        "/cx/projects/approaching-retirement/",
        "/cx/life-experiences/approaching-retirement/#charter-2022",
    ),
    (
        "/cx/projects/having-a-child-and-early-childhood/",
        "/cx/life-experiences/having-a-child-and-early-childhood/",
    ),
    ("/cx/blog/six-month-update-on-cx-eo", "/news/six-month-update-on-cx-eo/"),
    ("/cx/data/handbook", "/cx/data/methods/"),
    ("/cx/data/methods", "/cx/data/methods/"),
    ("/cx/data/service_providers.json", None),
    ("/cx/data/omb_cx_reporting_collections.json", None),
    ("/cx/data/Services.JSON", "/cx/data/services.json"),
    ("/cx/data/hisps.CSV", "/cx/data/hisps.csv"),
    ("/cx/executive-order", "/cx/executive-order/"),
    ("/CX/Executive-Order", "/cx/executive-order/"),
    ("/cx/executive-order/", None),
    ("/blog/meet-the-priority-area-leads/", "/news/meet-the-priority-area-leads/"),
    ("/blog/new-pma-priority-updates", "/news/new-pma-priority-updates/"),
    # The post's own address on performance.gov, which differs from its slug here.
    ("/blog/2023-q1-presidents-management-agenda-updates", "/news/2023-q1-pma-updates/"),
    ("/blog/", "/news/"),
]


@pytest.mark.parametrize(("path", "target"), SERVED_2018_2021 + SERVED_2022_2024)
def test_every_address_performance_gov_served_answers_in_one_hop(client, path, target):
    response = client.get(path)
    if target is None:
        assert response.status_code == 200, path
        return
    assert (response.status_code, response["Location"]) == (301, target), path
    followed = client.get(target)
    assert followed.status_code == 200, f"{path} -> {target} answers {followed.status_code}"


def test_the_addresses_measured_as_404_now_answer(client):
    """Measured in issue 8: each of these answered 404."""
    for path in ["/cx/", "/cx/dashboard/", "/CAP/cx/", "/pma/cx/data", "/cx/executive-order",
                 "/cx/agencies/", "/CX/dashboard/va/vha/"]:  # fmt: skip
        assert client.get(path).status_code in (200, 301), path


def test_a_redirect_keeps_the_query_string(client):
    response = client.get("/CX/DASHBOARD/VA/VHA", {"utm_source": "agency"})
    assert response["Location"] == "/cx/hisps/va-vha/?utm_source=agency"
    response = client.get("/CX/PROJECTS/TRANSITIONING-TO-CIVILIAN-LIFE", {"a": "1"})
    assert response["Location"] == CHARTER.replace("#", "?a=1#")


@pytest.mark.parametrize(
    "path",
    [
        "/no/such/page/",
        "/cx/nonsense/",
        "/cx/hisps/no-such-provider/",
        "/CX/HISPS/NO-SUCH-PROVIDER/",
        "/pma/no-such-area/",
        "/pma/cx/strategy/99/",
        "/cx/agencies/no-such-agency/",
        "/cx/life-experiences/no-such-experience/",
        "/cx/data/no-such-service.csv",
        "/cxdashboard/va/vha/",
        "/blogs/",
    ],
)
def test_a_made_up_address_is_the_404_page(client, path):
    response = client.get(path)
    if response.status_code == 301:  # only a case or slash fix, which then finds nothing
        assert response["Location"] == path.lower()
        response = client.get(response["Location"])
    assert response.status_code == 404, path
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/%2F/evil.example/",
        "/%2F%2Fevil.example/cx/",
        "/cx/dashboard//evil.example",
        "/CX/DASHBOARD/%2F%2Fevil.example/",
        "/cx/blog//evil.example/",
        "/blog/%2F%2Fevil.example",
        "/CAP/http://evil.example/",
        "/cx/projects//evil.example",
        "/\\evil.example/",
        "/CX//evil.example",
    ],
)
def test_a_redirect_never_points_off_site(client, path):
    response = client.get(path)
    assert response.status_code in (301, 404), path
    if response.status_code == 301:
        location = response["Location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location


def test_unpublished_content_gives_nothing_away(client):
    """A draft's old address answers as an unknown one does: the index, not the draft's page."""
    HighlightFactory(slug="zq-draft-post", status=Status.DRAFT)
    assert client.get("/blog/zq-draft-post/")["Location"] == "/news/"
    LegacyPathFactory(hisp=HispFactory(status=Status.DRAFT), path="/cx/dashboard/zq/draft/")
    assert client.get("/CX/DASHBOARD/ZQ/DRAFT/")["Location"] == "/cx/hisps/"
    assert client.get("/cx/dashboard/zq/draft/")["Location"] == "/cx/hisps/"


def test_a_moved_page_is_found_in_any_letter_case_in_one_hop(client):
    """The moved-address mechanism (ADR 18) keeps working, and comes first."""
    MovedPath.record("/cx/hisps/vha-old/", VHA)
    for path in ("/cx/hisps/vha-old/", "/CX/HISPS/VHA-OLD", "/cx/hisps/vha-old/results.csv"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert client.get(response["Location"]).status_code == 200, path


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 301, path
    return len(queries)


REDIRECTS = ["/CX/DASHBOARD/VA/VHA", "/blog/2023-q1-presidents-management-agenda-updates",
             "/cx/projects/no-such-project/", "/cx/data/va-vha.csv", "/CAP/cx/", "/CX/HISPS"]  # fmt: skip


def test_the_redirect_lookup_takes_a_fixed_number_of_queries(client):
    before = {path: _queries(client, path) for path in REDIRECTS}
    assert all(count <= 4 for count in before.values()), before
    for n in range(30):
        HighlightFactory(external_url=f"https://www.performance.gov/blog/post-{n}/")
        LegacyPathFactory(path=f"/cx/dashboard/many/{n}/")
        MovedPath.record(f"/cx/hisps/old-{n}/", VHA)
    assert {path: _queries(client, path) for path in REDIRECTS} == before


def test_the_new_pages_are_in_the_sitemap(client):
    body = client.get("/sitemap.xml").content.decode()
    for path in ("/cx/", "/cx/agencies/", "/cx/executive-order/"):
        assert f"<loc>http://testserver{path}</loc>" in body, path


def test_the_cx_landing_page_links_every_part_of_the_section(client):
    page = client.get("/cx/").content.decode()
    for href in ["/cx/hisps/", "/cx/agencies/", "/cx/life-experiences/", "/cx/data/", "/news/",
                 "/cx/resources/", "/cx/reporting/", "/cx/executive-order/", "/pma/cx/"]:  # fmt: skip
        assert f'href="{href}"' in page, href
    # The latest published quarter's statuses add up to the providers whose data is published.
    reporting = Hisp.objects.public().filter(active=True).count()
    assert (
        f"The reporting status of the {reporting} providers that report their data here, for FY23 Q1"
        in page
    )
    assert "In line: 23" in page and "No report: 2" in page
    # The 2021–2025 agenda has ended: the area was, not is, one of its priorities.
    assert "was priority area 2 of the Biden-Harris" in page


def test_the_landing_page_takes_a_fixed_number_of_queries(client, django_assert_num_queries):
    with django_assert_num_queries(5):
        assert client.get("/cx/").status_code == 200
    HispFactory.create_batch(10)
    with django_assert_num_queries(5):
        assert client.get("/cx/").status_code == 200


def test_the_agencies_index_says_what_it_counts(client, django_assert_num_queries):
    with django_assert_num_queries(3):
        page = client.get("/cx/agencies/").content.decode()
    va = Hisp.objects.public().filter(agency__slug="va")
    current, earlier = va.filter(active=True).count(), va.filter(active=False).count()
    assert (current, earlier) == (2, 2)
    assert (
        '<a class="usa-link" href="/cx/agencies/va/">U.S. Department of Veterans Affairs</a>'
        in page
    )
    # What the count counts, as the directory says it (not "currently designated": the data
    # ends in FY23 Q1, and OMB's later list is longer).
    assert (
        "28 providers that reported customer experience data, FY21 Q1 to FY23 Q1, and 25 entries"
        " of the 2020 list" in page
    )
    assert "currently designated" not in page.lower()
    assert "Reporting data" in page and "Earlier (2020 list)" in page
    HispFactory.create_batch(5)
    with django_assert_num_queries(3):
        assert client.get("/cx/agencies/").status_code == 200


def test_the_executive_order_page_links_the_federal_register(client):
    page = client.get("/cx/executive-order/").content.decode()
    assert (
        "Transforming Federal Customer Experience and Service Delivery to Rebuild Trust in Government"
        in page
    )
    assert '<time datetime="2021-12-13">December 13, 2021</time>' in page
    assert 'href="https://www.federalregister.gov/documents/2021/12/16/2021-27380/' in page
