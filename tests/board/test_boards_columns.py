"""Boards and columns: the default board of a new project, more boards, column management."""

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.models.board_model import Board, BoardColumn
from tests.board.conftest import Tracker
from tests.board.helpers import API, count_columns, ok, problem, read_board

DEFAULT = [
    ("Бэклог", "backlog"),
    ("К выполнению", "todo"),
    ("В работе", "in_progress"),
    ("На проверке", "review"),
    ("Готово", "done"),
]


async def _column_names(client: httpx.AsyncClient, headers: dict[str, str], board_id: int) -> list:
    columns = ok(await client.get(f"{API}/boards/{board_id}/columns", headers=headers))
    return [c["name"] for c in columns]


async def test_new_project_gets_a_default_board_with_five_ordered_columns(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    response = await client.post(
        f"{API}/teams/{tracker.team_a_id}/projects",
        json={"name": "Аналитика"},
        headers=tracker.h(tracker.mentor_a),
    )
    project = ok(response, 201)
    boards = ok(
        await client.get(
            f"{API}/projects/{project['id']}/boards", headers=tracker.h(tracker.intern_a)
        )
    )
    assert len(boards) == 1
    assert boards[0]["is_default"] is True
    assert boards[0]["name"] == "Основная доска"
    board = await read_board(client, tracker.h(tracker.intern_a), boards[0]["id"])
    assert [(c["name"], c["kind"]) for c in board["columns"]] == DEFAULT
    positions = [c["position"] for c in board["columns"]]
    assert positions == sorted(positions)
    assert len(set(positions)) == 5
    assert all(c["cards"] == [] and c["wip_limit"] is None for c in board["columns"])
    rows = await session.execute(select(Board).where(Board.project_id == project["id"]))
    assert len(rows.scalars().all()) == 1


async def test_mentor_creates_another_board_with_default_columns(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    board = ok(
        await client.post(
            f"{API}/projects/{tracker.project_a_id}/boards",
            json={"name": "Баги", "description": "Ошибки из продакшена"},
            headers=tracker.h(tracker.mentor_a),
        ),
        201,
    )
    assert board["is_default"] is False
    assert board["project_id"] == tracker.project_a_id
    full = await read_board(client, tracker.h(tracker.intern_a), board["id"])
    assert [(c["name"], c["kind"]) for c in full["columns"]] == DEFAULT
    listed = ok(
        await client.get(
            f"{API}/projects/{tracker.project_a_id}/boards", headers=tracker.h(tracker.intern_a)
        )
    )
    assert [b["id"] for b in listed] == [tracker.board_id, board["id"]]  # the default first


async def test_board_without_default_columns_is_empty(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    board = ok(
        await client.post(
            f"{API}/projects/{tracker.project_a_id}/boards",
            json={"name": "Пустая", "with_default_columns": False},
            headers=tracker.h(tracker.admin),
        ),
        201,
    )
    assert await count_columns(session, board["id"]) == 0


async def test_intern_cannot_create_a_board(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    response = await client.post(
        f"{API}/projects/{tracker.project_a_id}/boards",
        json={"name": "Моя доска"},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 403)
    rows = await session.execute(select(Board.id).where(Board.project_id == tracker.project_a_id))
    assert list(rows.scalars()) == [tracker.board_id]


async def test_column_created_with_wip_limit_and_kind_lands_after_the_given_column(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    column = ok(
        await client.post(
            f"{API}/boards/{tracker.board_id}/columns",
            json={
                "name": "Тестирование",
                "kind": "review",
                "wip_limit": 3,
                "after_column_id": tracker.columns["todo"],
            },
            headers=tracker.h(tracker.mentor_a),
        ),
        201,
    )
    assert column["kind"] == "review"
    assert column["wip_limit"] == 3
    assert await _column_names(client, tracker.h(tracker.intern_a), tracker.board_id) == [
        "Бэклог",
        "К выполнению",
        "Тестирование",
        "В работе",
        "На проверке",
        "Готово",
    ]
    row = await session.get(BoardColumn, column["id"], populate_existing=True)
    assert row is not None
    assert (row.board_id, row.kind, row.wip_limit) == (tracker.board_id, "review", 3)


async def test_column_without_position_goes_last(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    ok(
        await client.post(
            f"{API}/boards/{tracker.board_id}/columns",
            json={"name": "Релиз"},
            headers=tracker.h(tracker.admin),
        ),
        201,
    )
    names = await _column_names(client, tracker.h(tracker.intern_a), tracker.board_id)
    assert names[-1] == "Релиз"
    assert len(names) == 6


async def test_column_after_a_column_of_another_board_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/columns",
        json={"name": "Чужая", "after_column_id": tracker.columns_b["todo"]},
        headers=tracker.h(tracker.mentor_a),
    )
    problem(response, 422, "invalid_reference")
    assert await count_columns(session, tracker.board_id) == 5


async def test_zero_or_negative_wip_limit_is_refused_and_nothing_written(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.mentor_a)
    for limit in (0, -1, -100):
        response = await client.post(
            f"{API}/boards/{tracker.board_id}/columns",
            json={"name": "Ошибка", "wip_limit": limit},
            headers=headers,
        )
        problem(response, 422, "validation_error")
        response = await client.patch(
            f"{API}/columns/{tracker.columns['todo']}", json={"wip_limit": limit}, headers=headers
        )
        problem(response, 422, "validation_error")
    assert await count_columns(session, tracker.board_id) == 5
    row = await session.get(BoardColumn, tracker.columns["todo"], populate_existing=True)
    assert row is not None
    assert row.wip_limit is None


async def test_rename_and_set_then_remove_wip_limit(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    column_id = tracker.columns["in_progress"]
    headers = tracker.h(tracker.mentor_a)
    updated = ok(
        await client.patch(
            f"{API}/columns/{column_id}",
            json={"name": "Делаем", "wip_limit": 4},
            headers=headers,
        )
    )
    assert (updated["name"], updated["wip_limit"], updated["kind"]) == ("Делаем", 4, "in_progress")
    cleared = ok(
        await client.patch(f"{API}/columns/{column_id}", json={"wip_limit": None}, headers=headers)
    )
    assert cleared["wip_limit"] is None
    assert cleared["name"] == "Делаем"
    row = await session.get(BoardColumn, column_id, populate_existing=True)
    assert row is not None
    assert (row.name, row.wip_limit) == ("Делаем", None)


async def test_column_reorder_after_another_and_to_the_front(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.mentor_a)
    ok(
        await client.post(
            f"{API}/columns/{tracker.columns['done']}/move",
            json={"after_column_id": tracker.columns["backlog"]},
            headers=headers,
        )
    )
    assert await _column_names(client, headers, tracker.board_id) == [
        "Бэклог",
        "Готово",
        "К выполнению",
        "В работе",
        "На проверке",
    ]
    ok(
        await client.post(
            f"{API}/columns/{tracker.columns['review']}/move",
            json={"after_column_id": None},
            headers=headers,
        )
    )
    assert await _column_names(client, headers, tracker.board_id) == [
        "На проверке",
        "Бэклог",
        "Готово",
        "К выполнению",
        "В работе",
    ]
    ok(
        await client.post(
            f"{API}/columns/{tracker.columns['backlog']}/move",
            json={"after_column_id": tracker.columns["in_progress"]},
            headers=headers,
        )
    )
    assert await _column_names(client, headers, tracker.board_id) == [
        "На проверке",
        "Готово",
        "К выполнению",
        "В работе",
        "Бэклог",
    ]


async def test_column_cannot_be_placed_after_itself(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    before = await session.get(BoardColumn, tracker.columns["todo"], populate_existing=True)
    assert before is not None
    position = before.position
    response = await client.post(
        f"{API}/columns/{tracker.columns['todo']}/move",
        json={"after_column_id": tracker.columns["todo"]},
        headers=tracker.h(tracker.mentor_a),
    )
    problem(response, 422, "invalid_reference")
    after = await session.get(BoardColumn, tracker.columns["todo"], populate_existing=True)
    assert after is not None
    assert after.position == position


async def test_archived_column_is_listed_separately_and_absent_from_the_board(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.mentor_a)
    column_id = tracker.columns["review"]
    archived = ok(await client.post(f"{API}/columns/{column_id}/archive", headers=headers))
    assert archived["archived_at"] is not None
    board = await read_board(client, headers, tracker.board_id)
    assert column_id not in [c["id"] for c in board["columns"]]
    live = ok(await client.get(f"{API}/boards/{tracker.board_id}/columns", headers=headers))
    assert column_id not in [c["id"] for c in live]
    listed = ok(
        await client.get(
            f"{API}/boards/{tracker.board_id}/columns",
            params={"archived": "true"},
            headers=headers,
        )
    )
    assert [c["id"] for c in listed] == [column_id]

    restored = ok(await client.post(f"{API}/columns/{column_id}/restore", headers=headers))
    assert restored["archived_at"] is None
    board = await read_board(client, headers, tracker.board_id)
    assert [c["kind"] for c in board["columns"]] == [k for _, k in DEFAULT]
    row = await session.get(BoardColumn, column_id, populate_existing=True)
    assert row is not None
    assert row.archived_at is None


async def test_intern_and_observer_cannot_manage_columns(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    column_id = tracker.columns["todo"]
    for user in (tracker.intern_a, tracker.observer):
        headers = tracker.h(user)
        problem(
            await client.post(
                f"{API}/boards/{tracker.board_id}/columns", json={"name": "Моя"}, headers=headers
            ),
            403,
        )
        problem(
            await client.patch(
                f"{API}/columns/{column_id}", json={"name": "Переименовал"}, headers=headers
            ),
            403,
        )
        problem(await client.post(f"{API}/columns/{column_id}/move", json={}, headers=headers), 403)
        problem(await client.post(f"{API}/columns/{column_id}/archive", headers=headers), 403)
    assert await count_columns(session, tracker.board_id) == 5
    row = await session.get(BoardColumn, column_id, populate_existing=True)
    assert row is not None
    assert (row.name, row.archived_at) == ("К выполнению", None)


async def test_mentor_of_another_team_does_not_see_the_columns(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    problem(
        await client.patch(
            f"{API}/columns/{tracker.columns['todo']}",
            json={"name": "Чужое"},
            headers=tracker.h(tracker.mentor_b),
        ),
        404,
        "column_not_found",
    )
    problem(
        await client.get(f"{API}/boards/{tracker.board_id}", headers=tracker.h(tracker.mentor_b)),
        404,
        "board_not_found",
    )
