"""Helpers of the tracker tests: problem assertions, API shortcuts, fresh database reads."""

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.models.activity_model import ActivityEvent
from src.board.models.board_model import BoardColumn
from src.board.models.card_model import Card

PROBLEM = "application/problem+json"
API = "/api/v1"


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert an RFC 9457 error with `status` (and `code`); return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM, response.headers["content-type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def create_card(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    board_id: int,
    title: str,
    **fields: Any,
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/boards/{board_id}/cards", json={"title": title, **fields}, headers=headers
    )
    return ok(response, 201)  # type: ignore[no-any-return]


async def move_card(
    client: httpx.AsyncClient, headers: dict[str, str], card_id: int, **body: Any
) -> httpx.Response:
    return await client.post(f"{API}/cards/{card_id}/move", json=body, headers=headers)


async def read_board(
    client: httpx.AsyncClient, headers: dict[str, str], board_id: int, **params: Any
) -> dict[str, Any]:
    return ok(await client.get(f"{API}/boards/{board_id}", headers=headers, params=params))  # type: ignore[no-any-return]


async def column_order(
    client: httpx.AsyncClient, headers: dict[str, str], board_id: int, column_id: int
) -> list[int]:
    """Card ids of a column as GET /boards/{id} lists them."""
    board = await read_board(client, headers, board_id)
    column = next(c for c in board["columns"] if c["id"] == column_id)
    return [card["id"] for card in column["cards"]]


async def live_positions(session: AsyncSession, column_id: int) -> list[tuple[int, str]]:
    """(id, position) of the live cards of a column, read from the table, in order."""
    rows = await session.execute(
        select(Card.id, Card.position)
        .where(Card.column_id == column_id, Card.archived_at.is_(None))
        .order_by(Card.position, Card.id)
    )
    return [(row[0], row[1]) for row in rows]


async def card_row(session: AsyncSession, card_id: int) -> Card | None:
    rows = await session.execute(
        select(Card).where(Card.id == card_id).execution_options(populate_existing=True)
    )
    return rows.scalar_one_or_none()


async def count_cards(session: AsyncSession, board_id: int) -> int:
    stmt = select(func.count()).select_from(Card).where(Card.board_id == board_id)
    return (await session.execute(stmt)).scalar_one()


async def count_columns(session: AsyncSession, board_id: int) -> int:
    stmt = select(func.count()).select_from(BoardColumn).where(BoardColumn.board_id == board_id)
    return (await session.execute(stmt)).scalar_one()


async def events_of(session: AsyncSession, card_id: int, kind: str) -> list[ActivityEvent]:
    rows = await session.execute(
        select(ActivityEvent)
        .where(ActivityEvent.card_id == card_id, ActivityEvent.kind == kind)
        .order_by(ActivityEvent.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())
