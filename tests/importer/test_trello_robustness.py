"""Files that are no Trello board export, or not quite one; limits; second imports;
failures that must leave nothing behind."""

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from bench.trello_export import build_export
from src.board.models.board_model import BoardColumn, Label
from src.board.models.card_detail_model import Comment
from src.board.models.card_model import Card
from src.board.schemas.board_snapshot import BoardSnapshot, CardSnapshot
from src.board.services.board_transfer_service import board_transfer_service
from src.config.project_config import get_settings
from src.importer.services import board_import_service as import_service_module
from src.importer.trello_format import board_mapper
from src.main import create_app
from src.user.user_model import User
from tests.board.conftest import Tracker
from tests.importer.helpers import (
    API,
    DATA,
    boards_of,
    cards_of,
    columns_of,
    count,
    finished_job,
    get_job,
    imported,
    jobs_of,
    ok,
    post_import,
    problem,
    stored_uploads,
)
from tests.importer.trello_builder import TrelloExport


def small_board() -> TrelloExport:
    export = TrelloExport(name="Маленькая доска")
    todo = export.add_list("К выполнению", 16384)
    done = export.add_list("Готово", 32768)
    anna = export.member("a.sidorova", "Анна Сидорова")
    stranger = export.member("new.person", "Новый Человек")
    label = export.label("Бэкенд", "orange")
    card = export.card(todo, "Первая", 1, labels=(label,), members=(anna, stranger))
    export.card(done, "Вторая", 1)
    export.checklist(card, "Шаги", 1, [("Шаг", 1, True)])
    export.comment(card, "Комментарий", export.created, anna)
    return export


async def assert_nothing_left(
    session: AsyncSession, tracker: Tracker, uploads_before: set[str], users_before: int
) -> None:
    """No job, no board besides the default one, no stored upload, no new user."""
    assert await jobs_of(session, tracker.project_a_id) == []
    assert [b.id for b in await boards_of(session, tracker.project_a_id)] == [tracker.board_id]
    assert stored_uploads() == uploads_before
    assert await count(session, User) == users_before


# --- files that are no board export ----------------------------------------------------


async def test_malformed_json_is_refused_naming_the_problem_and_leaves_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    uploads, users = stored_uploads(), await count(session, User)
    response = await post_import(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        (DATA / "malformed.json").read_bytes(),
    )
    body = problem(response, 422, "invalid_export")
    assert body["detail"].startswith("The file is not valid JSON: ")
    assert body["detail"].endswith("premature EOF.")
    assert body["errors"][0]["loc"] == ["body", "file"]
    await assert_nothing_left(session, tracker, uploads, users)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        pytest.param(
            (DATA / "not_a_board.json").read_bytes(), "'id' is missing", id="package.json"
        ),
        pytest.param(b"{}", "'id' is missing", id="empty-object"),
        pytest.param(b'[{"id": "651a4bfcdd73cf256d000001"}]', "one JSON object", id="array"),
        pytest.param(b'"board"', "one JSON object", id="string"),
        pytest.param(b"", "not valid JSON", id="empty-file"),
        pytest.param(b'{"id": "x", "name": "y"} {}', "not valid JSON", id="two-documents"),
        pytest.param(
            '{"id": "абв"}'.encode("cp1251"),
            "not valid JSON: lexical error: invalid bytes in UTF8 string.",
            id="not-utf8",
        ),
    ],
)
async def test_json_that_is_no_trello_export_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    content: bytes,
    named: str,
) -> None:
    uploads, users = stored_uploads(), await count(session, User)
    response = await post_import(client, tracker.h(tracker.mentor_a), tracker.project_a_id, content)
    body = problem(response, 422, "invalid_export")
    assert named in body["detail"], body["detail"]
    await assert_nothing_left(session, tracker, uploads, users)


def _without(key: str) -> Callable[[dict[str, Any]], None]:
    def edit(export: dict[str, Any]) -> None:
        del export[key]

    return edit


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(export: dict[str, Any]) -> None:
        export[key] = value

    return edit


def _first(array: str, key: str, value: Any = None) -> Callable[[dict[str, Any]], None]:
    def edit(export: dict[str, Any]) -> None:
        if value is None:
            del export[array][0][key]
        else:
            export[array][0][key] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        pytest.param(_without("id"), "the key 'id' is missing", id="no-id"),
        pytest.param(_without("name"), "the key 'name' is missing", id="no-name"),
        pytest.param(_without("lists"), "the key 'lists' is missing", id="no-lists"),
        pytest.param(_without("cards"), "the key 'cards' is missing", id="no-cards"),
        pytest.param(_first("cards", "idList"), "cards[0] has no 'idList'", id="card-no-idList"),
        pytest.param(_first("cards", "id"), "cards[0] has no 'id'", id="card-no-id"),
        pytest.param(_first("lists", "id"), "lists[0] has no 'id'", id="list-no-id"),
        pytest.param(_set("id", 42), "'id' must hold a string", id="id-number"),
        pytest.param(_set("lists", "not an array"), "'lists' must hold an array", id="lists-text"),
        pytest.param(_set("cards", {"0": {}}), "'cards' must hold an array", id="cards-object"),
        pytest.param(_set("cards", None), "'cards' must hold an array", id="cards-null"),
        pytest.param(_set("cards", [1, 2]), "cards[0] must be an object", id="card-number"),
        pytest.param(
            _first("cards", "idList", 7), "cards[0].idList must be a string", id="idList-7"
        ),
    ],
)
async def test_missing_or_mistyped_required_keys_are_named(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    edit: Callable[[dict[str, Any]], None],
    named: str,
) -> None:
    export = small_board().to_dict()
    edit(export)
    uploads, users = stored_uploads(), await count(session, User)
    response = await post_import(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    body = problem(response, 422, "invalid_export")
    assert named in body["detail"], body["detail"]
    await assert_nothing_left(session, tracker, uploads, users)


async def test_unknown_extra_keys_are_ignored(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = small_board().to_dict()
    export["aiSummary"] = {"enabled": True, "model": {"nested": [1, 2, {"deep": None}]}}
    export["boardViews"] = [{"id": "x", "type": "timeline"}]
    export["labelNames"] = None
    export["customFields"] = None
    export["lists"][0]["futureFlag"] = [True]
    export["cards"][0]["badges"] = None
    export["cards"][0]["votesByEmoji"] = {"👍": 3}
    export["cards"][1]["attachments"] = [None, 5, {"name": "без url"}]
    export["checklists"][0]["checkItems"].append("not an item")
    export["actions"].append({"type": "commentCard", "date": "вчера", "data": {}})
    export["actions"].append({"type": "unknownAction", "date": "2024-03-01T09:00:00.000Z"})
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    assert [c.title for c in await cards_of(session, job["board_id"])] == ["Первая", "Вторая"]
    assert job["report"]["imported"]["comments"] == 1
    assert job["report"]["imported"]["checklist_items"] == 1
    assert job["report"]["counts"]["skipped_attachment"] == 1


async def test_empty_board_imports_with_no_cards(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    minimal = json.loads((DATA / "minimal_board.json").read_text(encoding="utf-8"))
    assert minimal["cards"] == []
    assert minimal["lists"] == []
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, minimal)

    assert job["report"]["imported"]["cards"] == 0
    assert job["report"]["imported"]["columns"] == 0
    assert await cards_of(session, job["board_id"]) == []
    assert await columns_of(session, job["board_id"]) == []
    board = ok(
        await client.get(f"{API}/boards/{job['board_id']}", headers=tracker.h(tracker.mentor_a))
    )
    assert board["name"] == minimal["name"]
    assert board["columns"] == []


async def test_a_file_over_the_limit_is_refused_with_413(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = small_board().to_bytes()
    monkeypatch.setattr(get_settings(), "import_max_bytes", len(body) - 1)
    uploads, users = stored_uploads(), await count(session, User)
    response = await post_import(client, tracker.h(tracker.mentor_a), tracker.project_a_id, body)
    assert str(len(body) - 1) in problem(response, 413, "payload_too_large")["detail"]
    await assert_nothing_left(session, tracker, uploads, users)

    monkeypatch.setattr(get_settings(), "import_max_bytes", len(body))
    await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, body)


async def test_a_file_far_over_the_limit_is_cut_off_before_it_is_read(
    app: FastAPI,
    session: AsyncSession,
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The request body limit of the import routes follows IMPORT_MAX_BYTES (with room
    for the multipart envelope): an app started with a small limit stops the upload."""
    monkeypatch.setattr(get_settings(), "import_max_bytes", 10_000)
    small_limit_app = create_app(get_settings())
    small_limit_app.state.database = app.state.database
    body = build_export(cards=120, seed=8)
    assert len(json.dumps(body).encode()) > 10_000 + 65_536
    uploads, users = stored_uploads(), await count(session, User)
    transport = httpx.ASGITransport(app=small_limit_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await post_import(
            client, tracker.h(tracker.mentor_a), tracker.project_a_id, body
        )
    problem(response, 413)
    await assert_nothing_left(session, tracker, uploads, users)


# --- a second import of the same export ------------------------------------------------


async def test_second_import_of_the_same_export_is_refused_unless_a_copy_is_asked(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export = small_board()
    headers = tracker.h(tracker.mentor_a)
    first = await imported(client, headers, tracker.project_a_id, export)
    uploads = stored_uploads()

    again = await post_import(client, headers, tracker.project_a_id, export)
    body = problem(again, 409, "already_imported")
    assert body["board_id"] == first["board_id"]
    assert "allow_copy" in body["detail"]
    assert len(await jobs_of(session, tracker.project_a_id)) == 1
    assert stored_uploads() == uploads
    # The same export, re-downloaded from Trello later (other bytes, same board id).
    changed = json.loads(export.to_bytes())
    changed["cards"][0]["name"] = "Переименована"
    problem(await post_import(client, headers, tracker.project_a_id, changed), 409)

    copy = await imported(client, headers, tracker.project_a_id, export, allow_copy=True)
    assert copy["board_id"] != first["board_id"]
    boards = await boards_of(session, tracker.project_a_id)
    assert [b.id for b in boards] == [tracker.board_id, first["board_id"], copy["board_id"]]
    assert boards[1].external_id == boards[2].external_id == f"trello:{export.id}"
    assert [c.title for c in await cards_of(session, copy["board_id"])] == ["Первая", "Вторая"]
    # The copy reused the placeholder the first import made.
    assert [p["matched_by"] for p in copy["report"]["people"]] == ["username", "placeholder"]
    # Another project is not concerned.
    other = await imported(client, tracker.h(tracker.admin), tracker.project_b_id, export)
    assert other["board_id"] not in (first["board_id"], copy["board_id"])

    listed = ok(await client.get(f"{API}/projects/{tracker.project_a_id}/imports", headers=headers))
    assert listed["total"] == 2
    assert [j["board_id"] for j in listed["items"]] == [copy["board_id"], first["board_id"]]


# --- failures leave nothing behind -------------------------------------------------------


def _fail_after_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole board is written, then the import breaks (before it commits)."""
    original = board_transfer_service.write_snapshot

    async def write_then_fail(*args: Any, **kwargs: Any) -> Any:
        result = await original(*args, **kwargs)
        raise RuntimeError(f"disk full after board {result.board_id}")

    monkeypatch.setattr(board_transfer_service, "write_snapshot", write_then_fail)


def _card_in_a_missing_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """The snapshot's last card names a column the snapshot lacks: the board, its
    columns and labels are written when the writer meets it."""
    original = board_mapper.trello_to_snapshot

    def broken(*args: Any, **kwargs: Any) -> tuple[BoardSnapshot, Any]:
        snapshot, report = original(*args, **kwargs)
        last = snapshot.cards[-1]
        snapshot.cards.append(
            CardSnapshot(column_key="no-such-column", title="Сирота", created_at=last.created_at)
        )
        return snapshot, report

    monkeypatch.setattr(import_service_module, "trello_to_snapshot", broken)


@pytest.mark.parametrize("break_it", [_fail_after_writing, _card_in_a_missing_column])
async def test_a_failed_import_leaves_nothing_behind_and_can_be_retried(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    monkeypatch: pytest.MonkeyPatch,
    break_it: Callable[[pytest.MonkeyPatch], None],
) -> None:
    export = small_board()
    headers = tracker.h(tracker.mentor_a)
    users = await count(session, User)
    uploads = stored_uploads()
    with monkeypatch.context() as patch:
        break_it(patch)
        job = await finished_job(client, headers, tracker.project_a_id, export)

    assert job["status"] == "failed"
    assert job["stage"] == "failed"
    assert job["error"] == "The import failed unexpectedly; nothing was imported. Retry it."
    assert job["board_id"] is None
    assert job["report"] is None
    assert job["attempts"] == 1
    assert job["finished_at"] is not None
    assert [b.id for b in await boards_of(session, tracker.project_a_id)] == [tracker.board_id]
    card_ids = [c["id"] for c in export.cards]
    assert await count(session, Card, Card.external_id.in_(card_ids)) == 0
    assert (
        await count(
            session, BoardColumn, BoardColumn.external_id.in_([x["id"] for x in export.lists])
        )
        == 0
    )
    assert await count(session, Label, Label.external_id.in_([x["id"] for x in export.labels])) == 0
    assert (
        await count(session, Comment, Comment.external_id.in_([a["id"] for a in export.actions]))
        == 0
    )
    assert await count(session, User) == users  # the placeholder went with the rest
    # The upload stays for the retry.
    kept = stored_uploads() - uploads
    assert len(kept) == 1

    retried = ok(await client.post(f"{API}/imports/{job['id']}/retry", headers=headers), 202)
    assert retried["status"] == "queued"
    assert retried["error"] is None
    done = await get_job(client, headers, job["id"])
    assert done["status"] == "succeeded", done
    assert done["attempts"] == 2
    assert done["error"] is None
    assert [c.title for c in await cards_of(session, done["board_id"])] == ["Первая", "Вторая"]
    assert await count(session, User) == users + 1
    assert stored_uploads() == uploads  # removed once the import succeeded
    again = await client.post(f"{API}/imports/{job['id']}/retry", headers=headers)
    assert "failed import" in problem(again, 409, "import_not_retryable")["detail"]
