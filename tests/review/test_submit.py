"""Submitting a card for review: by the team, once, into the board's review column; a drag
into the review column submits too, and a drag out of it withdraws."""

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.schemas.board_schema import BoardCreate, ColumnCreate
from src.board.services.board_service import board_service
from src.board.services.card_service import card_service
from src.lib.security.actor import Actor
from tests.review.conftest import (
    API,
    World,
    card_row,
    new_card,
    ok,
    problem,
    requests_of,
    submit,
)


async def test_intern_of_the_team_submits_card_into_review_column(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)

    body = await submit(client, world, card_id)

    assert body["card_id"] == card_id
    assert body["status"] == "pending"
    assert body["internship_id"] == world.internship_id
    assert body["team_id"] == world.team_a_id
    assert body["submitted_by_id"] == world.uid("intern_a")
    assert body["closed_at"] is None
    card = await card_row(session, card_id)
    assert card.column_id == world.columns_a["review"]
    [request] = await requests_of(session, card_id)
    assert request.id == body["id"]
    assert request.status == "pending"
    assert request.submitted_by_id == world.uid("intern_a")
    assert request.team_id == world.team_a_id
    assert request.closed_at is None


async def test_submitting_twice_is_a_conflict_and_keeps_one_pending_request(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)

    response = await client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a2"))

    problem(response, 409, "already_submitted")
    assert [r.status for r in await requests_of(session, card_id)] == ["pending"]


async def test_observer_may_not_submit(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)

    response = await client.post(f"{API}/cards/{card_id}/submit", headers=world.h("observer"))

    problem(response, 403)
    assert await requests_of(session, card_id) == []
    assert (await card_row(session, card_id)).column_id == world.columns_a["in_progress"]


async def test_intern_of_another_team_does_not_see_the_card_to_submit(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)

    for who in ("intern_b", "outsider"):
        response = await client.post(f"{API}/cards/{card_id}/submit", headers=world.h(who))
        problem(response, 404)
    assert await requests_of(session, card_id) == []


async def test_submitting_without_a_live_review_column_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    await board_service.set_column_archived(
        session, Actor.system(), world.columns_a["review"], archived=True
    )
    await session.commit()

    response = await client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a"))

    body = problem(response, 409, "missing_column")
    assert body["kind"] == "review"
    assert await requests_of(session, card_id) == []
    assert (await card_row(session, card_id)).column_id == world.columns_a["in_progress"]


async def test_submitting_on_a_board_built_without_a_review_column_is_a_conflict(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    system = Actor.system()
    board = await board_service.create_board(
        session,
        system,
        world.project_a_id,
        BoardCreate(name="Без проверки", with_default_columns=False),
    )
    todo = await board_service.create_column(
        session, system, board.id, ColumnCreate(name="Сделать", kind="todo")
    )
    await board_service.create_column(
        session, system, board.id, ColumnCreate(name="Готово", kind="done")
    )
    await session.commit()
    card = ok(
        await client.post(
            f"{API}/boards/{board.id}/cards",
            json={"title": "Задача без проверки", "column_id": todo.id},
            headers=world.h("intern_a"),
        ),
        201,
    )

    response = await client.post(f"{API}/cards/{card['id']}/submit", headers=world.h("intern_a"))

    problem(response, 409, "missing_column")
    assert await requests_of(session, card["id"]) == []
    assert (await card_row(session, card["id"])).column_id == todo.id


async def test_dragging_a_card_into_the_review_column_submits_it(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)

    ok(
        await client.post(
            f"{API}/cards/{card_id}/move",
            json={"column_id": world.columns_a["review"]},
            headers=world.h("intern_a"),
        )
    )

    [request] = await requests_of(session, card_id)
    assert request.status == "pending"
    assert request.submitted_by_id == world.uid("intern_a")
    assert request.team_id == world.team_a_id
    assert request.internship_id == world.internship_id
    # Already pending: an explicit submit now is a conflict.
    response = await client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a"))
    problem(response, 409, "already_submitted")


async def test_dragging_a_card_out_of_the_review_column_withdraws_the_request(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)

    ok(
        await client.post(
            f"{API}/cards/{card_id}/move",
            json={"column_id": world.columns_a["in_progress"]},
            headers=world.h("intern_a"),
        )
    )

    [request] = await requests_of(session, card_id)
    assert request.status == "withdrawn"
    assert request.closed_at is not None
    queue = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/reviews/pending", headers=world.h("mentor_a")
        )
    )
    assert card_id not in [item["card_id"] for item in queue["items"]]
    # Withdrawn, the card may be submitted again.
    await submit(client, world, card_id)
    assert [r.status for r in await requests_of(session, card_id)] == ["withdrawn", "pending"]


async def test_reordering_within_the_review_column_keeps_the_request_pending(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    await submit(client, world, card_id)

    ok(
        await client.post(
            f"{API}/cards/{card_id}/move",
            json={"column_id": world.columns_a["review"], "to": "top"},
            headers=world.h("intern_a"),
        )
    )

    assert [r.status for r in await requests_of(session, card_id)] == ["pending"]


async def test_card_already_in_the_review_column_is_submitted_where_it_stands(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    # Created straight into the review column: no move, so no request yet.
    card_id = await new_card(session, world, column="review")
    assert await requests_of(session, card_id) == []
    version = (await card_row(session, card_id)).version

    await submit(client, world, card_id)

    card = await card_row(session, card_id)
    assert card.column_id == world.columns_a["review"]
    assert card.version == version
    assert [r.status for r in await requests_of(session, card_id)] == ["pending"]


async def test_archived_card_cannot_be_submitted(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world)
    await card_service.set_archived(session, Actor.system(), card_id, archived=True)
    await session.commit()

    response = await client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a"))

    problem(response, 409, "archived")
    assert await requests_of(session, card_id) == []
    assert (await card_row(session, card_id)).column_id == world.columns_a["in_progress"]


async def test_archived_card_in_the_review_column_cannot_be_submitted(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card_id = await new_card(session, world, column="review")
    await card_service.set_archived(session, Actor.system(), card_id, archived=True)
    await session.commit()

    response = await client.post(f"{API}/cards/{card_id}/submit", headers=world.h("intern_a"))

    problem(response, 409, "archived")
    assert await requests_of(session, card_id) == []


async def test_a_request_loaded_in_the_session_sees_its_withdrawal(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    """A use case that loaded the pending request before the card leaves the review
    column reads it withdrawn: the UPDATE refreshes the session's copy."""
    from src.board.schemas.card_schema import CardMove

    card_id = await new_card(session, world)
    await submit(client, world, card_id)
    [loaded] = await requests_of(session, card_id)
    assert loaded.status == "pending"

    await card_service.move(
        session,
        Actor(user_id=world.uid("intern_a")),
        card_id,
        CardMove(column_id=world.columns_a["in_progress"]),
        if_match=None,
    )

    assert loaded.status == "withdrawn"
    assert loaded.closed_at is not None
