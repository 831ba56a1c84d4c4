"""/pma/<slug>/strategy/<n>/: statement, badge, "As of", goals, status updates, the milestone table
and its filters (htmx on the same URL, and plain links and forms without JavaScript)."""

import re

import pytest

from tests.priorities.conftest import words

pytestmark = pytest.mark.django_db

URL = "/pma/cx/strategy/2/"


def rows(body: str) -> list[str]:
    """The milestone titles in the table, in order."""
    return [
        words(title)
        for title in re.findall(r'<span class="milestone__title">(.*?)</span>', body, re.S)
    ]


def test_the_strategy_page_shows_statement_badge_stamp_goals_and_status(get_text):
    page = get_text(URL)
    assert "Strategy 2 CAP goal Design, build, and manage Government service delivery" in page
    assert "As of April 2024" in page
    assert "Goal 2.1 Establish an overarching management framework" in page
    assert "Goal 2.2 Deliver meaningful progress on co-designed solutions" in page
    # The strategy's own status updates, newest first.
    status = page[page.index("Status As of April 2024") :]
    assert status.index("As of April 2024") < status.index("As of November 2022")
    assert "Last updated" in page


def test_the_milestone_table_has_the_four_columns_of_performance_gov(client):
    body = client.get(URL).content.decode()
    headers = [words(h) for h in re.findall(r'<th scope="col">(.*?)</th>', body)]
    assert headers == ["Milestone", "Status", "Timing", "Owner"]
    assert len(rows(body)) == 5
    assert "5 milestones." in words(body)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=planned", ["Life Experience teams recommend improvements to address customer pain points"]),
        ("goal=2.1", ["Designated five Life Experiences to prioritize for Government-wide action",
                      "Publicly released Project Charters for all five Life Experiences",
                      "Launched Life Experiences Discovery Sprints, including first-person human-centered design research with members of the public"]),
        ("status=complete&goal=2.1", ["Designated five Life Experiences to prioritize for Government-wide action",
                                      "Publicly released Project Charters for all five Life Experiences",
                                      "Launched Life Experiences Discovery Sprints, including first-person human-centered design research with members of the public"]),
        ("status=planned&goal=2.1", []),
    ],
)  # fmt: skip
def test_filters_by_status_and_goal_work_as_plain_links(client, query, expected):
    body = client.get(f"{URL}?{query}").content.decode()
    assert rows(body) == expected
    if expected:
        assert f"{len(expected)} milestone" in words(body) and "the filters" in words(body)
    else:
        assert "No milestones match these filters. Show all milestones" in words(body)
    # The form shows the filter that is on.
    assert "selected>Planned</option>" in body or "status=planned" not in query


def test_goal_links_filter_the_table(client):
    body = client.get(URL).content.decode()
    link = re.search(r'href="([^"]*\?goal=2\.2)#milestones"', body).group(1)
    assert len(rows(client.get(link).content.decode())) == 0
    link = re.search(r'href="([^"]*\?goal=2\.1)#milestones"', body).group(1)
    assert len(rows(client.get(link).content.decode())) == 3


def test_the_filter_form_uses_htmx_on_the_same_url_and_works_without_it(client):
    body = client.get(URL).content.decode()
    form = re.search(r"<form[^>]*milestone-filter[^>]*>", body, re.S).group(0)
    assert 'method="get"' in form and f'action="{URL}"' in form
    assert f'hx-get="{URL}"' in form
    assert 'hx-target="#milestone-results"' in form and 'hx-push-url="true"' in form
    assert '<button class="usa-button" type="submit">Apply filters</button>' in body


def test_htmx_gets_only_the_results_and_the_count(client):
    response = client.get(URL + "?status=planned", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "<html" not in body and "<form" not in body
    assert rows(body) == [
        "Life Experience teams recommend improvements to address customer pain points"
    ]
    # The count's new text, out of band into the live region (the region itself stays).
    assert 'data-hx-swap-oob="innerHTML:#milestone-count"' in body
    assert "1 milestone matches the filters." in words(body)


def test_a_history_restore_gets_the_full_page(client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(URL + "?status=planned", headers=headers)
    body = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert body.startswith("<!doctype html>") and "<form" in body
    assert len(rows(body)) == 1
    assert body.count('id="milestone-count"') == 1


def test_the_full_page_also_varies_on_hx_request(client):
    assert "HX-Request" in client.get(URL)["Vary"]


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "goal=9.9",
        "status=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "goal=%27%20OR%201%3D1--",
        "status=%00",
        "goal=%E2%28%A1",
        "status=" + "x" * 5000,
        "status=complete&status=nonsense",
    ],
)
def test_nonsense_filter_values_give_a_clear_message_and_all_milestones(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Some filters were not understood, so they were left out" in words(body)
    assert "Select a valid choice" in body
    assert "<script>alert" not in body
    assert len(rows(body)) == 5


def test_a_valid_filter_still_applies_beside_a_nonsense_one(client):
    body = client.get(URL + "?status=planned&goal=nonsense").content.decode()
    assert "Goal: Select a valid choice" in words(body)
    assert len(rows(body)) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/pma/no-such-area/strategy/2/",
        "/pma/cx/strategy/99/",
        "/pma/cx/strategy/0/",
        "/pma/cx/strategy/99999999999999999999/",
        "/pma/cx-2018/strategy/4/",
        "/pma/cx/strategy/two/",
    ],
)
def test_unknown_strategies_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_a_strategy_of_another_area_is_found_under_its_own_area_only(get_text, client):
    assert "Improve digital services" in get_text("/pma/cx-2018/strategy/1/")
    assert "No milestones have been published for this strategy yet." in get_text(
        "/pma/cx-2018/strategy/1/"
    )
    assert client.get("/pma/workforce/strategy/1/").status_code == 404
