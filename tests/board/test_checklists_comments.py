"""Checklists with ordered items, comments with @mentions, and children addressed
through their own card only."""

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.models.card_detail_model import Checklist, ChecklistItem, Comment, Mention
from tests.board.conftest import Tracker
from tests.board.helpers import API, create_card, ok, problem, read_board

DUE = "2026-04-15T12:00:00+00:00"


async def _card(client: httpx.AsyncClient, tracker: Tracker, title: str = "Задача") -> int:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, title)
    return int(card["id"])


async def _checklist(
    client: httpx.AsyncClient, tracker: Tracker, card_id: int, title: str
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/cards/{card_id}/checklists",
        json={"title": title},
        headers=tracker.h(tracker.intern_a),
    )
    return ok(response, 201)  # type: ignore[no-any-return]


async def _item(
    client: httpx.AsyncClient,
    tracker: Tracker,
    card_id: int,
    checklist_id: int,
    text: str,
    **kw: Any,
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/cards/{card_id}/checklists/{checklist_id}/items",
        json={"text": text, **kw},
        headers=tracker.h(tracker.intern_a),
    )
    return ok(response, 201)  # type: ignore[no-any-return]


async def _comment(
    client: httpx.AsyncClient, tracker: Tracker, card_id: int, body: str, author: Any = None
) -> dict[str, Any]:
    response = await client.post(
        f"{API}/cards/{card_id}/comments",
        json={"body": body},
        headers=tracker.h(author or tracker.intern_a),
    )
    return ok(response, 201)  # type: ignore[no-any-return]


async def _fresh(session: AsyncSession, model: type, row_id: int) -> Any:
    return await session.get(model, row_id, populate_existing=True)


# --- checklists ----------------------------------------------------------------------


async def test_card_has_several_checklists_with_ordered_items(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    steps = await _checklist(client, tracker, card_id, "Шаги")
    review = await _checklist(client, tracker, card_id, "Проверка")
    first = await _item(client, tracker, card_id, steps["id"], "Собрать данные")
    second = await _item(
        client,
        tracker,
        card_id,
        steps["id"],
        "Построить графики",
        assignee_id=tracker.intern_a2.id,
        due_at=DUE,
    )
    third = await _item(client, tracker, card_id, steps["id"], "Написать выводы")
    other = await _item(client, tracker, card_id, review["id"], "Показать ментору")
    assert second["assignee_id"] == tracker.intern_a2.id
    assert second["due_at"].startswith("2026-04-15T12:00:00")
    assert second["is_done"] is False

    listed = ok(
        await client.get(f"{API}/cards/{card_id}/checklists", headers=tracker.h(tracker.observer))
    )
    assert [c["title"] for c in listed] == ["Шаги", "Проверка"]
    assert [i["id"] for i in listed[0]["items"]] == [first["id"], second["id"], third["id"]]
    assert [i["id"] for i in listed[1]["items"]] == [other["id"]]


async def test_item_reordered_after_another_and_to_the_top(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    checklist = await _checklist(client, tracker, card_id, "Шаги")
    a, b, c = [
        (await _item(client, tracker, card_id, checklist["id"], text))["id"]
        for text in ("А", "Б", "В")
    ]
    headers = tracker.h(tracker.intern_a)

    async def order() -> list[int]:
        lists = ok(await client.get(f"{API}/cards/{card_id}/checklists", headers=headers))
        return [i["id"] for i in lists[0]["items"]]

    ok(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{a}", json={"after_item_id": b}, headers=headers
        )
    )
    assert await order() == [b, a, c]
    ok(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{c}",
            json={"after_item_id": None},
            headers=headers,
        )
    )
    assert await order() == [c, b, a]


async def test_item_cannot_be_placed_after_an_item_of_another_checklist(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    first = await _checklist(client, tracker, card_id, "Первый")
    second = await _checklist(client, tracker, card_id, "Второй")
    item = await _item(client, tracker, card_id, first["id"], "Пункт")
    foreign = await _item(client, tracker, card_id, second["id"], "Чужой")
    problem(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{item['id']}",
            json={"after_item_id": foreign["id"]},
            headers=tracker.h(tracker.intern_a),
        ),
        422,
        "invalid_reference",
    )
    row = await _fresh(session, ChecklistItem, item["id"])
    assert row.position == item["position"]


async def test_item_done_flag_sets_and_clears_done_at_and_counts_on_the_board(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    checklist = await _checklist(client, tracker, card_id, "Шаги")
    items = [
        (await _item(client, tracker, card_id, checklist["id"], text))["id"]
        for text in ("А", "Б", "В")
    ]
    headers = tracker.h(tracker.intern_a2)
    done = ok(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{items[0]}",
            json={"is_done": True},
            headers=headers,
        )
    )
    assert done["is_done"] is True
    assert done["done_at"] is not None
    row = await _fresh(session, ChecklistItem, items[0])
    assert row.is_done is True
    assert row.done_at is not None

    board = await read_board(client, headers, tracker.board_id)
    (summary,) = [card for column in board["columns"] for card in column["cards"]]
    assert (summary["checklist_done"], summary["checklist_total"]) == (1, 3)

    undone = ok(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{items[0]}",
            json={"is_done": False},
            headers=headers,
        )
    )
    assert (undone["is_done"], undone["done_at"]) == (False, None)
    response = await client.post(
        f"{API}/cards/{card_id}/checklist-items/{items[1]}/archive", headers=headers
    )
    assert response.status_code == 204, response.text
    board = await read_board(client, headers, tracker.board_id)
    (summary,) = [card for column in board["columns"] for card in column["cards"]]
    assert (summary["checklist_done"], summary["checklist_total"]) == (0, 2)


async def test_item_assignee_must_be_in_the_team(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    checklist = await _checklist(client, tracker, card_id, "Шаги")
    headers = tracker.h(tracker.intern_a)
    for stranger in (tracker.intern_b, tracker.observer, tracker.outsider):
        problem(
            await client.post(
                f"{API}/cards/{card_id}/checklists/{checklist['id']}/items",
                json={"text": "Пункт", "assignee_id": stranger.id},
                headers=headers,
            ),
            422,
            "invalid_reference",
        )
    rows = await session.execute(select(ChecklistItem.id).where(ChecklistItem.card_id == card_id))
    assert list(rows.scalars()) == []
    item = await _item(
        client, tracker, card_id, checklist["id"], "Пункт", assignee_id=tracker.mentor_a.id
    )
    problem(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{item['id']}",
            json={"assignee_id": tracker.intern_b.id},
            headers=headers,
        ),
        422,
        "invalid_reference",
    )
    row = await _fresh(session, ChecklistItem, item["id"])
    assert row.assignee_id == tracker.mentor_a.id


async def test_checklist_rename_and_archive(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    checklist = await _checklist(client, tracker, card_id, "Шаги")
    headers = tracker.h(tracker.intern_a)
    renamed = ok(
        await client.patch(
            f"{API}/cards/{card_id}/checklists/{checklist['id']}",
            json={"title": "План"},
            headers=headers,
        )
    )
    assert renamed["title"] == "План"
    response = await client.post(
        f"{API}/cards/{card_id}/checklists/{checklist['id']}/archive", headers=headers
    )
    assert response.status_code == 204
    assert ok(await client.get(f"{API}/cards/{card_id}/checklists", headers=headers)) == []
    row = await _fresh(session, Checklist, checklist["id"])
    assert row.archived_at is not None


async def test_checklist_of_another_card_is_404_through_this_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    mine = await _card(client, tracker, "Моя")
    other = await _card(client, tracker, "Чужая")
    checklist = await _checklist(client, tracker, other, "Шаги")
    headers = tracker.h(tracker.intern_a)
    problem(
        await client.patch(
            f"{API}/cards/{mine}/checklists/{checklist['id']}",
            json={"title": "Взлом"},
            headers=headers,
        ),
        404,
        "checklist_not_found",
    )
    problem(
        await client.post(
            f"{API}/cards/{mine}/checklists/{checklist['id']}/archive", headers=headers
        ),
        404,
        "checklist_not_found",
    )
    problem(
        await client.post(
            f"{API}/cards/{mine}/checklists/{checklist['id']}/items",
            json={"text": "Подкинуть"},
            headers=headers,
        ),
        404,
        "checklist_not_found",
    )
    row = await _fresh(session, Checklist, checklist["id"])
    assert (row.card_id, row.title, row.archived_at) == (other, "Шаги", None)
    items = await session.execute(
        select(ChecklistItem.id).where(ChecklistItem.checklist_id == row.id)
    )
    assert list(items.scalars()) == []


async def test_checklist_item_of_another_card_is_404_through_this_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    mine = await _card(client, tracker, "Моя")
    other = await _card(client, tracker, "Чужая")
    checklist = await _checklist(client, tracker, other, "Шаги")
    item = await _item(client, tracker, other, checklist["id"], "Пункт")
    headers = tracker.h(tracker.intern_a)
    problem(
        await client.patch(
            f"{API}/cards/{mine}/checklist-items/{item['id']}",
            json={"is_done": True, "text": "Взлом"},
            headers=headers,
        ),
        404,
        "checklist_item_not_found",
    )
    problem(
        await client.post(
            f"{API}/cards/{mine}/checklist-items/{item['id']}/archive", headers=headers
        ),
        404,
        "checklist_item_not_found",
    )
    row = await _fresh(session, ChecklistItem, item["id"])
    assert (row.card_id, row.text, row.is_done, row.archived_at) == (other, "Пункт", False, None)


async def test_checklist_of_a_card_on_another_teams_board_is_404(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    foreign = await create_card(client, tracker.h(tracker.intern_b), tracker.board_b_id, "Чужая")
    checklist = ok(
        await client.post(
            f"{API}/cards/{foreign['id']}/checklists",
            json={"title": "Их шаги"},
            headers=tracker.h(tracker.intern_b),
        ),
        201,
    )
    mine = await _card(client, tracker)
    problem(
        await client.patch(
            f"{API}/cards/{mine}/checklists/{checklist['id']}",
            json={"title": "Взлом"},
            headers=tracker.h(tracker.intern_a),
        ),
        404,
    )
    problem(
        await client.get(
            f"{API}/cards/{foreign['id']}/checklists", headers=tracker.h(tracker.intern_a)
        ),
        404,
    )
    row = await _fresh(session, Checklist, checklist["id"])
    assert row.title == "Их шаги"


# --- comments ------------------------------------------------------------------------


async def test_author_edits_own_comment(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    comment = await _comment(client, tracker, card_id, "Начала работу")
    assert comment["author_id"] == tracker.intern_a.id
    assert comment["edited_at"] is None
    edited = ok(
        await client.patch(
            f"{API}/cards/{card_id}/comments/{comment['id']}",
            json={"body": "Начала работу, **скоро** пришлю"},
            headers=tracker.h(tracker.intern_a),
        )
    )
    assert edited["edited_at"] is not None
    assert "<strong>скоро</strong>" in edited["body_html"]
    row = await _fresh(session, Comment, comment["id"])
    assert row.body == "Начала работу, **скоро** пришлю"


async def test_another_member_cannot_edit_or_delete_a_comment(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    comment = await _comment(client, tracker, card_id, "Моё мнение")
    for user in (tracker.intern_a2, tracker.mentor_a):
        headers = tracker.h(user)
        problem(
            await client.patch(
                f"{API}/cards/{card_id}/comments/{comment['id']}",
                json={"body": "Исправил за тебя"},
                headers=headers,
            ),
            403,
        )
        problem(
            await client.delete(f"{API}/cards/{card_id}/comments/{comment['id']}", headers=headers),
            403,
        )
    row = await _fresh(session, Comment, comment["id"])
    assert (row.body, row.edited_at, row.deleted_at) == ("Моё мнение", None, None)


async def test_comment_deletion_is_soft_and_hides_it(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    kept = await _comment(client, tracker, card_id, "Остаётся")
    gone = await _comment(client, tracker, card_id, "Удалю")
    headers = tracker.h(tracker.intern_a)
    response = await client.delete(f"{API}/cards/{card_id}/comments/{gone['id']}", headers=headers)
    assert response.status_code == 204, response.text
    page = ok(await client.get(f"{API}/cards/{card_id}/comments", headers=headers))
    assert [c["id"] for c in page["items"]] == [kept["id"]]
    assert page["total"] == 1
    row = await _fresh(session, Comment, gone["id"])
    assert row is not None
    assert row.deleted_at is not None
    assert row.body == "Удалю"
    board = await read_board(client, headers, tracker.board_id)
    (summary,) = [card for column in board["columns"] for card in column["cards"]]
    assert summary["comment_count"] == 1
    # A deleted comment can no longer be edited or deleted.
    problem(
        await client.patch(
            f"{API}/cards/{card_id}/comments/{gone['id']}", json={"body": "Вернул"}, headers=headers
        ),
        404,
        "comment_not_found",
    )


async def test_admin_may_delete_someone_elses_comment(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    comment = await _comment(client, tracker, card_id, "Спам")
    response = await client.delete(
        f"{API}/cards/{card_id}/comments/{comment['id']}", headers=tracker.h(tracker.admin)
    )
    assert response.status_code == 204
    row = await _fresh(session, Comment, comment["id"])
    assert row.deleted_at is not None


async def test_comments_listed_oldest_first_with_pagination(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    ids = [(await _comment(client, tracker, card_id, f"Комментарий {n}"))["id"] for n in range(5)]
    headers = tracker.h(tracker.intern_a)
    first = ok(
        await client.get(f"{API}/cards/{card_id}/comments", params={"limit": 2}, headers=headers)
    )
    second = ok(
        await client.get(
            f"{API}/cards/{card_id}/comments", params={"limit": 2, "offset": 2}, headers=headers
        )
    )
    assert first["total"] == 5
    assert [c["id"] for c in first["items"] + second["items"]] == ids[:4]


async def test_mention_of_a_teammate_is_recorded_and_of_an_outsider_is_not(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    comment = await _comment(
        client,
        tracker,
        card_id,
        "@p.volkov и @M.Kuznetsova, посмотрите; @d.orlov из другой команды, "
        "@hr.lebedeva наблюдает, @nobody.here нет такого, почта a@p.volkov не упоминание",
    )
    expected = sorted([tracker.intern_a2.id, tracker.mentor_a.id])
    assert comment["mentioned_user_ids"] == expected
    rows = await session.execute(
        select(Mention.user_id, Mention.card_id).where(Mention.comment_id == comment["id"])
    )
    assert sorted(rows.all()) == sorted((user_id, card_id) for user_id in expected)


async def test_edit_adds_new_mentions(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    comment = await _comment(client, tracker, card_id, "@p.volkov посмотри")
    edited = ok(
        await client.patch(
            f"{API}/cards/{card_id}/comments/{comment['id']}",
            json={"body": "@p.volkov и @m.kuznetsova посмотрите"},
            headers=tracker.h(tracker.intern_a),
        )
    )
    assert edited["mentioned_user_ids"] == sorted([tracker.intern_a2.id, tracker.mentor_a.id])
    rows = await session.execute(select(Mention.user_id).where(Mention.comment_id == comment["id"]))
    assert sorted(rows.scalars()) == sorted([tracker.intern_a2.id, tracker.mentor_a.id])


async def test_comment_of_another_card_is_404_through_this_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    mine = await _card(client, tracker, "Моя")
    other = await _card(client, tracker, "Чужая")
    comment = await _comment(client, tracker, other, "Оригинал")
    headers = tracker.h(tracker.intern_a)  # the author herself
    problem(
        await client.patch(
            f"{API}/cards/{mine}/comments/{comment['id']}",
            json={"body": "Подмена"},
            headers=headers,
        ),
        404,
        "comment_not_found",
    )
    problem(
        await client.delete(f"{API}/cards/{mine}/comments/{comment['id']}", headers=headers),
        404,
        "comment_not_found",
    )
    row = await _fresh(session, Comment, comment["id"])
    assert (row.card_id, row.body, row.edited_at, row.deleted_at) == (other, "Оригинал", None, None)


async def test_comment_markdown_is_sanitised(client: httpx.AsyncClient, tracker: Tracker) -> None:
    card_id = await _card(client, tracker)
    comment = await _comment(
        client, tracker, card_id, "<script>alert(1)</script> [x](javascript:alert(1))"
    )
    assert "<script" not in comment["body_html"]
    assert "href" not in comment["body_html"]


async def test_no_comment_on_an_archived_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    ok(await client.post(f"{API}/cards/{card_id}/archive", headers=tracker.h(tracker.intern_a)))
    problem(
        await client.post(
            f"{API}/cards/{card_id}/comments",
            json={"body": "Поздно"},
            headers=tracker.h(tracker.intern_a),
        ),
        409,
        "archived",
    )
    rows = await session.execute(select(Comment.id).where(Comment.card_id == card_id))
    assert list(rows.scalars()) == []


# --- archived checklists -----------------------------------------------------------------


async def test_items_of_an_archived_checklist_no_longer_count(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    dropped = await _checklist(client, tracker, card_id, "Отменённый план")
    kept = await _checklist(client, tracker, card_id, "План")
    done = await _item(client, tracker, card_id, dropped["id"], "Сделано")
    await _item(client, tracker, card_id, dropped["id"], "Не сделано")
    await _item(client, tracker, card_id, kept["id"], "Пункт")
    headers = tracker.h(tracker.intern_a)
    ok(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{done['id']}",
            json={"is_done": True},
            headers=headers,
        )
    )
    response = await client.post(
        f"{API}/cards/{card_id}/checklists/{dropped['id']}/archive", headers=headers
    )
    assert response.status_code == 204
    visible = ok(await client.get(f"{API}/cards/{card_id}/checklists", headers=headers))
    assert [len(c["items"]) for c in visible] == [1]
    card = ok(await client.get(f"{API}/cards/{card_id}", headers=headers))
    board = await read_board(client, headers, tracker.board_id)
    (summary,) = [c for column in board["columns"] for c in column["cards"]]
    assert (card["checklist_done"], card["checklist_total"]) == (0, 1)
    assert (summary["checklist_done"], summary["checklist_total"]) == (0, 1)


async def test_item_of_an_archived_checklist_cannot_be_changed(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card_id = await _card(client, tracker)
    checklist = await _checklist(client, tracker, card_id, "Отменённый план")
    item = await _item(client, tracker, card_id, checklist["id"], "Пункт")
    headers = tracker.h(tracker.intern_a)
    response = await client.post(
        f"{API}/cards/{card_id}/checklists/{checklist['id']}/archive", headers=headers
    )
    assert response.status_code == 204
    problem(
        await client.patch(
            f"{API}/cards/{card_id}/checklist-items/{item['id']}",
            json={"is_done": True},
            headers=headers,
        ),
        404,
        "checklist_item_not_found",
    )
    row = await _fresh(session, ChecklistItem, item["id"])
    assert row.is_done is False
