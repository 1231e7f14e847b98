"""Trello data that imports used to drop (issue 14, item 16): ticked due dates, comment
edit times, what went with a card left out, and column kinds in other languages."""

import datetime as dt

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.importer.trello_format.list_mapper import guess_column_kind
from tests.board.conftest import Tracker
from tests.importer.helpers import (
    API,
    card_by_external,
    columns_of,
    comments_of,
    imported,
    ok,
)
from tests.importer.trello_builder import EPOCH, TrelloExport


def at(days: float) -> dt.datetime:
    return EPOCH + dt.timedelta(days=days)


# --- due dates ticked as done ------------------------------------------------------------


async def test_a_ticked_due_date_is_not_overdue(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    """A card whose due date Trello shows as complete, in a column that is no "done"
    one, keeps its due date without being overdue, on the board and in its filters."""
    export = TrelloExport()
    doing = export.add_list("В работе", 1)
    anna = export.member("anna", "Анна Сидорова")
    ticked = export.card(doing, "Сдана вовремя", 1, due="2024-03-05T09:00:00.000Z")
    export.complete_due(ticked, at(3), anna)
    ticked_long_ago = export.card(
        doing, "Отмечена до истории", 2, due="2024-03-05T09:00:00.000Z", due_complete=True
    )
    late = export.card(doing, "Просрочена", 3, due="2024-03-05T09:00:00.000Z")
    headers = tracker.h(tracker.mentor_a)
    job = await imported(client, headers, tracker.project_a_id, export)
    board_id = job["board_id"]

    card = await card_by_external(session, board_id, ticked["id"])
    assert card.due_completed_at == at(3)
    assert card.completed_at is None  # still in its column: not "done"
    earlier = await card_by_external(session, board_id, ticked_long_ago["id"])
    assert earlier.due_completed_at is not None
    assert (await card_by_external(session, board_id, late["id"])).due_completed_at is None
    assert job["report"]["counts"]["due_complete"] == 2

    board = ok(await client.get(f"{API}/boards/{board_id}", headers=headers))
    shown = {c["title"]: c["due_completed_at"] for c in board["columns"][0]["cards"]}
    assert shown["Сдана вовремя"] is not None
    assert shown["Просрочена"] is None
    overdue = ok(await client.get(f"{API}/boards/{board_id}?due=overdue", headers=headers))
    assert [c["title"] for c in overdue["columns"][0]["cards"]] == ["Просрочена"]
    read = ok(await client.get(f"{API}/cards/{card.id}", headers=headers))
    assert read["due_completed_at"] is not None

    # Cleared by hand, the due date counts as overdue again.
    cleared = await client.patch(
        f"{API}/cards/{card.id}", json={"due_completed_at": None}, headers=headers
    )
    assert ok(cleared)["due_completed_at"] is None
    overdue = ok(await client.get(f"{API}/boards/{board_id}?due=overdue", headers=headers))
    assert [c["title"] for c in overdue["columns"][0]["cards"]] == ["Сдана вовремя", "Просрочена"]


# --- comments ------------------------------------------------------------------------------


async def test_edited_comments_keep_their_edit_time(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 1)
    anna = export.member("anna", "Анна Сидорова")
    card = export.card(todo, "Задача", 1)
    edited = export.comment(card, "Черновик", at(1), anna)
    export.edit_comment(edited, "Исправлено", at(2))
    logged_only = export.comment(card, "Старый текст", at(3), anna)
    export.edit_comment(logged_only, "Новый текст", at(4))
    del logged_only["data"]["dateLastEdited"]  # only the updateComment action tells
    export.comment(card, "Как есть", at(5), anna)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    row = await card_by_external(session, job["board_id"], card["id"])
    comments = await comments_of(session, row.id)
    assert [(c.body, c.created_at, c.edited_at) for c in comments] == [
        ("Исправлено", at(1), at(2)),
        ("Новый текст", at(3), at(4)),
        ("Как есть", at(5), None),
    ]


# --- what goes with a card left out ----------------------------------------------------------


async def test_a_left_out_cards_comments_and_checklist_items_are_counted(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("К выполнению", 1)
    anna = export.member("anna", "Анна Сидорова")
    kept = export.card(todo, "Остаётся", 1)
    orphan = export.card(todo, "Без списка", 2)
    export.comment(orphan, "Первый", at(1), anna)
    export.comment(orphan, "Второй", at(2), anna)
    export.checklist(orphan, "Шаги", 1, [("Раз", 1, True), ("Два", 2, False)])
    export.checklist(orphan, "Ещё", 2, [("Три", 1, False)])
    export.comment(kept, "Остаётся тоже", at(3), anna)
    orphan["idList"] = "5a0000000000000000000bad"  # a list the export does not hold
    deleted = dict(kept, id="5a0000000000000000000dea")  # a card no longer in the export
    export.comment(deleted, "К удалённой карточке", at(4), anna)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    counts = job["report"]["counts"]
    assert counts["skipped_card"] == 1
    assert counts["skipped_checklist"] == 2
    assert counts["skipped_checklist_item"] == 3
    assert counts["skipped_comment"] == 3  # two of the card left out, one of a deleted card
    assert job["report"]["imported"]["comments"] == 1
    reasons = {(s["what"], s["reason"]) for s in job["report"]["skipped"]}
    assert ("comment", "its card is not in the export") in reasons


# --- column kinds ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("TERMINADO", "done"),
        ("Finalizado", "done"),
        ("HACIENDO", "in_progress"),
        ("Pendiente", "todo"),
        ("Por hacer", "todo"),
        ("En revisión", "review"),
        ("A fazer", "todo"),
        ("Fazendo", "in_progress"),
        ("Concluído", "done"),
        ("Zu erledigen", "todo"),
        ("In Arbeit", "in_progress"),
        ("Erledigt ✔", "done"),
        ("À faire", "todo"),
        ("En cours", "in_progress"),
        ("Terminé", "done"),
        ("Зробити", "todo"),
        ("У роботі", "in_progress"),
        ("Виконано", "done"),
        ("На перевірці", "review"),
        ("✅ Готово", "done"),
        ("In-Progress", "in_progress"),
        ("To-Do", "todo"),
        ("Code review", "review"),
        ("Backlog 💡", "backlog"),
        ("已完成", "done"),
        # A hint inside a word is no hint: «Подготовка» is not «Готово».
        ("Подготовка", None),
        ("Incomplete tasks", None),
        ("Разное", None),
    ],
)
def test_column_kinds_are_guessed_from_names_in_several_languages(
    name: str, kind: str | None
) -> None:
    assert guess_column_kind(name) == kind


async def test_the_report_says_how_each_column_got_its_kind_and_how_to_choose(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = TrelloExport()
    export.add_list("Pendiente", 1)
    export.add_list("HACIENDO", 2)
    export.add_list("Прочее", 3)
    export.add_list("TERMINADO", 4)
    job = await imported(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        export,
        column_kinds={"прочее": "review"},
    )

    assert [(c.name, c.kind) for c in await columns_of(session, job["board_id"])] == [
        ("Pendiente", "todo"),
        ("HACIENDO", "in_progress"),
        ("Прочее", "review"),
        ("TERMINADO", "done"),
    ]
    assert [(c["name"], c["kind"], c["kind_from"]) for c in job["report"]["columns"]] == [
        ("Pendiente", "todo", "name"),
        ("HACIENDO", "in_progress", "name"),
        ("Прочее", "review", "column_kinds"),
        ("TERMINADO", "done", "name"),
    ]
    [guessed] = [w for w in job["report"]["warnings"] if w.startswith("Column kinds guessed")]
    assert "«HACIENDO» → in_progress" in guessed
    assert "Прочее" not in guessed
    assert "column_kinds" in guessed
    assert "--column-kind" in guessed
