"""Every mapping of a Trello board export onto an InternHub board, checked on the rows
written (and on the API reads where the API is what users see)."""

import datetime as dt
import json
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bench.trello_export import build_export
from src.board.models.card_detail_model import ChecklistItem
from src.user.user_model import User
from tests.board.conftest import Tracker
from tests.importer.helpers import (
    API,
    DATA,
    assignee_ids,
    card_by_external,
    card_label_names,
    cards_of,
    checklists_of,
    columns_of,
    comments_of,
    count,
    events_of,
    fetch,
    imported,
    jobs_of,
    labels_of,
    links_of,
    ok,
    post_import,
    problem,
)
from tests.importer.trello_builder import EPOCH, TrelloExport


def at(days: float, hours: float = 0) -> dt.datetime:
    return EPOCH + dt.timedelta(days=days, hours=hours)


def kanban(export: TrelloExport) -> dict[str, dict[str, Any]]:
    """Six lists, added out of `pos` order; the last one archived."""
    lists = {
        "done": export.add_list("Готово", 65536),
        "backlog": export.add_list("Бэклог", 8192.5),
        "todo": export.add_list("К выполнению", 16384),
        "archive": export.add_list("Старые задачи", 70000.25, closed=True),
        "doing": export.add_list("Doing", 32768),
        "review": export.add_list("Review", 49152),
    }
    return lists


# --- lists → columns -------------------------------------------------------------------


async def test_lists_become_columns_in_pos_order_with_guessed_kinds(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    lists = kanban(export)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    columns = await columns_of(session, job["board_id"])
    assert [(c.name, c.kind, c.archived_at is not None) for c in columns] == [
        ("Бэклог", "backlog", False),
        ("К выполнению", "todo", False),
        ("Doing", "in_progress", False),
        ("Review", "review", False),
        ("Готово", "done", False),
        ("Старые задачи", "todo", True),
    ]
    assert [c.external_id for c in columns] == [
        lists[k]["id"] for k in ("backlog", "todo", "doing", "review", "done", "archive")
    ]
    assert job["report"]["imported"]["columns"] == 6
    # The board itself: named after the export, remembered as imported from it.
    board = ok(
        await client.get(f"{API}/boards/{job['board_id']}", headers=tracker.h(tracker.intern_a))
    )
    assert board["name"] == "Стажировка — доска команды"
    assert board["is_default"] is False
    assert [c["name"] for c in board["columns"]] == [
        "Бэклог",
        "К выполнению",
        "Doing",
        "Review",
        "Готово",
    ]


async def test_kind_hints_in_russian_and_english(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    names = {
        "Идеи": "backlog",
        "To Do": "todo",
        "В работе": "in_progress",
        "In progress": "in_progress",
        "На ревью": "review",
        "Тестирование": "review",
        "Done 🎉": "done",
        "Сделано": "done",
        "Разное": "todo",
    }
    export = TrelloExport()
    for index, name in enumerate(names):
        export.add_list(name, 1000 * (index + 1))
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    columns = await columns_of(session, job["board_id"])
    assert {c.name: c.kind for c in columns} == names


async def test_column_kinds_override_the_guess_by_list_id_or_name(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    lists = kanban(export)
    # A 24-character name (as long as a Trello id) with capitals, named with other case.
    long_name = export.add_list("Ждём ответа от Заказчика", 60000)
    assert len(long_name["name"]) == 24
    job = await imported(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        export,
        column_kinds={
            lists["doing"]["id"]: "review",
            "  к ВЫПОЛНЕНИЮ ": "backlog",
            "Старые задачи": "done",
            "Ждём ответа от Заказчика": "in_progress",
        },
    )
    kinds = {c.name: c.kind for c in await columns_of(session, job["board_id"])}
    assert kinds == {
        "Бэклог": "backlog",
        "К выполнению": "backlog",
        "Doing": "review",
        "Review": "review",
        "Ждём ответа от Заказчика": "in_progress",
        "Готово": "done",
        "Старые задачи": "done",
    }


async def test_column_kinds_naming_no_list_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    kanban(export)
    response = await post_import(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        export,
        column_kinds={"Тестирование": "review"},
    )
    body = problem(response, 422, "invalid_import_option")
    assert "Тестирование" in body["detail"]
    assert body["errors"][0]["loc"] == ["body", "column_kinds"]
    bad_kind = await post_import(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        export,
        column_kinds={"Готово": "finished"},
    )
    assert problem(bad_kind, 422, "validation_error")["errors"][0]["loc"][:2] == [
        "body",
        "column_kinds",
    ]
    not_json = await post_import(
        client, tracker.h(tracker.mentor_a), tracker.project_a_id, export, column_kinds="{done"
    )
    problem(not_json, 422, "validation_error")
    assert await jobs_of(session, tracker.project_a_id) == []


async def test_open_card_in_a_closed_list_lands_in_the_archive(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    """Trello shows an open card of an archived list nowhere; here it is an archived card
    (listed among the board's archived cards), archived when its list was."""
    export = TrelloExport()
    lists = kanban(export)
    natalia = export.member("natalia", "Наталья Волкова")
    open_card = export.card(lists["archive"], "Забытая задача", 16384)
    closed_card = export.card(lists["archive"], "Закрытая задача", 32768, closed=True)
    export.archive_card(closed_card, at(3), natalia)
    export.archive_list(lists["archive"], at(5), natalia)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    archived_column = (await columns_of(session, job["board_id"]))[-1]
    assert archived_column.archived_at == at(5)
    kept = await card_by_external(session, job["board_id"], open_card["id"])
    assert kept.column_id == archived_column.id
    assert kept.archived_at == at(5)
    gone = await card_by_external(session, job["board_id"], closed_card["id"])
    assert gone.column_id == archived_column.id
    assert gone.archived_at == at(3)
    assert job["report"]["imported"]["archived_cards"] == 2
    assert job["report"]["counts"]["cards_archived_with_their_list"] == 1
    listed = ok(
        await client.get(
            f"{API}/boards/{job['board_id']}/cards/archived", headers=tracker.h(tracker.mentor_a)
        )
    )
    assert {c["title"] for c in listed["items"]} == {"Забытая задача", "Закрытая задача"}


# --- cards -----------------------------------------------------------------------------


async def test_cards_keep_their_list_and_pos_order(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    doing = export.add_list("В работе", 32768)
    # Added in an order that is neither pos nor list order; pos as Trello writes it.
    export.card(doing, "Д2", 65535.5)
    export.card(todo, "К3", 98304)
    export.card(todo, "К1", 0.125)
    export.card(doing, "Д1", 16384)
    export.card(todo, "К2", 16384.75)
    export.card(todo, "К4 (в архиве)", 120000, closed=True)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    cards = await cards_of(session, job["board_id"])
    columns = {c.id: c.name for c in await columns_of(session, job["board_id"])}
    assert [(columns[c.column_id], c.title) for c in cards] == [
        ("К выполнению", "К1"),
        ("К выполнению", "К2"),
        ("К выполнению", "К3"),
        ("К выполнению", "К4 (в архиве)"),
        ("В работе", "Д1"),
        ("В работе", "Д2"),
    ]
    board = ok(
        await client.get(f"{API}/boards/{job['board_id']}", headers=tracker.h(tracker.mentor_a))
    )
    assert [[card["title"] for card in c["cards"]] for c in board["columns"]] == [
        ["К1", "К2", "К3"],
        ["Д1", "Д2"],
    ]


async def test_closed_card_is_archived_at_its_closing_action(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    alice = export.member("alice", "Алиса Смирнова")
    with_action = export.card(todo, "Закрыта действием", 1, closed=True)
    export.archive_card(with_action, at(2), alice)
    export.archive_card(with_action, at(4), alice, closed=False)  # restored…
    export.archive_card(with_action, at(6, 5), alice)  # …and archived again
    without = export.card(todo, "Без действия", 2, closed=True, last_activity=at(9))
    restored = export.card(todo, "Восстановлена", 3)
    export.archive_card(restored, at(1), alice)
    export.archive_card(restored, at(1, 2), alice, closed=False)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    board_id = job["board_id"]
    assert (await card_by_external(session, board_id, with_action["id"])).archived_at == at(6, 5)
    assert (await card_by_external(session, board_id, without["id"])).archived_at == at(9)
    assert (await card_by_external(session, board_id, restored["id"])).archived_at is None
    archived = ok(
        await client.get(
            f"{API}/boards/{board_id}/cards/archived", headers=tracker.h(tracker.mentor_a)
        )
    )
    assert [c["title"] for c in archived["items"]] == ["Без действия", "Закрыта действием"]


TITLE = "Починить 🐛 в «Отчётах» — 修复错误 / バグ修正 👩‍💻🇷🇺 ❤️"
DESC = (
    "# Описание\n\n**Жирный**, _курсив_, `код`, ~~зачёркнуто~~, [ссылка](https://example.com/a_b?x=1&y=2)\n"
    "\n- [ ] пункт\n- [x] готово\n  - вложенный пункт\n\n"
    "```python\nprint('привет')  # два пробела в конце  \n```\n\n"
    "> цитата\n\n| Поле | Значение |\n|---|---|\n| 状态 | 完成 ✅ |\n\n"
    "中文：数据库迁移脚本已经准备好了。\n日本語：仕様書を確認してください。カタカナ ｶﾀｶﾅ\n"
    "👩‍💻 🧑🏽‍🚀 👨‍👩‍👧‍👦 🏳️‍🌈 🇯🇵🤝🇷🇺 ❤️ 👍🏿\n"
    "NBSP:\u00a0| ZWSP:\u200b| ZWJ alone:\u200d| й (decomposed) | é\n"
    "\ttab, trailing spaces   \r\nCRLF line\r\n\n\n"
)


async def test_name_and_description_are_kept_byte_for_byte(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport(name="Доска 🚀 日本語", desc=DESC)
    todo = export.add_list("К выполнению 📋", 16384)
    card = export.card(todo, TITLE, 16384, desc=DESC)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    row = await card_by_external(session, job["board_id"], card["id"])
    assert row.title.encode() == TITLE.encode()
    assert row.description.encode() == DESC.encode()
    read = ok(await client.get(f"{API}/cards/{row.id}", headers=tracker.h(tracker.intern_a)))
    assert read["title"] == TITLE
    assert read["description"] == DESC
    board = ok(
        await client.get(f"{API}/boards/{job['board_id']}", headers=tracker.h(tracker.intern_a))
    )
    assert board["name"] == "Доска 🚀 日本語"
    assert board["description"] == DESC
    assert board["columns"][0]["name"] == "К выполнению 📋"


async def test_dates_labels_and_members(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    anna = export.member("a.sidorova", "Анна Сидорова")
    petr = export.member("P.Volkov", "Пётр Волков")
    backend = export.label("Бэкенд", "orange")
    urgent = export.label("Срочно 🔥", "red")
    export.label("Не используется", "sky")
    both = export.card(
        todo,
        "С датами",
        1,
        start="2024-03-04T06:00:00.000Z",
        due="2024-03-15T15:30:00.000Z",
        labels=(backend, urgent),
        members=(anna, petr),
    )
    bare = export.card(todo, "Без всего", 2)
    # Trello lets the start date lie after the due date; InternHub cannot store that.
    upside_down = export.card(
        todo,
        "Начало после срока",
        3,
        start="2024-05-01T00:00:00.000Z",
        due="2024-04-01T00:00:00.000Z",
    )
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    board_id = job["board_id"]
    row = await card_by_external(session, board_id, both["id"])
    assert row.start_at == dt.datetime(2024, 3, 4, 6, 0, tzinfo=dt.UTC)
    assert row.due_at == dt.datetime(2024, 3, 15, 15, 30, tzinfo=dt.UTC)
    assert await card_label_names(session, row.id) == ["Бэкенд", "Срочно 🔥"]
    assert await assignee_ids(session, row.id) == sorted(
        [tracker.intern_a.id, tracker.intern_a2.id]
    )
    empty = await card_by_external(session, board_id, bare["id"])
    assert (empty.start_at, empty.due_at) == (None, None)
    assert await card_label_names(session, empty.id) == []
    assert await assignee_ids(session, empty.id) == []
    flipped = await card_by_external(session, board_id, upside_down["id"])
    assert (flipped.start_at, flipped.due_at) == (None, dt.datetime(2024, 4, 1, tzinfo=dt.UTC))
    assert job["report"]["counts"]["dropped_start_dates"] == 1
    assert [(label.name, label.color) for label in await labels_of(session, board_id)] == [
        ("Бэкенд", "orange"),
        ("Срочно 🔥", "red"),
        ("Не используется", "sky"),
    ]
    read = ok(await client.get(f"{API}/cards/{row.id}", headers=tracker.h(tracker.intern_a)))
    assert sorted(read["assignee_ids"]) == sorted([tracker.intern_a.id, tracker.intern_a2.id])
    assert len(read["label_ids"]) == 2


async def test_checklists_keep_items_states_and_order(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    natalia = export.member("natalia", "Наталья Волкова")
    card = export.card(todo, "С чек-листами", 1)
    second = export.checklist(
        card,
        "チェックリスト",
        32768,
        [("Третий", 3.5, False), ("Первый 🧪", 1, True), ("Второй", 2, True)],
    )
    first = export.checklist(card, "Критерии готовности", 16384, [("Код-ревью", 16384, True)])
    export.check_item(card, second, 1, at(2), natalia)  # "Первый 🧪" checked at day 2
    export.check_item(card, first, 0, at(1), natalia)
    export.check_item(card, first, 0, at(1, 1), natalia, complete=False)
    export.check_item(card, first, 0, at(5), natalia)  # checked again: the last time counts
    empty = export.checklist(card, "Пустой", 50000, [])
    assert empty["checkItems"] == []
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    row = await card_by_external(session, job["board_id"], card["id"])
    assert await checklists_of(session, row.id) == [
        ("Критерии готовности", [("Код-ревью", True)]),
        ("チェックリスト", [("Первый 🧪", True), ("Второй", True), ("Третий", False)]),
        ("Пустой", []),
    ]
    items = {
        item.text: item.done_at
        for item in await fetch(
            session, select(ChecklistItem).where(ChecklistItem.card_id == row.id)
        )
    }
    assert items == {"Код-ревью": at(5), "Первый 🧪": at(2), "Второй": None, "Третий": None}
    read = ok(await client.get(f"{API}/cards/{row.id}", headers=tracker.h(tracker.intern_a)))
    assert (read["checklist_done"], read["checklist_total"]) == (3, 4)
    assert job["report"]["imported"]["checklists"] == 3
    assert job["report"]["imported"]["checklist_items"] == 4


async def test_attachments_become_links_and_those_without_a_web_address_are_skipped(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    anna = export.member("a.sidorova", "Анна Сидорова")
    card = export.card(todo, "С вложениями", 1)
    export.attachment(
        card, "Макет в Figma", "https://www.figma.com/file/Xq7bQ2mZ/InternHub", at(1), anna
    )
    export.attachment(
        card,
        "скриншот экрана 📷.png",
        "https://trello.com/1/cards/abc/attachments/def/download/screenshot.png",
        at(2),
    )
    export.attachment(card, "", "http://example.com/spec?lang=ja&v=2", at(3))
    export.attachment(card, "Локальный файл", "file:///C:/Users/anna/report.docx", at(4))
    export.attachment(card, "Без адреса", "", at(5))
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    row = await card_by_external(session, job["board_id"], card["id"])
    links = await links_of(session, row.id)
    assert [(a.kind, a.title, a.url, a.uploaded_by_id, a.created_at) for a in links] == [
        (
            "link",
            "Макет в Figma",
            "https://www.figma.com/file/Xq7bQ2mZ/InternHub",
            tracker.intern_a.id,
            at(1),
        ),
        (
            "link",
            "скриншот экрана 📷.png",
            "https://trello.com/1/cards/abc/attachments/def/download/screenshot.png",
            None,
            at(2),
        ),
        (
            "link",
            "http://example.com/spec?lang=ja&v=2",
            "http://example.com/spec?lang=ja&v=2",
            None,
            at(3),
        ),
    ]
    report = job["report"]
    assert report["imported"]["attachments"] == 3
    assert report["counts"]["skipped_attachment"] == 2
    assert (
        report["skipped"]
        == [
            {"what": "attachment", "id": card["id"], "reason": "the attachment has no web address"},
        ]
        * 2
    )
    listed = ok(
        await client.get(f"{API}/cards/{row.id}/attachments", headers=tracker.h(tracker.intern_a))
    )
    assert [a["title"] for a in listed] == [a.title for a in links]


# --- labels ----------------------------------------------------------------------------


async def test_labels_names_and_colours(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    labels = [
        export.label("Фронтенд", "green"),
        export.label("", "yellow"),
        export.label("Без цвета", None),
        export.label("", None),
        export.label("Блокер", "red_dark"),
        export.label("Идея", "sky_light"),
        export.label("", "purple_dark"),
        export.label("  С пробелами  ", "blue"),
        export.label("Неизвестный цвет", "chartreuse"),
    ]
    card = export.card(todo, "Со всеми метками", 1, labels=tuple(labels))
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    rows = await labels_of(session, job["board_id"])
    assert [(label.name, label.color) for label in rows] == [
        ("Фронтенд", "green"),
        ("yellow", "yellow"),
        ("Без цвета", None),
        ("no colour", None),
        ("Блокер", "red"),
        ("Идея", "sky"),
        ("purple_dark", "purple"),
        ("С пробелами", "blue"),
        ("Неизвестный цвет", None),
    ]
    assert [label.external_id for label in rows] == [label["id"] for label in labels]
    row = await card_by_external(session, job["board_id"], card["id"])
    assert len(await card_label_names(session, row.id)) == 9
    board = ok(
        await client.get(f"{API}/boards/{job['board_id']}", headers=tracker.h(tracker.mentor_a))
    )
    assert {label["name"] for label in board["labels"]} >= {"Фронтенд", "yellow"}


async def test_older_export_without_labels_array_takes_label_names_and_card_labels(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    legacy = json.loads((DATA / "legacy_board.json").read_text(encoding="utf-8"))
    assert "labels" not in legacy
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, legacy)

    board_id = job["board_id"]
    assert sorted((label.name, label.color) for label in await labels_of(session, board_id)) == [
        ("yellow", "yellow"),
        ("Бэкенд", "orange"),
        ("Документация", "blue"),
        ("Срочно 🔥", "red"),
        ("Фронтенд", "green"),
    ]
    by_title = {c.title: c for c in await cards_of(session, board_id)}
    assert await card_label_names(session, by_title["Переписать кэш сессий 👩‍💻"].id) == ["yellow"]
    assert await card_label_names(session, by_title["Проверить права доступа наставников"].id) == [
        "Документация"
    ]
    assert any("older export" in w for w in job["report"]["warnings"])
    assert job["report"]["skipped"] == []
    assert job["report"]["imported"]["cards"] == 6
    # The archived card of the fixture: closed by an updateCard action.
    closed = by_title["Проверить права доступа наставников"]
    assert closed.archived_at == dt.datetime(2023, 12, 9, 13, 16, 9, 246000, tzinfo=dt.UTC)


# --- actions: comments and history ---------------------------------------------------


async def test_comments_keep_dates_and_authors_and_former_members_keep_their_name(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    anna = export.member("a.sidorova", "Анна Сидорова")
    gone = export.former_member("elenasemyonova", "Елена Семёнова")
    # Left the board, but has an InternHub account under the same username.
    observer = export.former_member("HR.Lebedeva", "Наталья Лебедева")
    card = export.card(todo, "Обсуждение", 1)
    export.comment(card, "Первый комментарий 👋\n\n**Markdown** остаётся", at(1), anna)
    export.comment(card, "Я ушла с доски, но комментарий мой 🙂", at(2, 3), gone)
    export.comment(card, "Комментарий наблюдателя", at(3), observer)
    users_before = await count(session, User)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    row = await card_by_external(session, job["board_id"], card["id"])
    comments = await comments_of(session, row.id)
    assert [(c.body, c.created_at, c.author_id, c.author_name) for c in comments] == [
        ("Первый комментарий 👋\n\n**Markdown** остаётся", at(1), tracker.intern_a.id, None),
        ("Я ушла с доски, но комментарий мой 🙂", at(2, 3), None, "Елена Семёнова"),
        ("Комментарий наблюдателя", at(3), tracker.observer.id, None),
    ]
    action_ids = {a["data"]["text"]: a["id"] for a in export.actions}
    assert [c.external_id for c in comments] == [action_ids[c.body] for c in comments]
    listed = ok(
        await client.get(f"{API}/cards/{row.id}/comments", headers=tracker.h(tracker.intern_a))
    )
    shown = sorted(listed["items"], key=lambda c: c["created_at"])
    assert [(c["author_id"], c["author_name"]) for c in shown] == [
        (tracker.intern_a.id, None),
        (None, "Елена Семёнова"),
        (tracker.observer.id, None),
    ]
    # Former members get no placeholder; only matched people are assigned ids.
    assert await count(session, User) == users_before
    assert job["report"]["counts"]["comments_by_former_members"] == 1
    assert job["report"]["counts"]["former_members"] == 1
    people = {p["username"]: p["matched_by"] for p in job["report"]["people"]}
    assert people == {
        "a.sidorova": "username",
        "elenasemyonova": "kept_name",
        "HR.Lebedeva": "username",
    }
    events = await events_of(session, row.id)
    assert [(e.kind, e.created_at, e.actor_id) for e in events if e.kind == "comment_added"] == [
        ("comment_added", at(1), tracker.intern_a.id),
        ("comment_added", at(2, 3), None),
        ("comment_added", at(3), tracker.observer.id),
    ]


async def test_mentions_in_comments_name_the_matched_people_of_the_team(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    anna = export.member("a.sidorova", "Анна Сидорова")
    observer = export.former_member("HR.Lebedeva", "Наталья Лебедева")
    card = export.card(todo, "Обсуждение", 1)
    export.comment(
        card,
        "@A.Sidorova посмотри, пожалуйста, и @hr.lebedeva тоже; @a.sidorova ещё раз.\n"
        "@nobody не найдётся, а почта ivan@a.sidorova.ru — не упоминание.",
        at(1),
        observer,
    )
    export.comment(card, "Без упоминаний", at(2), anna)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    # The observer is matched but is no member of the project's team: not mentioned
    # (as when a comment is written in InternHub).
    assert job["report"]["imported"]["mentions"] == 1

    row = await card_by_external(session, job["board_id"], card["id"])
    listed = ok(
        await client.get(f"{API}/cards/{row.id}/comments", headers=tracker.h(tracker.intern_a))
    )
    shown = sorted(listed["items"], key=lambda c: c["created_at"])
    assert [c["mentioned_user_ids"] for c in shown] == [[tracker.intern_a.id], []]


async def test_card_history_goes_into_the_activity_log_with_original_dates(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    lists = kanban(export)
    anna = export.member("a.sidorova", "Анна Сидорова")
    mentor = export.member("m.kuznetsova", "Мария Кузнецова")
    stranger = export.member("vasya.trello", "Василий Незнакомый")
    card = export.card(lists["done"], "Прошла весь путь", 1, created=at(1))
    export.create_card(card, lists["todo"], at(1), stranger)
    export.move_card(card, lists["todo"], lists["doing"], at(2), anna)
    export.move_card(card, lists["doing"], lists["review"], at(4), anna)
    export.move_card(card, lists["review"], lists["done"], at(5), mentor)
    export.move_card(card, lists["done"], lists["doing"], at(6), mentor)  # reopened
    export.move_card(card, lists["doing"], lists["done"], at(7, 12), anna)
    reopened = export.card(lists["doing"], "Вернули в работу", 2, created=at(1))
    export.create_card(reopened, lists["backlog"], at(1, 1), anna)
    export.move_card(reopened, lists["backlog"], lists["done"], at(3), anna)
    export.move_card(reopened, lists["done"], lists["doing"], at(8), mentor)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    columns = {
        c.kind: c.id for c in await columns_of(session, job["board_id"]) if c.archived_at is None
    }
    placeholder = next(p for p in job["report"]["people"] if p["username"] == "vasya.trello")
    row = await card_by_external(session, job["board_id"], card["id"])
    events = [
        e for e in await events_of(session, row.id) if e.kind in ("card_created", "card_moved")
    ]
    assert [(e.kind, e.created_at, e.actor_id) for e in events] == [
        ("card_created", at(1), placeholder["user_id"]),
        ("card_moved", at(2), tracker.intern_a.id),
        ("card_moved", at(4), tracker.intern_a.id),
        ("card_moved", at(5), tracker.mentor_a.id),
        ("card_moved", at(6), tracker.mentor_a.id),
        ("card_moved", at(7, 12), tracker.intern_a.id),
    ]
    assert events[0].data["column_id"] == columns["todo"]
    assert events[0].data["column_kind"] == "todo"
    assert [(e.data["from_column_id"], e.data["to_column_id"]) for e in events[1:]] == [
        (columns["todo"], columns["in_progress"]),
        (columns["in_progress"], columns["review"]),
        (columns["review"], columns["done"]),
        (columns["done"], columns["in_progress"]),
        (columns["in_progress"], columns["done"]),
    ]
    assert [(e.data["from_kind"], e.data["to_kind"]) for e in events[1:3]] == [
        ("todo", "in_progress"),
        ("in_progress", "review"),
    ]
    assert row.created_at == at(1)
    assert row.created_by_id == placeholder["user_id"]
    assert row.started_at == at(2)
    assert row.completed_at == at(7, 12)
    assert row.moved_at == at(7, 12)

    back = await card_by_external(session, job["board_id"], reopened["id"])
    assert back.column_id == columns["in_progress"]
    assert back.completed_at is None
    assert back.started_at == at(8)
    kinds = [(e.kind, e.created_at) for e in await events_of(session, back.id)]
    assert kinds == [("card_created", at(1, 1)), ("card_moved", at(3)), ("card_moved", at(8))]
    # The card's activity as the API shows it, newest first.
    activity = ok(
        await client.get(f"{API}/cards/{row.id}/activity", headers=tracker.h(tracker.intern_a))
    )
    newest = activity["items"][0]
    assert (newest["kind"], dt.datetime.fromisoformat(newest["created_at"])) == (
        "card_moved",
        at(7, 12),
    )


async def test_partial_history_is_completed_from_the_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    """Trello's cap cut the creation off: the card is created at its id's time in the
    list of its first move; a card without any action is created where it is."""
    export = TrelloExport()
    lists = kanban(export)
    anna = export.member("a.sidorova", "Анна Сидорова")
    cut = export.card(lists["review"], "Без createCard", 1, created=at(-10))
    export.move_card(cut, lists["todo"], lists["review"], at(2), anna)
    silent = export.card(lists["doing"], "Без действий", 2, created=at(-5))
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    columns = {
        c.kind: c.id for c in await columns_of(session, job["board_id"]) if c.archived_at is None
    }
    row = await card_by_external(session, job["board_id"], cut["id"])
    events = [e for e in await events_of(session, row.id)]
    assert [(e.kind, e.created_at) for e in events] == [
        ("card_created", at(-10)),
        ("card_moved", at(2)),
    ]
    assert events[0].data["column_id"] == columns["todo"]
    assert (events[1].data["from_column_id"], events[1].data["to_column_id"]) == (
        columns["todo"],
        columns["review"],
    )
    assert row.created_at == at(-10)
    quiet = await card_by_external(session, job["board_id"], silent["id"])
    events = await events_of(session, quiet.id)
    assert [(e.kind, e.created_at, e.data["column_id"]) for e in events] == [
        ("card_created", at(-5), columns["in_progress"])
    ]
    assert quiet.created_at == at(-5)
    assert quiet.started_at == at(-5)


async def test_card_in_a_done_list_without_a_move_gets_completed_at(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    done = export.add_list("Готово ✅", 16384)
    anna = export.member("a.sidorova", "Анна Сидорова")
    old = export.card(done, "Сделана до начала истории", 1, created=at(-30), last_activity=at(-2))
    born_done = export.card(done, "Создана сразу в «Готово»", 2, created=at(3))
    export.create_card(born_done, done, at(3, 1), anna)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    assert (await card_by_external(session, job["board_id"], old["id"])).completed_at == at(-2)
    assert (await card_by_external(session, job["board_id"], born_done["id"])).completed_at == at(
        3, 1
    )


async def test_report_warns_when_the_export_holds_trellos_1000_actions(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    full = build_export(cards=150, seed=2)
    assert len(full["actions"]) == 1000
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, full)
    warnings = job["report"]["warnings"]
    assert any("1000 actions" in w and "missing" in w for w in warnings), warnings
    assert job["report"]["counts"]["actions_in_export"] == 1000

    small = build_export(cards=20, seed=5)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, small)
    assert not any("actions" in w for w in job["report"]["warnings"])


async def test_generated_export_imports_every_object(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    """A realistic export (every key Trello writes, arrays out of order, archived lists
    with open cards): each card, checklist item and comment arrives."""
    export = build_export(cards=80, lists=6, members=5, seed=4, closed_lists=2)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    imported_counts = job["report"]["imported"]
    closed_lists = {x["id"] for x in export["lists"] if x["closed"]}
    assert imported_counts["columns"] == 6
    assert imported_counts["cards"] == 80
    # Archived cards, and the open cards of archived lists (archived with their list).
    with_their_list = sum(
        1 for c in export["cards"] if not c["closed"] and c["idList"] in closed_lists
    )
    assert with_their_list > 0
    assert job["report"]["counts"]["cards_archived_with_their_list"] == with_their_list
    assert imported_counts["archived_cards"] == with_their_list + sum(
        1 for c in export["cards"] if c["closed"]
    )
    assert imported_counts["labels"] == len(export["labels"])
    assert imported_counts["checklists"] == len(export["checklists"])
    assert imported_counts["checklist_items"] == sum(
        len(c["checkItems"]) for c in export["checklists"]
    )
    assert imported_counts["comments"] == sum(
        1 for a in export["actions"] if a["type"] == "commentCard"
    )
    assert imported_counts["assignments"] == sum(len(c["idMembers"]) for c in export["cards"])
    web = sum(
        1
        for c in export["cards"]
        for a in c["attachments"]
        if a["url"].startswith(("http://", "https://"))
    )
    assert imported_counts["attachments"] == web
    cards = await cards_of(session, job["board_id"])
    assert sorted(str(c.external_id) for c in cards) == sorted(c["id"] for c in export["cards"])
    by_id = {c["id"]: c for c in export["cards"]}
    assert all(c.description == by_id[c.external_id]["desc"] for c in cards)
    assert all(c.title == by_id[c.external_id]["name"].strip() for c in cards)
    # Within each list, Trello's pos order.
    columns = await columns_of(session, job["board_id"])
    list_of = {c.id: c.external_id for c in columns}
    for column in columns:
        mine = [c for c in cards if c.column_id == column.id]
        expected = sorted(
            (c for c in export["cards"] if c["idList"] == list_of[column.id]),
            key=lambda c: c["pos"],
        )
        assert [c.external_id for c in mine] == [c["id"] for c in expected]
    # Closed lists: archived columns, archived at the time the actions tell, whose
    # cards are all in the archive.
    assert {c.external_id for c in columns if c.archived_at is not None} == closed_lists
    closing = {
        a["data"]["list"]["id"]: a["date"]
        for a in export["actions"]
        if a["type"] == "updateList" and a["data"].get("old", {}).get("closed") is False
    }
    for column in columns:
        if column.archived_at is not None and column.external_id in closing:
            assert column.archived_at == dt.datetime.fromisoformat(closing[column.external_id])
    assert all(c.archived_at is not None for c in cards if list_of[c.column_id] in closed_lists)


async def test_texts_longer_than_internhub_columns_are_cut_and_counted(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport(name="Д" * 250)
    todo = export.add_list("С" * 130, 1)
    long_label = export.label("М" * 120, "green")
    card = export.card(todo, "Ы" * 499 + "👩‍💻", 1, desc="Описание " * 5000, labels=(long_label,))
    export.checklist(card, "Ч" * 201, 1, [("П" * 1001, 1, False)])
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    row = await card_by_external(session, job["board_id"], card["id"])
    assert row.title == "Ы" * 499 + "👩"  # 500 characters
    assert row.description == "Описание " * 5000  # descriptions are not cut
    assert [c.name for c in await columns_of(session, job["board_id"])] == ["С" * 120]
    assert [label.name for label in await labels_of(session, job["board_id"])] == ["М" * 100]
    assert await checklists_of(session, row.id) == [("Ч" * 200, [("П" * 1000, False)])]
    assert job["report"]["counts"]["truncated_texts"] == 6


async def test_due_complete_cards_outside_a_done_list_stay_and_are_not_overdue(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 1)
    done = export.add_list("Готово", 2)
    due = "2024-03-10T12:00:00.000Z"
    stuck = export.card(todo, "Срок выполнен, но не в «Готово»", 1, due=due, due_complete=True)
    export.card(done, "Срок выполнен и в «Готово»", 1, due=due, due_complete=True)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    assert job["report"]["counts"]["due_complete"] == 2
    row = await card_by_external(session, job["board_id"], stuck["id"])
    assert row.completed_at is None
    assert row.due_at == dt.datetime(2024, 3, 10, 12, tzinfo=dt.UTC)
    assert row.due_completed_at is not None


async def test_analytics_see_the_imported_history(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    export = TrelloExport()
    lists = kanban(export)
    anna = export.member("a.sidorova", "Анна Сидорова")
    card = export.card(lists["done"], "Сделана", 1, created=at(0))
    export.create_card(card, lists["todo"], at(0, 1), anna)
    export.move_card(card, lists["todo"], lists["doing"], at(2, 1), anna)
    export.move_card(card, lists["doing"], lists["done"], at(4, 1), anna)
    waiting = export.card(lists["backlog"], "Ждёт", 1, created=at(1))
    export.create_card(waiting, lists["backlog"], at(1, 1), anna)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    flow = ok(
        await client.get(
            f"{API}/boards/{job['board_id']}/analytics/flow",
            params={"date_from": "2024-03-01", "date_to": "2024-03-06"},
            headers=tracker.h(tracker.mentor_a),
        )
    )
    kinds = ("backlog", "todo", "in_progress", "review", "done")
    assert [(d["day"], *(d[k] for k in kinds)) for d in flow["days"]] == [
        ("2024-03-01", 0, 1, 0, 0, 0),
        ("2024-03-02", 1, 1, 0, 0, 0),
        ("2024-03-03", 1, 0, 1, 0, 0),
        ("2024-03-04", 1, 0, 1, 0, 0),
        ("2024-03-05", 1, 0, 0, 0, 1),
        ("2024-03-06", 1, 0, 0, 0, 1),
    ]
