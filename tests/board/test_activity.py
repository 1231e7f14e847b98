"""The activity log: every change leaves an event with its actor; feeds newest first with
a cursor."""

import base64
from typing import Any

import httpx
import pytest

from tests.board.conftest import Tracker
from tests.board.helpers import API, create_card, move_card, ok, problem


async def _feed(client: httpx.AsyncClient, headers: dict[str, str], url: str) -> list[dict]:
    page = ok(await client.get(url, params={"limit": 200}, headers=headers))
    assert page["next_cursor"] is None
    return page["items"]  # type: ignore[no-any-return]


async def _walk(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, limit: int
) -> list[dict[str, Any]]:
    """Every page of a feed, following `next_cursor`."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(100):
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        page = ok(await client.get(url, params=params, headers=headers))
        assert len(page["items"]) <= limit
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert len(page["items"]) == limit
    raise AssertionError("the cursor never ends")


async def _busy_card(client: httpx.AsyncClient, tracker: Tracker) -> tuple[int, dict[str, int]]:
    """A card that went through everything; returns its id and who did what."""
    anna, petr, mentor = (
        tracker.h(tracker.intern_a),
        tracker.h(tracker.intern_a2),
        tracker.h(tracker.mentor_a),
    )
    card = await create_card(
        client, anna, tracker.board_id, "Черновик", assignee_ids=[tracker.intern_a.id]
    )
    card_id = card["id"]
    ok(await client.patch(f"{API}/cards/{card_id}", json={"title": "Отчёт"}, headers=petr))
    ok(
        await client.patch(
            f"{API}/cards/{card_id}",
            json={"assignee_ids": [tracker.intern_a2.id]},
            headers=mentor,
        )
    )
    ok(
        await client.patch(
            f"{API}/cards/{card_id}", json={"due_at": "2026-05-01T12:00:00+00:00"}, headers=anna
        )
    )
    ok(await move_card(client, petr, card_id, column_id=tracker.columns["in_progress"]))
    ok(
        await client.post(f"{API}/cards/{card_id}/comments", json={"body": "Начал"}, headers=petr),
        201,
    )
    checklist = ok(
        await client.post(
            f"{API}/cards/{card_id}/checklists", json={"title": "Шаги"}, headers=anna
        ),
        201,
    )
    item = ok(
        await client.post(
            f"{API}/cards/{card_id}/checklists/{checklist['id']}/items",
            json={"text": "Собрать данные"},
            headers=anna,
        ),
        201,
    )
    item_url = f"{API}/cards/{card_id}/checklist-items/{item['id']}"
    ok(await client.patch(item_url, json={"is_done": True}, headers=petr))
    ok(await client.patch(item_url, json={"is_done": False}, headers=mentor))
    ok(
        await client.post(
            f"{API}/cards/{card_id}/attachments",
            files={"file": ("план.txt", b"plan", "text/plain")},
            headers=anna,
        ),
        201,
    )
    ok(
        await client.post(
            f"{API}/cards/{card_id}/attachments/links",
            json={"url": "https://example.com/spec"},
            headers=petr,
        ),
        201,
    )
    ok(await client.post(f"{API}/cards/{card_id}/archive", headers=mentor))
    ok(await client.post(f"{API}/cards/{card_id}/restore", headers=anna))
    return card_id, {
        "anna": tracker.intern_a.id,
        "petr": tracker.intern_a2.id,
        "mentor": tracker.mentor_a.id,
    }


async def test_card_activity_records_every_change_newest_first_with_actors(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id, who = await _busy_card(client, tracker)
    items = await _feed(client, tracker.h(tracker.observer), f"{API}/cards/{card_id}/activity")
    ids = [e["id"] for e in items]
    assert ids == sorted(ids, reverse=True)
    assert all(e["card_id"] == card_id and e["board_id"] == tracker.board_id for e in items)
    chronological = [(e["kind"], e["actor_id"]) for e in reversed(items)]
    assert chronological == [
        ("card_created", who["anna"]),
        ("card_renamed", who["petr"]),
        ("card_assigned", who["mentor"]),
        ("card_unassigned", who["mentor"]),
        ("card_due_changed", who["anna"]),
        ("card_moved", who["petr"]),
        ("comment_added", who["petr"]),
        ("checklist_added", who["anna"]),
        ("checklist_item_added", who["anna"]),
        ("checklist_item_done", who["petr"]),
        ("checklist_item_undone", who["mentor"]),
        ("attachment_added", who["anna"]),
        ("attachment_added", who["petr"]),
        ("card_archived", who["mentor"]),
        ("card_restored", who["anna"]),
    ]
    data = {e["kind"]: e["data"] for e in reversed(items)}
    assert data["card_renamed"] == {"from": "Черновик", "to": "Отчёт"}
    assert data["card_assigned"] == {"user_id": who["petr"]}
    assert data["card_unassigned"] == {"user_id": who["anna"]}
    assert data["card_due_changed"]["from"] is None
    assert data["card_due_changed"]["to"].startswith("2026-05-01T12:00:00")
    assert data["card_moved"]["to_kind"] == "in_progress"
    assert data["checklist_item_undone"]["text"] == "Собрать данные"
    attachments = [e["data"] for e in reversed(items) if e["kind"] == "attachment_added"]
    assert attachments[0]["filename"] == "план.txt"
    assert attachments[1]["url"] == "https://example.com/spec"


async def test_card_activity_cursor_walks_every_event_once(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card_id, _ = await _busy_card(client, tracker)
    headers = tracker.h(tracker.intern_a)
    url = f"{API}/cards/{card_id}/activity"
    everything = await _feed(client, headers, url)
    assert len(everything) == 15
    for limit in (1, 4, 15):
        walked = await _walk(client, headers, url, limit)
        assert [e["id"] for e in walked] == [e["id"] for e in everything]


async def test_board_activity_is_newest_first_with_a_working_cursor(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    mentor = tracker.h(tracker.mentor_a)
    column = ok(
        await client.post(
            f"{API}/boards/{tracker.board_id}/columns", json={"name": "Тесты"}, headers=mentor
        ),
        201,
    )
    card_id, _ = await _busy_card(client, tracker)
    other = await create_card(client, mentor, tracker.board_id, "Вторая")
    ok(
        await client.patch(
            f"{API}/boards/{tracker.board_id}", json={"name": "Доска"}, headers=mentor
        )
    )
    url = f"{API}/boards/{tracker.board_id}/activity"
    headers = tracker.h(tracker.intern_a2)
    everything = await _feed(client, headers, url)
    kinds = [e["kind"] for e in everything]
    assert kinds[0] == "board_updated"
    assert kinds[1] == "card_created"
    assert everything[1]["card_id"] == other["id"]
    assert kinds[-1] == "column_created"
    assert everything[-1]["data"]["column_id"] == column["id"]
    assert everything[-1]["actor_id"] == tracker.mentor_a.id
    assert sum(1 for e in everything if e["card_id"] == card_id) == 15
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids, reverse=True)
    walked = await _walk(client, headers, url, 5)
    assert [e["id"] for e in walked] == ids


async def test_board_activity_does_not_mix_boards(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    await create_card(client, tracker.h(tracker.intern_b), tracker.board_b_id, "У Беты")
    await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "У Альфы")
    items = await _feed(
        client, tracker.h(tracker.intern_a), f"{API}/boards/{tracker.board_id}/activity"
    )
    assert {e["board_id"] for e in items} == {tracker.board_id}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!!",
        "zzzz",
        _b64(b"e0"),
        _b64(b"e-5"),
        _b64(b"x12"),
        _b64(b"e99999999999999999999999"),
        _b64(b"\xff\xfe"),
    ],
)
async def test_garbage_cursor_is_a_client_error(
    client: httpx.AsyncClient, tracker: Tracker, cursor: str
) -> None:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Задача")
    headers = tracker.h(tracker.intern_a)
    for url in (f"{API}/cards/{card['id']}/activity", f"{API}/boards/{tracker.board_id}/activity"):
        response = await client.get(url, params={"cursor": cursor}, headers=headers)
        problem(response, 400)


async def test_overlong_cursor_is_422(client: httpx.AsyncClient, tracker: Tracker) -> None:
    response = await client.get(
        f"{API}/boards/{tracker.board_id}/activity",
        params={"cursor": "e" * 65},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 422, "validation_error")


async def test_activity_of_another_teams_card_is_404(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Задача")
    headers = tracker.h(tracker.intern_b)
    problem(await client.get(f"{API}/cards/{card['id']}/activity", headers=headers), 404)
    problem(await client.get(f"{API}/boards/{tracker.board_id}/activity", headers=headers), 404)
