"""Reading: the whole board in a constant number of statements, filters, archived cards,
my cards across teams, and full-text search limited to what the caller may see."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.models.board_model import Label
from src.board.models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment
from src.board.models.card_model import Card, CardAssignee, CardLabel
from src.lib.ordering import keys_between
from tests.board.conftest import StatementCounter, Tracker
from tests.board.helpers import API, create_card, move_card, ok, problem, read_board

NOW = dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def _ids(board: dict[str, Any]) -> set[int]:
    return {card["id"] for column in board["columns"] for card in column["cards"]}


# --- the whole board --------------------------------------------------------------------


async def test_board_lists_columns_with_their_live_cards_and_summaries(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    label = ok(
        await client.post(
            f"{API}/boards/{tracker.board_id}/labels", json={"color": "green"}, headers=headers
        ),
        201,
    )
    assert label["name"] == "green"
    card = await create_card(
        client,
        headers,
        tracker.board_id,
        "Подготовить отчёт",
        column_id=tracker.columns["in_progress"],
        assignee_ids=[tracker.intern_a.id, tracker.intern_a2.id],
        label_ids=[label["id"]],
        priority="critical",
        start_at="2026-04-01T09:00:00+00:00",
        due_at="2026-04-03T18:00:00+00:00",
        estimate="2.25",
    )
    checklist = ok(
        await client.post(
            f"{API}/cards/{card['id']}/checklists", json={"title": "Шаги"}, headers=headers
        ),
        201,
    )
    items = [
        ok(
            await client.post(
                f"{API}/cards/{card['id']}/checklists/{checklist['id']}/items",
                json={"text": text},
                headers=headers,
            ),
            201,
        )
        for text in ("А", "Б")
    ]
    ok(
        await client.patch(
            f"{API}/cards/{card['id']}/checklist-items/{items[0]['id']}",
            json={"is_done": True},
            headers=headers,
        )
    )
    for body in ("Первый", "Второй", "Третий"):
        ok(
            await client.post(
                f"{API}/cards/{card['id']}/comments", json={"body": body}, headers=headers
            ),
            201,
        )
    ok(
        await client.post(
            f"{API}/cards/{card['id']}/attachments/links",
            json={"url": "https://example.com"},
            headers=headers,
        ),
        201,
    )
    archived = await create_card(client, headers, tracker.board_id, "В архиве")
    ok(await client.post(f"{API}/cards/{archived['id']}/archive", headers=headers))

    board = await read_board(client, tracker.h(tracker.observer), tracker.board_id)
    assert board["id"] == tracker.board_id
    assert [c["kind"] for c in board["columns"]] == [
        "backlog",
        "todo",
        "in_progress",
        "review",
        "done",
    ]
    assert [label["id"]] == [lbl["id"] for lbl in board["labels"]]
    by_kind = {c["kind"]: c for c in board["columns"]}
    assert by_kind["backlog"]["cards"] == []  # the archived card is not on the board
    assert by_kind["in_progress"]["card_count"] == 1
    (summary,) = by_kind["in_progress"]["cards"]
    assert summary["id"] == card["id"]
    assert summary["title"] == "Подготовить отчёт"
    assert summary["position"] == card["position"]
    assert summary["assignee_ids"] == sorted([tracker.intern_a.id, tracker.intern_a2.id])
    assert summary["label_ids"] == [label["id"]]
    assert summary["priority"] == "critical"
    assert summary["start_at"].startswith("2026-04-01T09:00:00")
    assert summary["due_at"].startswith("2026-04-03T18:00:00")
    assert float(summary["estimate"]) == 2.25
    assert (summary["checklist_done"], summary["checklist_total"]) == (1, 2)
    assert summary["comment_count"] == 3
    assert summary["attachment_count"] == 1


async def test_cards_of_an_archived_column_are_not_on_the_board(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.mentor_a)
    card = await create_card(
        client, headers, tracker.board_id, "Застряла", column_id=tracker.columns["review"]
    )
    ok(await client.post(f"{API}/columns/{tracker.columns['review']}/archive", headers=headers))
    board = await read_board(client, headers, tracker.board_id)
    assert card["id"] not in _ids(board)


async def _fill_board(
    session: AsyncSession, tracker: Tracker, board_id: int, columns: list[int], count: int
) -> None:
    """`count` cards spread over the columns, each with assignees, a label, checklist items,
    comments and an attachment, so that every aggregate has rows to work on."""
    label_rows = []
    for name in ("Бэкенд", "Фронтенд"):
        label = Label(board_id=board_id, name=name, color="blue")
        session.add(label)
        label_rows.append(label)
    await session.flush()
    per_column = -(-count // len(columns))
    cards: list[Card] = []
    for n, column_id in enumerate(columns):
        size = min(per_column, count - len(cards))
        for m, key in enumerate(keys_between(None, None, size)):
            cards.append(
                Card(
                    board_id=board_id,
                    column_id=column_id,
                    position=key,
                    title=f"Задача {n}-{m}",
                    due_at=NOW + dt.timedelta(days=m % 10 - 5),
                    version=1,
                )
            )
    session.add_all(cards)
    await session.flush()
    for n, card in enumerate(cards):
        session.add(CardAssignee(card_id=card.id, user_id=tracker.intern_a.id))
        if n % 2:
            session.add(CardAssignee(card_id=card.id, user_id=tracker.intern_a2.id))
        session.add(CardLabel(card_id=card.id, label_id=label_rows[n % 2].id))
        checklist = Checklist(card_id=card.id, title="Шаги", position="a0")
        session.add(checklist)
        await session.flush()
        for k in range(2):
            session.add(
                ChecklistItem(
                    checklist_id=checklist.id,
                    card_id=card.id,
                    text=f"Пункт {k}",
                    position=f"a{k}",
                    is_done=k == 0,
                )
            )
        session.add(Comment(card_id=card.id, author_id=tracker.intern_a.id, body="Комментарий"))
        session.add(
            Attachment(card_id=card.id, kind="link", url="https://example.com", title="Ссылка")
        )
    await session.commit()


async def test_board_read_takes_the_same_number_of_statements_for_5_and_200_cards(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    count_statements: Callable[[], StatementCounter],
) -> None:
    headers = tracker.h(tracker.intern_a)
    big = ok(
        await client.post(
            f"{API}/projects/{tracker.project_a_id}/boards",
            json={"name": "Большая"},
            headers=tracker.h(tracker.mentor_a),
        ),
        201,
    )
    big_columns = [
        c["id"] for c in ok(await client.get(f"{API}/boards/{big['id']}/columns", headers=headers))
    ]
    await _fill_board(session, tracker, tracker.board_id, list(tracker.columns.values()), 5)
    await _fill_board(session, tracker, big["id"], big_columns, 200)
    await read_board(client, headers, tracker.board_id)  # warm-up

    counter = count_statements()
    small_board = await read_board(client, headers, tracker.board_id)
    small = counter.count
    counter.reset()
    big_board = await read_board(client, headers, big["id"])
    large = counter.count
    assert len(_ids(small_board)) == 5
    assert len(_ids(big_board)) == 200
    summaries = [card for column in big_board["columns"] for card in column["cards"]]
    assert all(c["checklist_total"] == 2 and c["checklist_done"] == 1 for c in summaries)
    assert all(c["comment_count"] == 1 and c["attachment_count"] == 1 for c in summaries)
    assert small == large, counter.statements
    assert large <= 10, counter.statements
    print(f"\nGET /boards/{{id}}: {large} SQL statements for 5 and for 200 cards")
    for statement in counter.statements:
        print("  ", " ".join(statement.split())[:110])


async def test_board_filters(client: httpx.AsyncClient, tracker: Tracker) -> None:
    headers = tracker.h(tracker.intern_a)
    label = ok(
        await client.post(
            f"{API}/boards/{tracker.board_id}/labels",
            json={"name": "Баг", "color": "red"},
            headers=headers,
        ),
        201,
    )
    overdue = await create_card(
        client,
        headers,
        tracker.board_id,
        "Просрочена",
        due_at=_iso(NOW - dt.timedelta(days=2)),
        assignee_ids=[tracker.intern_a2.id],
    )
    overdue_done = await create_card(
        client,
        headers,
        tracker.board_id,
        "Просрочена, но сделана",
        due_at=_iso(NOW - dt.timedelta(days=2)),
        column_id=tracker.columns["done"],
    )
    this_week = await create_card(
        client,
        headers,
        tracker.board_id,
        "На этой неделе: 100% покрытие",
        due_at=_iso(NOW + dt.timedelta(days=3)),
        label_ids=[label["id"]],
    )
    later = await create_card(
        client, headers, tracker.board_id, "Потом", due_at=_iso(NOW + dt.timedelta(days=30))
    )
    no_due = await create_card(
        client,
        headers,
        tracker.board_id,
        "Без срока",
        description="Обновить ЗАВИСИМОСТИ проекта",
        assignee_ids=[tracker.intern_a2.id],
        label_ids=[label["id"]],
    )

    async def ids(**params: Any) -> set[int]:
        return _ids(await read_board(client, headers, tracker.board_id, **params))

    assert await ids() == {
        overdue["id"],
        overdue_done["id"],
        this_week["id"],
        later["id"],
        no_due["id"],
    }
    assert await ids(assignee_id=tracker.intern_a2.id) == {overdue["id"], no_due["id"]}
    assert await ids(label_id=label["id"]) == {this_week["id"], no_due["id"]}
    assert await ids(due="overdue") == {overdue["id"]}
    assert await ids(due="week") == {this_week["id"]}
    assert await ids(due="none") == {no_due["id"]}
    assert await ids(q="просроч") == {overdue["id"], overdue_done["id"]}
    assert await ids(q="зависимости") == {no_due["id"]}  # description, any case
    assert await ids(q="100%") == {this_week["id"]}
    assert await ids(q="%") == {this_week["id"]}  # a literal percent sign, not a wildcard
    assert await ids(q="_") == set()
    assert await ids(assignee_id=tracker.intern_a2.id, label_id=label["id"]) == {no_due["id"]}
    problem(
        await client.get(
            f"{API}/boards/{tracker.board_id}", params={"due": "someday"}, headers=headers
        ),
        422,
        "validation_error",
    )


async def test_archived_cards_are_listed_separately_with_pagination(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    cards = [await create_card(client, headers, tracker.board_id, f"Старая {n}") for n in range(5)]
    live = await create_card(client, headers, tracker.board_id, "Живая")
    for card in cards:
        ok(await client.post(f"{API}/cards/{card['id']}/archive", headers=headers))
    url = f"{API}/boards/{tracker.board_id}/cards/archived"
    first = ok(await client.get(url, params={"limit": 2}, headers=headers))
    second = ok(await client.get(url, params={"limit": 2, "offset": 2}, headers=headers))
    third = ok(await client.get(url, params={"limit": 2, "offset": 4}, headers=headers))
    assert first["total"] == second["total"] == third["total"] == 5
    listed = [c["id"] for page in (first, second, third) for c in page["items"]]
    # Most recently archived first.
    assert listed == [c["id"] for c in reversed(cards)]
    assert live["id"] not in listed
    board = await read_board(client, headers, tracker.board_id)
    assert _ids(board) == {live["id"]}


# --- my cards ---------------------------------------------------------------------------


async def test_my_cards_across_the_boards_of_my_team_only(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    me = tracker.intern_a2
    headers = tracker.h(tracker.intern_a)
    second_board = ok(
        await client.post(
            f"{API}/projects/{tracker.project_a_id}/boards",
            json={"name": "Исследования"},
            headers=tracker.h(tracker.mentor_a),
        ),
        201,
    )
    on_default = await create_card(
        client,
        headers,
        tracker.board_id,
        "На основной",
        assignee_ids=[me.id],
        due_at=_iso(NOW + dt.timedelta(days=2)),
    )
    on_second = await create_card(
        client, headers, second_board["id"], "На второй", assignee_ids=[me.id]
    )
    done = await create_card(
        client,
        headers,
        tracker.board_id,
        "Сделана",
        assignee_ids=[me.id],
        column_id=tracker.columns["done"],
    )
    archived = await create_card(
        client, headers, tracker.board_id, "В архиве", assignee_ids=[me.id]
    )
    ok(await client.post(f"{API}/cards/{archived['id']}/archive", headers=headers))
    await create_card(
        client, headers, tracker.board_id, "Чужая", assignee_ids=[tracker.intern_a.id]
    )

    mine = ok(await client.get(f"{API}/cards/my", headers=tracker.h(me)))
    assert [c["id"] for c in mine["items"]] == [on_default["id"], on_second["id"]]  # due first
    assert mine["total"] == 2
    first = mine["items"][0]
    assert (first["board_id"], first["project_id"], first["board_name"]) == (
        tracker.board_id,
        tracker.project_a_id,
        "Основная доска",
    )
    assert (first["column_name"], first["column_kind"]) == ("Бэклог", "backlog")
    with_done = ok(
        await client.get(f"{API}/cards/my", params={"include_done": "true"}, headers=tracker.h(me))
    )
    assert {c["id"] for c in with_done["items"]} == {on_default["id"], on_second["id"], done["id"]}

    # Moved to team Beta: the cards of team Alpha's boards are no longer theirs to see.
    admin = tracker.h(tracker.admin)
    response = await client.delete(
        f"{API}/teams/{tracker.team_a_id}/members/{me.id}", headers=admin
    )
    assert response.status_code == 200, response.text
    ok(
        await client.post(
            f"{API}/teams/{tracker.team_b_id}/members",
            json={"user_id": me.id, "role": "member"},
            headers=admin,
        ),
        201,
    )
    on_beta = await create_card(
        client, tracker.h(tracker.intern_b), tracker.board_b_id, "У Беты", assignee_ids=[me.id]
    )
    mine = ok(
        await client.get(f"{API}/cards/my", params={"include_done": "true"}, headers=tracker.h(me))
    )
    assert [c["id"] for c in mine["items"]] == [on_beta["id"]]
    assert mine["total"] == 1


async def test_my_cards_due_filter(client: httpx.AsyncClient, tracker: Tracker) -> None:
    me = tracker.intern_a
    headers = tracker.h(me)
    overdue = await create_card(
        client,
        headers,
        tracker.board_id,
        "Просрочена",
        assignee_ids=[me.id],
        due_at=_iso(NOW - dt.timedelta(days=1)),
    )
    await create_card(client, headers, tracker.board_id, "Без срока", assignee_ids=[me.id])
    mine = ok(await client.get(f"{API}/cards/my", params={"due": "overdue"}, headers=headers))
    assert [c["id"] for c in mine["items"]] == [overdue["id"]]


# --- search -----------------------------------------------------------------------------


async def test_search_uses_russian_and_english_stemming(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    report = await create_card(client, headers, tracker.board_id, "Подготовить отчёт")
    tests = await create_card(client, headers, tracker.board_id, "Write a unit test for login")
    await create_card(client, headers, tracker.board_id, "Настроить сервер")

    async def found(query: str) -> list[int]:
        page = ok(await client.get(f"{API}/cards/search", params={"q": query}, headers=headers))
        return [c["id"] for c in page["items"]]

    assert await found("отчёты") == [report["id"]]
    assert await found("отчетов") == [report["id"]]
    assert await found("tests") == [tests["id"]]
    assert await found("testing") == [tests["id"]]
    assert await found("несуществующее") == []


async def test_search_finds_a_word_only_in_a_comment_and_ranks_title_first(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    in_comment = await create_card(client, headers, tracker.board_id, "Разобраться с данными")
    ok(
        await client.post(
            f"{API}/cards/{in_comment['id']}/comments",
            json={"body": "Попробуем кластеризацию пользователей"},
            headers=headers,
        ),
        201,
    )
    in_description = await create_card(
        client,
        headers,
        tracker.board_id,
        "Исследование",
        description="Сравнить алгоритмы кластеризации",
    )
    in_title = await create_card(client, headers, tracker.board_id, "Кластеризация клиентов")
    page = ok(
        await client.get(f"{API}/cards/search", params={"q": "кластеризация"}, headers=headers)
    )
    assert [c["id"] for c in page["items"]] == [
        in_title["id"],
        in_description["id"],
        in_comment["id"],
    ]
    ranks = [c["rank"] for c in page["items"]]
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] > ranks[-1]
    assert page["items"][0]["headline"] is not None
    assert "«" in page["items"][0]["headline"]


async def test_search_ignores_deleted_comments_and_archived_cards(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Карточка")
    comment = ok(
        await client.post(
            f"{API}/cards/{card['id']}/comments", json={"body": "секретное слово"}, headers=headers
        ),
        201,
    )
    archived = await create_card(client, headers, tracker.board_id, "Секретный план")
    ok(await client.post(f"{API}/cards/{archived['id']}/archive", headers=headers))
    response = await client.delete(
        f"{API}/cards/{card['id']}/comments/{comment['id']}", headers=headers
    )
    assert response.status_code == 204
    page = ok(await client.get(f"{API}/cards/search", params={"q": "секретное"}, headers=headers))
    assert page["items"] == []


async def test_search_never_returns_cards_the_caller_may_not_see(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    alpha = await create_card(
        client, tracker.h(tracker.intern_a), tracker.board_id, "Миграция базы данных"
    )
    beta = await create_card(
        client, tracker.h(tracker.intern_b), tracker.board_b_id, "Миграция базы клиентов"
    )

    async def found(user: Any) -> set[int]:
        page = ok(
            await client.get(
                f"{API}/cards/search", params={"q": "миграция"}, headers=tracker.h(user)
            )
        )
        assert page["total"] == len(page["items"])
        return {c["id"] for c in page["items"]}

    assert await found(tracker.intern_a) == {alpha["id"]}
    assert await found(tracker.mentor_a) == {alpha["id"]}
    assert await found(tracker.intern_b) == {beta["id"]}
    assert await found(tracker.mentor_b) == {beta["id"]}
    assert await found(tracker.observer) == {alpha["id"], beta["id"]}
    assert await found(tracker.admin) == {alpha["id"], beta["id"]}
    assert await found(tracker.outsider) == set()


async def test_search_skips_archived_boards(client: httpx.AsyncClient, tracker: Tracker) -> None:
    board = ok(
        await client.post(
            f"{API}/projects/{tracker.project_a_id}/boards",
            json={"name": "Прошлый спринт"},
            headers=tracker.h(tracker.mentor_a),
        ),
        201,
    )
    await create_card(client, tracker.h(tracker.intern_a), board["id"], "Рефакторинг модуля")
    ok(
        await client.post(
            f"{API}/boards/{board['id']}/archive", headers=tracker.h(tracker.mentor_a)
        )
    )
    page = ok(
        await client.get(
            f"{API}/cards/search", params={"q": "рефакторинг"}, headers=tracker.h(tracker.intern_a)
        )
    )
    assert page["items"] == []


async def test_moved_card_is_still_found(client: httpx.AsyncClient, tracker: Tracker) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Документация API")
    ok(await move_card(client, headers, card["id"], column_id=tracker.columns["done"]))
    page = ok(
        await client.get(f"{API}/cards/search", params={"q": "документации"}, headers=headers)
    )
    assert [c["id"] for c in page["items"]] == [card["id"]]
