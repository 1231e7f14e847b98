"""Bad input and out-of-reach objects: problem details with the right status and code."""

import httpx
import pytest

from tests.analytics.conftest import API, World, ok, problem

BACKWARDS = {"date_from": "2026-03-10", "date_to": "2026-03-09"}
NOWHERE = 999_999_999


def _paths(world: World) -> dict[str, str]:
    internship = f"{API}/internships/{world.internship_id}/analytics"
    intern = f"{internship}/interns/{world.uid('intern_a')}"
    team = f"{API}/teams/{world.team_ids['a']}/analytics"
    board = f"{API}/boards/{world.board_ids['a']}/analytics"
    return {
        "internship": internship,
        "export": f"{internship}/export",
        "grades.svg": f"{internship}/charts/grades.svg",
        "intern": intern,
        "intern.svg": f"{intern}/charts/throughput.svg",
        "team": team,
        "team.svg": f"{team}/charts/throughput.svg",
        "flow": f"{board}/flow",
        "burndown": f"{board}/burndown",
        "flow.svg": f"{board}/charts/flow.svg",
        "burndown.svg": f"{board}/charts/burndown.svg",
    }


ENDPOINTS = [
    "internship",
    "export",
    "grades.svg",
    "intern",
    "intern.svg",
    "team",
    "team.svg",
    "flow",
    "burndown",
    "flow.svg",
    "burndown.svg",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_period_ending_before_it_starts_is_invalid_period(
    client: httpx.AsyncClient, world: World, endpoint: str
) -> None:
    response = await client.get(_paths(world)[endpoint], params=BACKWARDS, headers=world.h("admin"))
    body = problem(response, 422, "invalid_period")
    assert body["errors"][0]["loc"][-1] == "date_to"


async def test_my_dashboard_with_a_backwards_period_is_invalid_period(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{API}/internships/{world.internship_id}/analytics/me",
        params=BACKWARDS,
        headers=world.h("intern_a"),
    )
    problem(response, 422, "invalid_period")


async def test_one_day_period_is_fine(client: httpx.AsyncClient, world: World) -> None:
    body = ok(
        await client.get(
            _paths(world)["internship"],
            params={"date_from": "2026-03-10", "date_to": "2026-03-10"},
            headers=world.h("admin"),
        )
    )
    assert body["period"]["date_from"] == body["period"]["date_to"] == "2026-03-10"


async def test_period_longer_than_ten_years_is_invalid_period(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        _paths(world)["internship"],
        params={"date_from": "2010-01-01", "date_to": "2026-03-10"},
        headers=world.h("admin"),
    )
    problem(response, 422, "invalid_period")


@pytest.mark.parametrize("endpoint", ["flow", "burndown", "flow.svg", "burndown.svg"])
async def test_daily_charts_longer_than_400_days_are_invalid_period(
    client: httpx.AsyncClient, world: World, endpoint: str
) -> None:
    response = await client.get(
        _paths(world)[endpoint],
        params={"date_from": "2025-01-01", "date_to": "2026-03-10"},
        headers=world.h("admin"),
    )
    problem(response, 422, "invalid_period")


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        ("internship", {"sort": "password"}),
        ("internship", {"sort": "flags"}),
        ("internship", {"order": "sideways"}),
        ("internship", {"date_from": "2026-02-30"}),
        ("internship", {"date_to": "вчера"}),
        ("export", {"format": "pdf"}),
        ("export", {"table": "mentors"}),
        ("burndown", {"unit": "hours"}),
    ],
)
async def test_unknown_query_values_are_validation_errors(
    client: httpx.AsyncClient, world: World, endpoint: str, params: dict[str, str]
) -> None:
    response = await client.get(_paths(world)[endpoint], params=params, headers=world.h("admin"))
    problem(response, 422, "validation_error")


@pytest.mark.parametrize("who", ["mentor_a", "observer", "intern_a"])
async def test_team_of_another_internship_is_not_found(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    team = world.team_ids["other"]
    for path in (
        f"{API}/teams/{team}/analytics",
        f"{API}/teams/{team}/analytics/charts/throughput.svg",
    ):
        problem(await client.get(path, headers=world.h(who)), 404)


async def test_organiser_reaches_a_team_of_any_internship(
    client: httpx.AsyncClient, world: World
) -> None:
    body = ok(
        await client.get(
            f"{API}/teams/{world.team_ids['other']}/analytics", headers=world.h("admin")
        )
    )
    assert body["metrics"]["name"] == "Команда Гамма"


async def test_mentor_of_another_team_is_refused_the_team_view(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{API}/teams/{world.team_ids['b']}/analytics", headers=world.h("mentor_a")
    )
    problem(response, 403, "analytics_permission_denied")


@pytest.mark.parametrize(
    ("who", "board"),
    [
        ("mentor_a", "b"),
        ("intern_a", "b"),
        ("mentor_b", "a"),
        ("observer", "other"),
        ("outsider", "a"),
    ],
)
@pytest.mark.parametrize("tail", ["flow", "burndown", "charts/flow.svg", "charts/burndown.svg"])
async def test_board_the_caller_cannot_see_is_not_found(
    client: httpx.AsyncClient, world: World, who: str, board: str, tail: str
) -> None:
    response = await client.get(
        f"{API}/boards/{world.board_ids[board]}/analytics/{tail}", headers=world.h(who)
    )
    problem(response, 404)


@pytest.mark.parametrize("tail", ["", "/charts/throughput.svg"])
async def test_intern_of_another_team_is_not_found_for_a_mentor(
    client: httpx.AsyncClient, world: World, tail: str
) -> None:
    path = f"{API}/internships/{world.internship_id}/analytics/interns"
    response = await client.get(
        f"{path}/{world.uid('intern_b')}{tail}", headers=world.h("mentor_a")
    )
    body = problem(response, 404)
    assert "Орлов" not in str(body)
    # Their own team's intern is fine.
    own = await client.get(f"{path}/{world.uid('intern_a')}{tail}", headers=world.h("mentor_a"))
    assert own.status_code == 200, own.text


@pytest.mark.parametrize("who", ["admin", "observer"])
@pytest.mark.parametrize("target", ["outsider", "mentor_a", "observer"])
async def test_someone_who_is_not_an_intern_here_is_not_found(
    client: httpx.AsyncClient, world: World, who: str, target: str
) -> None:
    response = await client.get(
        f"{API}/internships/{world.internship_id}/analytics/interns/{world.uid(target)}",
        headers=world.h(who),
    )
    problem(response, 404)


@pytest.mark.parametrize(
    "path",
    [
        f"{API}/internships/{NOWHERE}/analytics",
        f"{API}/internships/{NOWHERE}/analytics/me",
        f"{API}/teams/{NOWHERE}/analytics",
        f"{API}/boards/{NOWHERE}/analytics/flow",
        f"{API}/boards/{NOWHERE}/analytics/burndown",
    ],
)
async def test_unknown_ids_are_not_found(
    client: httpx.AsyncClient, world: World, path: str
) -> None:
    problem(await client.get(path, headers=world.h("admin")), 404)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
async def test_anonymous_callers_are_unauthorised(
    client: httpx.AsyncClient, world: World, endpoint: str
) -> None:
    problem(await client.get(_paths(world)[endpoint]), 401)
