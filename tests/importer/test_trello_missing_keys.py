"""Trello exports with keys missing, null or of an unexpected type, at every level.

Only the board's `id`, `name`, `lists` and `cards`, a list's `id` and a card's `id` and
`idList` are required: without them the import answers 422 naming the key. Everything
else may be absent or null (the import works) or of an unexpected type (the import works
and its report names what was ignored). The matrix runs on the reader and the mapper
(no database); a few whole exports run through the API to the written board.
"""

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.schemas.board_snapshot import BoardSnapshot
from src.importer.exceptions import InvalidExportError
from src.importer.trello_format.board_mapper import MappingReport, trello_to_snapshot
from src.importer.trello_format.trello_export_reader import read_trello_export
from tests.board.conftest import Tracker
from tests.importer.helpers import cards_of, imported, post_import, problem
from tests.importer.trello_builder import EPOCH, TrelloExport

JSON = dict[str, Any]
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def full_board() -> TrelloExport:
    """One of every object the import reads: lists (one archived), labels, members,
    cards with labels, members, dates and an attachment, a checklist, actions."""
    export = TrelloExport(name="Доска", desc="Описание")
    todo = export.add_list("К выполнению", 1)
    done = export.add_list("Готово", 2)
    export.add_list("Старое", 3, closed=True)
    anna = export.member("anna", "Анна Сидорова")
    label = export.label("Бэкенд", "green")
    card = export.card(
        todo,
        "Первая",
        1,
        desc="Текст",
        start="2024-03-01T09:00:00.000Z",
        due="2024-03-05T09:00:00.000Z",
        labels=(label,),
        members=(anna,),
    )
    export.card(done, "Вторая", 1, due_complete=True)
    export.attachment(card, "Макет", "https://example.com/a.png", EPOCH, anna)
    checklist = export.checklist(card, "Шаги", 1, [("Шаг", 1, True)])
    export.create_card(card, todo, EPOCH, anna)
    export.move_card(card, todo, done, EPOCH + dt.timedelta(days=1), anna)
    export.move_card(card, done, todo, EPOCH + dt.timedelta(days=2), anna)
    export.comment(card, "Комментарий", EPOCH + dt.timedelta(days=3), anna)
    export.check_item(card, checklist, 0, EPOCH + dt.timedelta(days=4), anna)
    export.board["labelNames"] = {"green": "Бэкенд", "red": "Срочно"}
    return export


def read_and_map(export: JSON, tmp_path: Path) -> tuple[BoardSnapshot, MappingReport]:
    path = tmp_path / "board.json"
    path.write_bytes(_dumps(export))
    board = read_trello_export(path)
    return trello_to_snapshot(board, people={}, column_kinds={}, now=NOW)


def _dumps(export: JSON) -> bytes:
    import json

    return json.dumps(export, ensure_ascii=False).encode()


# Where each object sits in the export: (name of the level, how to reach its first object).
LEVELS: dict[str, Callable[[JSON], JSON]] = {
    "board": lambda e: e,
    "list": lambda e: e["lists"][0],
    "card": lambda e: e["cards"][0],
    "attachment": lambda e: e["cards"][0]["attachments"][0],
    "card label": lambda e: e["cards"][0]["labels"][0],
    "checklist": lambda e: e["checklists"][0],
    "check item": lambda e: e["checklists"][0]["checkItems"][0],
    "action": lambda e: next(a for a in e["actions"] if a["type"] == "commentCard"),
    "action data": lambda e: next(a for a in e["actions"] if a["type"] == "commentCard")["data"],
    "move data": lambda e: next(
        a for a in e["actions"] if a["type"] == "updateCard" and "listAfter" in a["data"]
    )["data"],
    "member": lambda e: e["members"][0],
    "label": lambda e: e["labels"][0],
}
# How each level names its keys in messages and the report.
PATHS = {
    "board": "",
    "list": "lists[].",
    "card": "cards[].",
    "attachment": "cards[].attachments[].",
    "card label": "cards[].labels[].",
    "checklist": "checklists[].",
    "check item": "checklists[].checkItems[].",
    "action": "actions[].",
    "action data": "actions[].data.",
    "move data": "actions[].data.",
    "member": "members[].",
    "label": "labels[].",
}
KEYS: dict[str, list[str]] = {
    "board": [
        "id",
        "name",
        "lists",
        "cards",
        "desc",
        "labelNames",
        "labels",
        "members",
        "checklists",
        "actions",
        "customFields",
    ],
    "list": ["id", "name", "closed", "pos"],
    "card": [
        "id",
        "idList",
        "name",
        "desc",
        "closed",
        "pos",
        "start",
        "due",
        "dueComplete",
        "idLabels",
        "idMembers",
        "labels",
        "attachments",
        "dateLastActivity",
    ],
    "attachment": ["name", "url", "date", "idMember"],
    "card label": ["id", "name", "color"],
    "checklist": ["id", "idCard", "name", "pos", "checkItems"],
    "check item": ["id", "name", "pos", "state", "due"],
    "action": ["id", "type", "date", "data", "memberCreator", "idMemberCreator"],
    "action data": ["text", "card"],
    "move data": ["listBefore", "listAfter", "card"],
    "member": ["id", "username", "fullName"],
    "label": ["id", "name", "color"],
}
REQUIRED = {
    ("board", "id"),
    ("board", "name"),
    ("board", "lists"),
    ("board", "cards"),
    ("list", "id"),
    ("card", "id"),
    ("card", "idList"),
}
# A value of the wrong type for each kind of key.
WRONG: dict[str, Any] = {
    "lists": "text",
    "cards": "text",
    "labels": 7,
    "members": "text",
    "checklists": 7,
    "actions": "text",
    "customFields": 7,
    "labelNames": ["green"],
    "idLabels": "text",
    "idMembers": 7,
    "attachments": {"url": "x"},
    "checkItems": "text",
    "data": "text",
    "card": "text",
    "listBefore": 7,
    "listAfter": ["x"],
    "memberCreator": "text",
    "closed": "yes",
    "dueComplete": "yes",
    "pos": {"top": True},
}


def _wrong(key: str) -> Any:
    return WRONG.get(key, ["not", "a", "string"])


CASES = [
    pytest.param(level, key, variant, id=f"{level}.{key}-{variant}")
    for level, keys in KEYS.items()
    for key in keys
    for variant in ("missing", "null", "wrong type")
]


@pytest.mark.parametrize(("level", "key", "variant"), CASES)
def test_every_key_missing_null_or_mistyped_imports_or_is_named(
    tmp_path: Path, level: str, key: str, variant: str
) -> None:
    export = full_board().to_dict()
    target = LEVELS[level](export)
    if variant == "missing":
        del target[key]
    elif variant == "null":
        target[key] = None
    else:
        target[key] = _wrong(key)
    named = f"{PATHS[level].replace('[]', '[0]')}{key}"

    if (level, key) in REQUIRED:
        with pytest.raises(InvalidExportError) as raised:
            read_and_map(export, tmp_path)
        assert repr(key) in raised.value.detail or named in raised.value.detail, raised.value.detail
        return
    snapshot, report = read_and_map(export, tmp_path)
    assert snapshot.name == "Доска"
    assert [c.title for c in snapshot.cards if c.archived_at is None] != [] or level == "list"
    if variant == "wrong type" and key not in {"customFields"}:
        # The report names what it passed over.
        where = f"{PATHS[level]}{key}"
        assert any(where in warning for warning in report.warnings), (where, report.warnings)


def test_a_board_with_only_the_required_keys_imports(tmp_path: Path) -> None:
    export = {
        "id": "5f1a00000000000000000001",
        "name": "Голая доска",
        "lists": [{"id": "l1"}],
        "cards": [{"id": "c1", "idList": "l1"}, {"id": "c2", "idList": "l1", "name": "Вторая"}],
    }
    snapshot, report = read_and_map(export, tmp_path)
    assert [c.name for c in snapshot.columns] == ["—"]
    assert [c.title for c in snapshot.cards] == ["—", "Вторая"]
    assert snapshot.description == ""
    assert report.skipped == []


# --- through the API ---------------------------------------------------------------------


def _strip(export: JSON, *, keep: set[str], value: Callable[[str], Any] | None) -> None:
    """Every optional key of the export's objects removed (or set to `value(key)`)."""

    def visit(node: Any, required: set[str]) -> None:
        if isinstance(node, dict):
            for key in list(node):
                if key in required:
                    continue
                if value is None:
                    del node[key]
                else:
                    node[key] = value(key)

    visit(export, {"id", "name", "lists", "cards"} | keep)
    for item in export["lists"]:
        visit(item, {"id"})
    for card in export["cards"]:
        visit(card, {"id", "idList"})


@pytest.mark.parametrize("variant", ["missing", "null", "wrong type"])
async def test_optional_keys_missing_null_or_mistyped_import_through_the_api(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker, variant: str
) -> None:
    export = full_board().to_dict()
    if variant == "missing":
        _strip(export, keep=set(), value=None)
    elif variant == "null":
        _strip(export, keep=set(), value=lambda key: None)
    else:
        _strip(export, keep=set(), value=_wrong)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    assert [c.title for c in await cards_of(session, job["board_id"])] == ["—", "—"]
    if variant == "wrong type":
        assert any("cards[].desc" in w for w in job["report"]["warnings"])


@pytest.mark.parametrize("key", ["labelNames", "desc"])
async def test_an_export_without_label_names_or_description_imports(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker, key: str
) -> None:
    """Issue 14, item 3: these two crashed the import (500 over HTTP)."""
    export = full_board().to_dict()
    del export[key]
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    titles = [c.title for c in await cards_of(session, job["board_id"])]
    assert titles == ["Первая", "Вторая"]


async def test_an_internhub_export_sent_as_a_trello_export_says_so(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    document = {"format": "internhub.board", "version": 1, "board": {"name": "Доска"}}
    response = await post_import(client, tracker.h(tracker.admin), tracker.project_b_id, document)
    detail = problem(response, 422, "invalid_export")["detail"]
    assert detail.startswith("This is an InternHub board export"), detail
    assert "/imports/internhub" in detail
    assert "import-board" in detail


async def test_a_trello_export_sent_as_an_internhub_export_says_so(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    response = await post_import(
        client,
        tracker.h(tracker.admin),
        tracker.project_b_id,
        full_board(),
        source="internhub",
    )
    detail = problem(response, 422, "invalid_export")["detail"]
    assert detail.startswith("This is a Trello board export"), detail
    assert "/imports/trello" in detail
    assert "import-trello" in detail
