"""Races on the review workflow, on real commits: concurrent requests must end in a clean
answer (a 2xx or a 409 with the workflow's code), never a 500, and leave at most one
pending request per card.

The asserts sit inside the loops, so a test that catches the race stops at the first
occurrence (a PostgreSQL deadlock costs `deadlock_timeout`, 1 s by default)."""

import asyncio

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from tests.review.conftest import API, World, new_card, requests_of

ATTEMPTS = 6


async def _card(engine: AsyncEngine, world: World) -> int:
    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as session:
        return await new_card(session, world)


async def _statuses(engine: AsyncEngine, card_id: int) -> list[str]:
    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as session:
        return [r.status for r in await requests_of(session, card_id)]


async def test_concurrent_reviews_of_one_request_accept_exactly_once(
    committing_client: httpx.AsyncClient, committed_world: World, engine: AsyncEngine
) -> None:
    world = committed_world
    for _ in range(3):
        card_id = await _card(engine, world)
        ok = await committing_client.post(
            f"{API}/cards/{card_id}/submit", headers=world.h("intern_a")
        )
        assert ok.status_code == 201, ok.text

        accepted, returned = await asyncio.gather(
            committing_client.post(
                f"{API}/cards/{card_id}/review",
                json={"decision": "accept", "grade": "5", "feedback": "Отлично"},
                headers=world.h("mentor_a"),
            ),
            committing_client.post(
                f"{API}/cards/{card_id}/review",
                json={"decision": "return", "feedback": "Доработать"},
                headers=world.h("admin"),
            ),
        )

        answers = sorted([accepted.status_code, returned.status_code])
        assert answers == [201, 409], (accepted.text, returned.text)
        loser = accepted if accepted.status_code == 409 else returned
        assert loser.json()["code"] == "not_submitted"
        assert await _statuses(engine, card_id) in (["accepted"], ["returned"])


async def test_concurrent_submits_answer_already_submitted(
    committing_client: httpx.AsyncClient, committed_world: World, engine: AsyncEngine
) -> None:
    world = committed_world
    for _ in range(ATTEMPTS):
        card_id = await _card(engine, world)

        first, second = await asyncio.gather(
            committing_client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a")),
            committing_client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a2")),
        )

        assert sorted([first.status_code, second.status_code]) == [201, 409]
        loser = first if first.status_code == 409 else second
        assert loser.json()["code"] == "already_submitted", loser.text
        assert await _statuses(engine, card_id) == ["pending"]


async def test_submit_racing_a_drag_into_review_does_not_fail(
    committing_client: httpx.AsyncClient, committed_world: World, engine: AsyncEngine
) -> None:
    world = committed_world
    for _ in range(ATTEMPTS):
        card_id = await _card(engine, world)

        submitted, dragged = await asyncio.gather(
            committing_client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a")),
            committing_client.post(
                f"{API}/cards/{card_id}/move",
                json={"column_id": world.columns_a["review"]},
                headers=world.h("intern_a2"),
            ),
        )

        assert submitted.status_code in (201, 409), submitted.text
        assert dragged.status_code == 200, dragged.text
        assert await _statuses(engine, card_id) == ["pending"]


async def test_review_racing_a_drag_out_of_review_does_not_fail(
    committing_client: httpx.AsyncClient, committed_world: World, engine: AsyncEngine
) -> None:
    world = committed_world
    for _ in range(ATTEMPTS):
        card_id = await _card(engine, world)
        ok = await committing_client.post(
            f"{API}/cards/{card_id}/submit", headers=world.h("intern_a")
        )
        assert ok.status_code == 201, ok.text

        reviewed, dragged = await asyncio.gather(
            committing_client.post(
                f"{API}/cards/{card_id}/review",
                json={"decision": "accept", "grade": "5", "feedback": "Отлично"},
                headers=world.h("mentor_a"),
            ),
            committing_client.post(
                f"{API}/cards/{card_id}/move",
                json={"column_id": world.columns_a["in_progress"]},
                headers=world.h("intern_a"),
            ),
        )

        assert reviewed.status_code in (201, 409), reviewed.text
        assert dragged.status_code in (200, 409), dragged.text
        assert (await _statuses(engine, card_id))[-1] in ("accepted", "withdrawn")
