"""Moving cards by intent: neighbours, top and bottom, other columns, WIP limits, history."""

from collections.abc import Callable

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.constants import MAX_POSITION_LENGTH
from src.board.models.card_model import Card
from src.lib.ordering import key_between
from tests.board.conftest import StatementCounter, Tracker
from tests.board.helpers import (
    API,
    card_row,
    column_order,
    create_card,
    events_of,
    live_positions,
    move_card,
    ok,
    problem,
)


async def _cards(client: httpx.AsyncClient, tracker: Tracker, column: str, count: int) -> list[int]:
    headers = tracker.h(tracker.intern_a)
    return [
        (
            await create_card(
                client,
                headers,
                tracker.board_id,
                f"Карточка {n}",
                column_id=tracker.columns[column],
            )
        )["id"]
        for n in range(1, count + 1)
    ]


async def _order(client: httpx.AsyncClient, tracker: Tracker, column: str) -> list[int]:
    return await column_order(
        client, tracker.h(tracker.intern_a), tracker.board_id, tracker.columns[column]
    )


async def test_move_after_a_card(client: httpx.AsyncClient, tracker: Tracker) -> None:
    a, b, c, d = await _cards(client, tracker, "todo", 4)
    headers = tracker.h(tracker.intern_a)
    ok(await move_card(client, headers, a, column_id=tracker.columns["todo"], after_card_id=c))
    assert await _order(client, tracker, "todo") == [b, c, a, d]
    ok(await move_card(client, headers, d, column_id=tracker.columns["todo"], after_card_id=b))
    assert await _order(client, tracker, "todo") == [b, d, c, a]


async def test_move_before_a_card(client: httpx.AsyncClient, tracker: Tracker) -> None:
    a, b, c, d = await _cards(client, tracker, "todo", 4)
    headers = tracker.h(tracker.intern_a)
    ok(await move_card(client, headers, d, column_id=tracker.columns["todo"], before_card_id=a))
    assert await _order(client, tracker, "todo") == [d, a, b, c]
    ok(await move_card(client, headers, a, column_id=tracker.columns["todo"], before_card_id=c))
    assert await _order(client, tracker, "todo") == [d, b, a, c]


async def test_move_to_top_and_default_bottom(client: httpx.AsyncClient, tracker: Tracker) -> None:
    a, b, c = await _cards(client, tracker, "todo", 3)
    headers = tracker.h(tracker.intern_a)
    ok(await move_card(client, headers, c, column_id=tracker.columns["todo"], to="top"))
    assert await _order(client, tracker, "todo") == [c, a, b]
    ok(await move_card(client, headers, c, column_id=tracker.columns["todo"]))
    assert await _order(client, tracker, "todo") == [a, b, c]
    ok(await move_card(client, headers, a, column_id=tracker.columns["todo"], to="bottom"))
    assert await _order(client, tracker, "todo") == [b, c, a]


async def test_move_into_another_column_at_each_kind_of_place(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    x, y = await _cards(client, tracker, "in_progress", 2)
    a, b, c, d = await _cards(client, tracker, "todo", 4)
    headers = tracker.h(tracker.intern_a)
    target = tracker.columns["in_progress"]
    ok(await move_card(client, headers, a, column_id=target, after_card_id=x))
    ok(await move_card(client, headers, b, column_id=target, before_card_id=x))
    ok(await move_card(client, headers, c, column_id=target, to="top"))
    moved = ok(await move_card(client, headers, d, column_id=target))
    assert moved["column_id"] == target
    assert await _order(client, tracker, "in_progress") == [c, b, x, a, y, d]
    assert await _order(client, tracker, "todo") == []
    rows = await live_positions(session, target)
    assert [card_id for card_id, _ in rows] == [c, b, x, a, y, d]
    assert len({position for _, position in rows}) == 6


async def test_two_anchors_at_once_are_refused(client: httpx.AsyncClient, tracker: Tracker) -> None:
    a, b = await _cards(client, tracker, "todo", 2)
    response = await move_card(
        client,
        tracker.h(tracker.intern_a),
        a,
        column_id=tracker.columns["todo"],
        after_card_id=b,
        to="top",
    )
    problem(response, 422, "validation_error")


async def test_move_to_a_column_of_another_board_is_refused_and_the_card_stays(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    (card_id,) = await _cards(client, tracker, "todo", 1)
    before = await card_row(session, card_id)
    assert before is not None
    position, version = before.position, before.version
    response = await move_card(
        client, tracker.h(tracker.mentor_a), card_id, column_id=tracker.columns_b["todo"]
    )
    problem(response, 422, "invalid_reference")
    after = await card_row(session, card_id)
    assert after is not None
    assert (after.board_id, after.column_id, after.position, after.version) == (
        tracker.board_id,
        tracker.columns["todo"],
        position,
        version,
    )
    assert await events_of(session, card_id, "card_moved") == []


async def test_neighbour_from_another_column_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    a, b = await _cards(client, tracker, "todo", 2)
    (elsewhere,) = await _cards(client, tracker, "review", 1)
    headers = tracker.h(tracker.intern_a)
    for anchor in ({"after_card_id": elsewhere}, {"before_card_id": elsewhere}):
        problem(
            await move_card(client, headers, a, column_id=tracker.columns["todo"], **anchor),
            422,
            "invalid_reference",
        )
    # The neighbour must be in the *target* column, not the card's current one.
    problem(
        await move_card(client, headers, a, column_id=tracker.columns["review"], after_card_id=b),
        422,
        "invalid_reference",
    )
    # Nor the card itself, nor an unknown card.
    problem(
        await move_card(client, headers, a, column_id=tracker.columns["todo"], after_card_id=a),
        422,
        "invalid_reference",
    )
    problem(
        await move_card(
            client, headers, a, column_id=tracker.columns["todo"], after_card_id=999_999_999
        ),
        422,
        "invalid_reference",
    )
    assert await _order(client, tracker, "todo") == [a, b]
    row = await card_row(session, a)
    assert row is not None
    assert (row.column_id, row.version) == (tracker.columns["todo"], 1)


async def test_archived_neighbour_is_refused(client: httpx.AsyncClient, tracker: Tracker) -> None:
    a, b = await _cards(client, tracker, "todo", 2)
    headers = tracker.h(tracker.intern_a)
    ok(await client.post(f"{API}/cards/{b}/archive", headers=headers))
    problem(
        await move_card(client, headers, a, column_id=tracker.columns["todo"], after_card_id=b),
        422,
        "invalid_reference",
    )


async def test_move_into_an_archived_column_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    (card_id,) = await _cards(client, tracker, "todo", 1)
    ok(
        await client.post(
            f"{API}/columns/{tracker.columns['review']}/archive", headers=tracker.h(tracker.admin)
        )
    )
    problem(
        await move_card(
            client, tracker.h(tracker.intern_a), card_id, column_id=tracker.columns["review"]
        ),
        409,
        "archived",
    )
    row = await card_row(session, card_id)
    assert row is not None
    assert row.column_id == tracker.columns["todo"]


async def _limit(client: httpx.AsyncClient, tracker: Tracker, column: str, limit: int) -> None:
    ok(
        await client.patch(
            f"{API}/columns/{tracker.columns[column]}",
            json={"wip_limit": limit},
            headers=tracker.h(tracker.mentor_a),
        )
    )


async def test_move_into_a_full_column_is_409_wip_limit_reached(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    await _cards(client, tracker, "in_progress", 2)
    await _limit(client, tracker, "in_progress", 2)
    (card_id,) = await _cards(client, tracker, "todo", 1)
    body = problem(
        await move_card(
            client, tracker.h(tracker.intern_a), card_id, column_id=tracker.columns["in_progress"]
        ),
        409,
        "wip_limit_reached",
    )
    assert body["wip_limit"] == 2
    row = await card_row(session, card_id)
    assert row is not None
    assert (row.column_id, row.version) == (tracker.columns["todo"], 1)
    assert len(await live_positions(session, tracker.columns["in_progress"])) == 2


async def test_creating_a_card_in_a_full_column_is_409(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    await _cards(client, tracker, "in_progress", 1)
    await _limit(client, tracker, "in_progress", 1)
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/cards",
        json={"title": "Ещё одна", "column_id": tracker.columns["in_progress"]},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 409, "wip_limit_reached")


async def test_reordering_inside_a_full_column_is_allowed(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    a, b = await _cards(client, tracker, "in_progress", 2)
    await _limit(client, tracker, "in_progress", 2)
    ok(
        await move_card(
            client,
            tracker.h(tracker.intern_a),
            b,
            column_id=tracker.columns["in_progress"],
            to="top",
        )
    )
    assert await _order(client, tracker, "in_progress") == [b, a]


async def test_force_over_the_wip_limit_works_for_the_team_mentor(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    await _cards(client, tracker, "in_progress", 2)
    await _limit(client, tracker, "in_progress", 2)
    first, second = await _cards(client, tracker, "todo", 2)
    moved = ok(
        await move_card(
            client,
            tracker.h(tracker.mentor_a),
            first,
            column_id=tracker.columns["in_progress"],
            force=True,
        )
    )
    assert moved["column_id"] == tracker.columns["in_progress"]
    ok(
        await move_card(
            client,
            tracker.h(tracker.admin),
            second,
            column_id=tracker.columns["in_progress"],
            force=True,
        )
    )
    assert len(await live_positions(session, tracker.columns["in_progress"])) == 4


async def test_force_by_an_intern_is_403(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    await _cards(client, tracker, "in_progress", 2)
    await _limit(client, tracker, "in_progress", 2)
    (card_id,) = await _cards(client, tracker, "todo", 1)
    problem(
        await move_card(
            client,
            tracker.h(tracker.intern_a),
            card_id,
            column_id=tracker.columns["in_progress"],
            force=True,
        ),
        403,
    )
    row = await card_row(session, card_id)
    assert row is not None
    assert row.column_id == tracker.columns["todo"]


async def test_force_under_the_limit_is_harmless_for_an_intern(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    await _limit(client, tracker, "in_progress", 5)
    (card_id,) = await _cards(client, tracker, "todo", 1)
    ok(
        await move_card(
            client,
            tracker.h(tracker.intern_a),
            card_id,
            column_id=tracker.columns["in_progress"],
            force=True,
        )
    )


async def test_archived_cards_do_not_count_towards_the_wip_limit(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    a, _ = await _cards(client, tracker, "in_progress", 2)
    await _limit(client, tracker, "in_progress", 2)
    ok(await client.post(f"{API}/cards/{a}/archive", headers=tracker.h(tracker.intern_a)))
    (card_id,) = await _cards(client, tracker, "todo", 1)
    ok(
        await move_card(
            client, tracker.h(tracker.intern_a), card_id, column_id=tracker.columns["in_progress"]
        )
    )


async def test_restoring_into_a_full_column_is_409_unless_forced_by_a_mentor(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    intern = tracker.h(tracker.intern_a)
    a, _ = await _cards(client, tracker, "in_progress", 2)
    ok(await client.post(f"{API}/cards/{a}/archive", headers=intern))
    await _cards(client, tracker, "in_progress", 1)
    await _limit(client, tracker, "in_progress", 2)
    body = problem(await client.post(f"{API}/cards/{a}/restore", headers=intern), 409)
    assert (body["code"], body["wip_limit"]) == ("wip_limit_reached", 2)
    problem(await client.post(f"{API}/cards/{a}/restore?force=true", headers=intern), 403)
    row = await card_row(session, a)
    assert row is not None
    assert (row.archived_at is not None, row.version) == (True, 2)
    assert len(await live_positions(session, tracker.columns["in_progress"])) == 2
    restored = ok(
        await client.post(
            f"{API}/cards/{a}/restore?force=true", headers=tracker.h(tracker.mentor_a)
        )
    )
    assert (restored["archived_at"], restored["version"]) == (None, 3)
    assert len(await live_positions(session, tracker.columns["in_progress"])) == 3


async def test_restoring_under_the_wip_limit_needs_no_force(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    intern = tracker.h(tracker.intern_a)
    a, _ = await _cards(client, tracker, "in_progress", 2)
    await _limit(client, tracker, "in_progress", 2)
    ok(await client.post(f"{API}/cards/{a}/archive", headers=intern))
    restored = ok(await client.post(f"{API}/cards/{a}/restore", headers=intern))
    assert restored["archived_at"] is None


async def test_move_records_card_moved_with_columns_and_kinds(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    (card_id,) = await _cards(client, tracker, "todo", 1)
    ok(
        await move_card(
            client, tracker.h(tracker.intern_a2), card_id, column_id=tracker.columns["review"]
        )
    )
    (event,) = await events_of(session, card_id, "card_moved")
    assert event.board_id == tracker.board_id
    assert event.actor_id == tracker.intern_a2.id
    assert event.data == {
        "from_column_id": tracker.columns["todo"],
        "to_column_id": tracker.columns["review"],
        "from_kind": "todo",
        "to_kind": "review",
    }


async def test_move_with_a_stale_version_is_409(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    (card_id,) = await _cards(client, tracker, "todo", 1)
    headers = tracker.h(tracker.intern_a)
    ok(await move_card(client, headers, card_id, column_id=tracker.columns["review"], version=1))
    body = problem(
        await move_card(client, headers, card_id, column_id=tracker.columns["done"], version=1),
        409,
        "stale_version",
    )
    assert body["current"]["version"] == 2
    assert body["current"]["column_id"] == tracker.columns["review"]
    row = await card_row(session, card_id)
    assert row is not None
    assert row.column_id == tracker.columns["review"]


async def _crowd_keys(session: AsyncSession, ids: list[int]) -> None:
    """Keys «a0», «a5», a key just above «a5», «a7»: any key between the 2nd and 3rd card is
    too long, so a move there respreads the column (to «a0», «a1», «a2», …), and every
    card's new key differs from its old one (except the first)."""
    anchor_key = "a5"
    following_key = "a6"
    while len(key_between(anchor_key, following_key)) <= MAX_POSITION_LENGTH:
        following_key = key_between(anchor_key, following_key)
    for card_id, key in zip(ids, ["a0", anchor_key, following_key, "a7"], strict=True):
        await session.execute(update(Card).where(Card.id == card_id).values(position=key))
    await session.commit()


async def _crowded_column(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> tuple[list[int], int]:
    cards = await _cards(client, tracker, "todo", 4)
    (mover,) = await _cards(client, tracker, "backlog", 1)
    await _crowd_keys(session, cards)
    return cards, mover


async def test_crowded_keys_are_rebalanced_moving_to_the_bottom(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    (first, anchor, following, last), mover = await _crowded_column(client, session, tracker)
    ok(
        await move_card(
            client, tracker.h(tracker.intern_a), following, column_id=tracker.columns["todo"]
        )
    )
    rows = await live_positions(session, tracker.columns["todo"])
    assert [card_id for card_id, _ in rows] == [first, anchor, last, following]
    del mover


async def test_crowded_keys_are_rebalanced_and_the_order_kept_moving_after_a_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    (first, anchor, following, last), mover = await _crowded_column(client, session, tracker)
    response = await move_card(
        client,
        tracker.h(tracker.intern_a),
        mover,
        column_id=tracker.columns["todo"],
        after_card_id=anchor,
    )
    ok(response)
    rows = await live_positions(session, tracker.columns["todo"])
    assert max(len(position) for _, position in rows) <= MAX_POSITION_LENGTH
    assert [card_id for card_id, _ in rows] == [first, anchor, mover, following, last]


async def test_crowded_keys_are_rebalanced_and_the_order_kept_moving_before_a_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    (first, anchor, following, last), mover = await _crowded_column(client, session, tracker)
    response = await move_card(
        client,
        tracker.h(tracker.intern_a),
        mover,
        column_id=tracker.columns["todo"],
        before_card_id=following,
    )
    ok(response)
    rows = await live_positions(session, tracker.columns["todo"])
    assert max(len(position) for _, position in rows) <= MAX_POSITION_LENGTH
    assert [card_id for card_id, _ in rows] == [first, anchor, mover, following, last]


async def test_a_card_loaded_in_the_session_sees_its_own_move(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    """A use case that loaded the card before moving it (reviews do) reads it moved:
    the move's UPDATE synchronises the session's copy."""
    from src.board.schemas.card_schema import CardMove
    from src.board.services.card_service import card_service
    from src.lib.security.actor import Actor

    [card_id] = await _cards(client, tracker, "todo", 1)
    loaded = await card_row(session, card_id)
    assert loaded is not None
    version = loaded.version
    target = tracker.columns["in_progress"]

    moved = await card_service.move(
        session,
        Actor(user_id=tracker.intern_a.id),
        card_id,
        CardMove(column_id=target),
        if_match=None,
    )

    assert moved.column_id == target
    assert loaded.column_id == target
    assert loaded.version == version + 1
    assert loaded.position == moved.position


async def test_a_move_takes_a_few_statements(
    client: httpx.AsyncClient,
    tracker: Tracker,
    count_statements: Callable[[], StatementCounter],
) -> None:
    """The hot path of the board stays short: BEGIN (a savepoint here), the token
    holder and the token's revocation, the card locked with the actor's rights, the
    column locked, the position, the update, its activity event, COMMIT."""
    first, second = await _cards(client, tracker, "todo", 2)
    headers = tracker.h(tracker.intern_a)
    ok(await move_card(client, headers, first, column_id=tracker.columns["in_progress"]))

    counter = count_statements()
    ok(await move_card(client, headers, second, column_id=tracker.columns["in_progress"]))

    print(f"\nPOST /cards/{{id}}/move: {counter.count} SQL statements")
    for statement in counter.statements:
        print("  ", " ".join(statement.split())[:110])
    assert counter.count <= 9, counter.statements
