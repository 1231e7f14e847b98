"""The review queue: pending requests of an internship, oldest first; a mentor sees their
teams' requests, observers and organisers see all, interns see none."""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.lib.clock import utcnow
from tests.review.conftest import (
    API,
    World,
    accept,
    backdate_request,
    new_card,
    ok,
    problem,
    submit,
)


def _queue_url(world: World) -> str:
    return f"{API}/internships/{world.internship_id}/reviews/pending"


async def _queue(
    client: httpx.AsyncClient, world: World, who: str, **params: int
) -> dict[str, Any]:
    page: dict[str, Any] = ok(
        await client.get(_queue_url(world), params=params, headers=world.h(who))
    )
    return page


async def _submitted(
    client: httpx.AsyncClient,
    session: AsyncSession,
    world: World,
    *,
    team: str,
    hours_ago: int,
    title: str,
) -> tuple[int, int]:
    """(card id, request id) of a card submitted `hours_ago` hours ago."""
    card_id = await new_card(session, world, team=team, title=title)
    request = await submit(client, world, card_id, "intern_a" if team == "a" else "intern_b")
    await backdate_request(session, request["id"], utcnow() - dt.timedelta(hours=hours_ago))
    return card_id, request["id"]


async def _queued_world(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> dict[str, int]:
    """Submitted in an order unlike their age: A-newest, B-oldest, A-oldest, A-middle;
    plus an accepted card and a withdrawn one, which are not in the queue."""
    ids = {}
    for name, team, hours in [
        ("a_newest", "a", 1),
        ("b_oldest", "b", 30),
        ("a_oldest", "a", 48),
        ("a_middle", "a", 5),
    ]:
        _, ids[name] = await _submitted(
            client, session, world, team=team, hours_ago=hours, title=name
        )
    done = await new_card(session, world, title="Принята")
    await submit(client, world, done)
    await accept(client, world, done)
    withdrawn = await new_card(session, world, title="Отозвана")
    await submit(client, world, withdrawn)
    ok(
        await client.post(
            f"{API}/cards/{withdrawn}/move",
            json={"column_id": world.columns_a["todo"]},
            headers=world.h("intern_a"),
        )
    )
    return ids


@pytest.mark.parametrize("who", ["observer", "admin"])
async def test_observer_and_organiser_see_all_pending_requests_oldest_first(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    ids = await _queued_world(client, session, world)

    page = await _queue(client, world, who)

    assert [item["id"] for item in page["items"]] == [
        ids["a_oldest"],
        ids["b_oldest"],
        ids["a_middle"],
        ids["a_newest"],
    ]
    assert page["total"] == 4
    assert all(item["status"] == "pending" for item in page["items"])
    submitted = [item["submitted_at"] for item in page["items"]]
    assert submitted == sorted(submitted)


async def test_mentor_sees_only_the_requests_of_their_teams(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    ids = await _queued_world(client, session, world)

    mine = await _queue(client, world, "mentor_a")
    theirs = await _queue(client, world, "mentor_b")

    assert [item["id"] for item in mine["items"]] == [
        ids["a_oldest"],
        ids["a_middle"],
        ids["a_newest"],
    ]
    assert mine["total"] == 3
    assert {item["team_id"] for item in mine["items"]} == {world.team_a_id}
    assert [item["id"] for item in theirs["items"]] == [ids["b_oldest"]]
    assert theirs["total"] == 1


@pytest.mark.parametrize("who", ["intern_a", "intern_b"])
async def test_interns_have_no_review_queue(
    client: httpx.AsyncClient, session: AsyncSession, world: World, who: str
) -> None:
    await _queued_world(client, session, world)

    problem(await client.get(_queue_url(world), headers=world.h(who)), 403)


async def test_queue_of_an_internship_one_is_not_part_of_does_not_exist(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _queued_world(client, session, world)

    problem(await client.get(_queue_url(world), headers=world.h("outsider")), 404)


async def test_queue_is_paginated(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    ids = await _queued_world(client, session, world)
    ordered = [ids["a_oldest"], ids["b_oldest"], ids["a_middle"], ids["a_newest"]]

    first = await _queue(client, world, "admin", limit=3, offset=0)
    second = await _queue(client, world, "admin", limit=3, offset=3)
    beyond = await _queue(client, world, "admin", limit=3, offset=4)
    mentor_page = await _queue(client, world, "mentor_a", limit=2, offset=1)

    assert [item["id"] for item in first["items"]] == ordered[:3]
    assert [item["id"] for item in second["items"]] == ordered[3:]
    assert beyond["items"] == []
    assert (first["total"], second["total"], beyond["total"]) == (4, 4, 4)
    assert (first["limit"], first["offset"], second["offset"]) == (3, 0, 3)
    assert [item["id"] for item in mentor_page["items"]] == [ids["a_middle"], ids["a_newest"]]
    assert mentor_page["total"] == 3


async def test_reviewed_requests_leave_the_queue(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id, request_id = await _submitted(
        client, session, world, team="a", hours_ago=2, title="Отчёт"
    )
    assert [item["id"] for item in (await _queue(client, world, "mentor_a"))["items"]] == [
        request_id
    ]

    await accept(client, world, card_id)

    page = await _queue(client, world, "mentor_a")
    assert (page["items"], page["total"]) == ([], 0)


async def test_queue_has_only_its_own_internships_requests(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _queued_world(client, session, world)

    page = ok(
        await client.get(
            f"{API}/internships/{world.other_internship_id}/reviews/pending",
            headers=world.h("admin"),
        )
    )

    assert (page["items"], page["total"]) == ([], 0)
