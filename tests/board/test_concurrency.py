"""Races on real commits: many clients moving, creating and editing cards at once.

These tests use `committing_client` (each request commits for real); the tables are
emptied when each test ends.
"""

import asyncio
import random
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from src.board.constants import MAX_POSITION_LENGTH
from src.board.models.board_model import BoardColumn
from src.board.models.card_model import Card
from src.lib.ordering import key_between, keys_between
from tests.board.conftest import Tracker
from tests.board.helpers import API, column_order, live_positions, ok, problem


async def _insert_cards(
    engine: AsyncEngine, tracker: Tracker, column: str, count: int, prefix: str
) -> list[int]:
    """`count` committed cards at the bottom of a column of board A, in order."""
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        column_id = tracker.columns[column]
        last = (
            await session.execute(
                select(func.max(Card.position)).where(Card.column_id == column_id)
            )
        ).scalar_one_or_none()
        cards = [
            Card(
                board_id=tracker.board_id,
                column_id=column_id,
                position=key,
                title=f"{prefix} {n}",
                created_by_id=tracker.intern_a.id,
                version=1,
            )
            for n, key in enumerate(keys_between(last, None, count), start=1)
        ]
        session.add_all(cards)
        await session.commit()
        return [card.id for card in cards]


async def _positions(engine: AsyncEngine, column_id: int) -> list[tuple[int, str]]:
    async with async_sessionmaker(bind=engine)() as session:
        return await live_positions(session, column_id)


async def _all_live_cards(engine: AsyncEngine, board_id: int) -> list[tuple[int, int, str]]:
    async with async_sessionmaker(bind=engine)() as session:
        rows = await session.execute(
            select(Card.id, Card.column_id, Card.position).where(
                Card.board_id == board_id, Card.archived_at.is_(None)
            )
        )
        return [(row[0], row[1], row[2]) for row in rows]


def _assert_total_order(rows: list[tuple[int, int, str]]) -> None:
    """Every card once; within each column, positions unique (a strict total order)."""
    ids = Counter(card_id for card_id, _, _ in rows)
    assert all(n == 1 for n in ids.values()), ids
    by_column: dict[int, list[str]] = {}
    for _, column_id, position in rows:
        by_column.setdefault(column_id, []).append(position)
    for column_id, positions in by_column.items():
        duplicates = [p for p, n in Counter(positions).items() if n > 1]
        assert duplicates == [], f"column {column_id}: duplicate positions {duplicates}"


async def test_twenty_concurrent_moves_keep_one_total_order_per_column(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    tracker = committed_tracker
    todo, target = tracker.columns["todo"], tracker.columns["in_progress"]
    todo_cards = await _insert_cards(engine, tracker, "todo", 30, "Задача")
    target_cards = await _insert_cards(engine, tracker, "in_progress", 5, "В работе")
    rng = random.Random(20260402)
    movers = rng.sample(todo_cards, 20)
    leaving = set(movers[:6])  # these go to «В работе», the rest stay in «К выполнению»
    staying = [c for c in todo_cards if c not in leaving]
    requests: list[tuple[int, dict[str, Any]]] = []
    for card_id in movers:
        if card_id in leaving:
            body: dict[str, Any] = {"column_id": target}
            anchors = target_cards
        else:
            body = {"column_id": todo}
            anchors = [c for c in staying if c != card_id]
        how = rng.choice(["after", "before", "top", "bottom"])
        if how == "after":
            body["after_card_id"] = rng.choice(anchors)
        elif how == "before":
            body["before_card_id"] = rng.choice(anchors)
        elif how == "top":
            body["to"] = "top"
        requests.append((card_id, body))
    headers = tracker.h(tracker.intern_a)
    # Each coroutine is its own client of the app: 20 requests in flight together.
    responses = await asyncio.gather(
        *(
            committing_client.post(f"{API}/cards/{card_id}/move", json=body, headers=headers)
            for card_id, body in requests
        )
    )
    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses]
    for (card_id, body), response in zip(requests, responses, strict=True):
        assert response.json()["id"] == card_id
        assert response.json()["column_id"] == body["column_id"]

    rows = await _all_live_cards(engine, tracker.board_id)
    assert sorted(card_id for card_id, _, _ in rows) == sorted(todo_cards + target_cards)
    _assert_total_order(rows)
    in_target = {card_id for card_id, column_id, _ in rows if column_id == target}
    assert in_target == set(target_cards) | leaving
    for column_id, expected in ((todo, 24), (target, 11)):
        positions = await _positions(engine, column_id)
        assert len(positions) == expected
        listed = await column_order(committing_client, headers, tracker.board_id, column_id)
        assert listed == [card_id for card_id, _ in positions]


async def test_concurrent_moves_right_after_the_same_anchor_get_distinct_places(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    tracker = committed_tracker
    todo = tracker.columns["todo"]
    anchor, following, *rest = await _insert_cards(engine, tracker, "todo", 12, "Задача")
    from_backlog = await _insert_cards(engine, tracker, "backlog", 10, "Из бэклога")
    within = rest[-10:]  # the last ten of the column jump up right after the anchor
    movers = from_backlog + within
    headers = tracker.h(tracker.intern_a2)
    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"{API}/cards/{card_id}/move",
                json={"column_id": todo, "after_card_id": anchor},
                headers=headers,
            )
            for card_id in movers
        )
    )
    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses]
    rows = await _all_live_cards(engine, tracker.board_id)
    _assert_total_order(rows)
    order = [card_id for card_id, _ in await _positions(engine, todo)]
    assert len(order) == 22
    assert order[0] == anchor
    assert set(order[1:21]) == set(movers)  # all landed right after the anchor …
    assert order[21] == following  # … and before the card that followed it
    assert order == await column_order(committing_client, headers, tracker.board_id, todo)


async def test_concurrent_creations_in_one_column_get_distinct_positions(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    tracker = committed_tracker
    todo = tracker.columns["todo"]
    users = [tracker.intern_a, tracker.intern_a2, tracker.mentor_a]
    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"{API}/boards/{tracker.board_id}/cards",
                json={"title": f"Параллельная {n}", "column_id": todo, "position": place},
                headers=tracker.h(users[n % 3]),
            )
            for n in range(20)
            for place in [("top", "bottom")[n % 2]]
        )
    )
    assert [r.status_code for r in responses] == [201] * 20, [r.text for r in responses]
    rows = await _all_live_cards(engine, tracker.board_id)
    assert len(rows) == 20
    _assert_total_order(rows)


async def test_concurrent_moves_into_a_limited_column_never_exceed_the_limit(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    tracker = committed_tracker
    target = tracker.columns["review"]
    await _insert_cards(engine, tracker, "review", 2, "На проверке")
    ok(
        await committing_client.patch(
            f"{API}/columns/{target}", json={"wip_limit": 3}, headers=tracker.h(tracker.mentor_a)
        )
    )
    movers = await _insert_cards(engine, tracker, "in_progress", 6, "Готово к проверке")
    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"{API}/cards/{card_id}/move",
                json={"column_id": target},
                headers=tracker.h(tracker.intern_a),
            )
            for card_id in movers
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 5, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            problem(response, 409, "wip_limit_reached")
    assert len(await _positions(engine, target)) == 3


async def test_concurrent_restores_and_moves_into_a_limited_column_never_exceed_it(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    """A restore arrives in its column as a move does: both count under its lock."""
    tracker = committed_tracker
    target = tracker.columns["in_progress"]
    archived = await _insert_cards(engine, tracker, "in_progress", 4, "В архиве")
    async with engine.begin() as conn:
        await conn.execute(
            update(Card).where(Card.id.in_(archived)).values(archived_at=func.now(), version=2)
        )
    await _insert_cards(engine, tracker, "in_progress", 1, "В работе")
    ok(
        await committing_client.patch(
            f"{API}/columns/{target}", json={"wip_limit": 3}, headers=tracker.h(tracker.mentor_a)
        )
    )
    movers = await _insert_cards(engine, tracker, "todo", 2, "Следующая")
    headers = tracker.h(tracker.intern_a)
    responses = await asyncio.gather(
        *(committing_client.post(f"{API}/cards/{c}/restore", headers=headers) for c in archived),
        *(
            committing_client.post(
                f"{API}/cards/{c}/move", json={"column_id": target}, headers=headers
            )
            for c in movers
        ),
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 2 + [409] * 4, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            problem(response, 409, "wip_limit_reached")
    assert len(await _positions(engine, target)) == 3


async def test_two_concurrent_patches_with_the_same_version_one_wins(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    tracker = committed_tracker
    (card_id,) = await _insert_cards(engine, tracker, "todo", 1, "Черновик")
    first, second = await asyncio.gather(
        committing_client.patch(
            f"{API}/cards/{card_id}",
            json={"title": "Версия Анны", "version": 1},
            headers=tracker.h(tracker.intern_a),
        ),
        committing_client.patch(
            f"{API}/cards/{card_id}",
            json={"title": "Версия Петра"},
            headers={**tracker.h(tracker.intern_a2), "If-Match": '"1"'},
        ),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409], (
        first.text,
        second.text,
    )
    winner, loser = (first, second) if first.status_code == 200 else (second, first)
    body = problem(loser, 409, "stale_version")
    assert body["current"]["version"] == 2
    assert body["current"]["title"] == winner.json()["title"]
    async with async_sessionmaker(bind=engine)() as session:
        row = (await session.execute(select(Card).where(Card.id == card_id))).scalar_one()
    assert row.version == 2
    assert row.title == winner.json()["title"]


async def test_concurrent_moves_of_one_card_apply_one_after_the_other(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    tracker = committed_tracker
    (card_id,) = await _insert_cards(engine, tracker, "todo", 1, "Задача")
    columns = [tracker.columns[k] for k in ("in_progress", "review", "done", "backlog")]
    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"{API}/cards/{card_id}/move",
                json={"column_id": column_id},
                headers=tracker.h(tracker.intern_a),
            )
            for column_id in columns
        )
    )
    assert [r.status_code for r in responses] == [200] * 4
    assert sorted(r.json()["version"] for r in responses) == [2, 3, 4, 5]
    last = max(responses, key=lambda r: r.json()["version"]).json()
    rows = await _all_live_cards(engine, tracker.board_id)
    assert rows == [(card_id, last["column_id"], rows[0][2])]


async def test_concurrent_moves_into_a_column_that_needs_rebalancing(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    tracker = committed_tracker
    todo = tracker.columns["todo"]
    first, anchor, following, last = await _insert_cards(engine, tracker, "todo", 4, "Задача")
    # The anchor and the card after it are so close that any key between them is too long.
    following_key = "a6"
    while len(key_between("a5", following_key)) <= MAX_POSITION_LENGTH:
        following_key = key_between("a5", following_key)
    async with async_sessionmaker(bind=engine)() as session:
        for card_id, key in (
            (first, "a0"),
            (anchor, "a5"),
            (following, following_key),
            (last, "a7"),
        ):
            await session.execute(update(Card).where(Card.id == card_id).values(position=key))
        await session.commit()
    movers = await _insert_cards(engine, tracker, "backlog", 10, "Из бэклога")
    responses = await asyncio.gather(
        *(
            committing_client.post(
                f"{API}/cards/{card_id}/move",
                json={"column_id": todo, "after_card_id": anchor},
                headers=tracker.h(tracker.intern_a),
            )
            for card_id in movers
        )
    )
    assert [r.status_code for r in responses] == [200] * 10, [r.text for r in responses]
    rows = await _all_live_cards(engine, tracker.board_id)
    _assert_total_order(rows)
    order = [card_id for card_id, _ in await _positions(engine, todo)]
    assert order[:2] == [first, anchor]
    assert set(order[2:12]) == set(movers)
    assert order[12:] == [following, last]
    assert max(len(p) for _, _, p in rows) <= MAX_POSITION_LENGTH


async def test_a_move_locks_its_target_column_and_not_the_column_it_leaves(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    """Arrivals serialise on the target column; leaving a column (no WIP limit) writes
    no position in it, so a lock held on that column does not hold the move up."""
    tracker = committed_tracker
    todo, done = tracker.columns["todo"], tracker.columns["done"]
    (leaving,) = await _insert_cards(engine, tracker, "todo", 1, "Уходит")
    (arriving,) = await _insert_cards(engine, tracker, "in_progress", 1, "Приходит")
    async with engine.connect() as other:
        await other.execute(select(BoardColumn.id).where(BoardColumn.id == todo).with_for_update())
        left = await asyncio.wait_for(
            committing_client.post(
                f"{API}/cards/{leaving}/move",
                json={"column_id": done},
                headers=tracker.h(tracker.intern_a),
            ),
            timeout=10,
        )
        ok(left)
        arrival = asyncio.create_task(
            committing_client.post(
                f"{API}/cards/{arriving}/move",
                json={"column_id": todo},
                headers=tracker.h(tracker.intern_a),
            )
        )
        await asyncio.sleep(0.5)
        assert not arrival.done()  # waits for the target column
        await other.rollback()
    ok(await asyncio.wait_for(arrival, timeout=10))
    rows = await _all_live_cards(engine, tracker.board_id)
    assert {(card_id, column_id) for card_id, column_id, _ in rows} >= {
        (leaving, done),
        (arriving, todo),
    }
    _assert_total_order(rows)


async def test_leaving_a_wip_limited_column_takes_its_lock(
    committing_client: httpx.AsyncClient, engine: AsyncEngine, committed_tracker: Tracker
) -> None:
    """Arrivals into a limited column count its cards under its lock: a card leaving
    it takes that lock too, so the count never includes a card halfway out."""
    tracker = committed_tracker
    todo, done = tracker.columns["todo"], tracker.columns["done"]
    async with engine.begin() as conn:
        await conn.execute(update(BoardColumn).where(BoardColumn.id == todo).values(wip_limit=5))
    (leaving,) = await _insert_cards(engine, tracker, "todo", 1, "Уходит")
    async with engine.connect() as other:
        await other.execute(select(BoardColumn.id).where(BoardColumn.id == todo).with_for_update())
        move = asyncio.create_task(
            committing_client.post(
                f"{API}/cards/{leaving}/move",
                json={"column_id": done},
                headers=tracker.h(tracker.intern_a),
            )
        )
        await asyncio.sleep(0.5)
        assert not move.done()
        await other.rollback()
    assert ok(await asyncio.wait_for(move, timeout=10))["column_id"] == done
