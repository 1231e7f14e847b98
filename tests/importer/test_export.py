"""Board exports: InternHub's JSON format imports back without loss (round trips), the
CSV table, and imports of InternHub exports that are not right."""

import csv
import io
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bench.trello_export import build_export
from tests.board.conftest import Tracker
from tests.board.helpers import create_card, move_card
from tests.importer.helpers import (
    API,
    boards_of,
    cards_of,
    imported,
    jobs_of,
    ok,
    post_import,
    problem,
    stored_uploads,
)
from tests.importer.trello_builder import TrelloExport


async def export_json(
    client: httpx.AsyncClient, headers: dict[str, str], board_id: int
) -> tuple[dict[str, Any], bytes]:
    response = await client.get(f"{API}/boards/{board_id}/export?format=json", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert (
        response.headers["content-disposition"] == f'attachment; filename="board-{board_id}.json"'
    )
    return response.json(), response.content


async def round_trip(
    client: httpx.AsyncClient, tracker: Tracker, board_id: int
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Export `board_id`, import the file into project B, export that board too."""
    first, raw = await export_json(client, tracker.h(tracker.admin), board_id)
    job = await imported(
        client, tracker.h(tracker.admin), tracker.project_b_id, raw, source="internhub"
    )
    assert job["source"] == "internhub"
    second, _ = await export_json(client, tracker.h(tracker.admin), job["board_id"])
    return first, second, job


def without_time_of_export(document: dict[str, Any]) -> dict[str, Any]:
    document = dict(document)
    assert isinstance(document.pop("exported_at"), str)
    return document


async def build_native_board(client: httpx.AsyncClient, tracker: Tracker) -> dict[str, int]:
    """Team A's default board, worked on through the API like a real team would."""
    mentor, anna, petr = (
        tracker.h(tracker.mentor_a),
        tracker.h(tracker.intern_a),
        tracker.h(tracker.intern_a2),
    )
    board_id, columns = tracker.board_id, tracker.columns
    backend = ok(
        await client.post(
            f"{API}/boards/{board_id}/labels",
            json={"name": "Бэкенд", "color": "orange"},
            headers=mentor,
        ),
        201,
    )
    red = ok(
        await client.post(f"{API}/boards/{board_id}/labels", json={"color": "red"}, headers=mentor),
        201,
    )
    retired = ok(
        await client.post(
            f"{API}/boards/{board_id}/labels",
            json={"name": "Старая метка", "color": "sky"},
            headers=mentor,
        ),
        201,
    )
    ok(await client.post(f"{API}/labels/{retired['id']}/archive", headers=mentor))
    main = await create_card(
        client,
        anna,
        board_id,
        "Экспорт отчёта 📊",
        column_id=columns["todo"],
        description="## Задача\n\n- [ ] выгрузка\n- [x] макет 👩‍💻\n\n中文 日本語",
        priority="high",
        start_at="2026-03-02T09:00:00+03:00",
        due_at="2026-03-20T18:00:00+03:00",
        estimate="3.5",
        assignee_ids=[tracker.intern_a.id, tracker.intern_a2.id],
        label_ids=[backend["id"], red["id"]],
    )
    side = await create_card(client, petr, board_id, "Вторая задача", column_id=columns["backlog"])
    formula = await create_card(
        client, petr, board_id, '=HYPERLINK("http://evil")', column_id=columns["backlog"]
    )
    first = await create_card(client, petr, board_id, "Первая в колонке", column_id=columns["todo"])
    ok(await move_card(client, anna, main["id"], column_id=columns["in_progress"]))
    ok(await move_card(client, anna, main["id"], column_id=columns["review"]))
    ok(await move_card(client, mentor, main["id"], column_id=columns["done"]))
    ok(await move_card(client, petr, side["id"], column_id=columns["in_progress"]))
    # A reorder within the column is no history.
    ok(await move_card(client, petr, first["id"], column_id=columns["todo"], to="top"))
    comment = ok(
        await client.post(
            f"{API}/cards/{main['id']}/comments", json={"body": "Готово к ревью 🚀"}, headers=anna
        ),
        201,
    )
    ok(
        await client.patch(
            f"{API}/cards/{main['id']}/comments/{comment['id']}",
            json={"body": "Готово к ревью 🚀 (исправлено)"},
            headers=anna,
        )
    )
    ok(
        await client.post(
            f"{API}/cards/{main['id']}/comments",
            json={"body": "Принято, @a.sidorova"},
            headers=mentor,
        ),
        201,
    )
    checklist = ok(
        await client.post(
            f"{API}/cards/{main['id']}/checklists", json={"title": "Шаги"}, headers=anna
        ),
        201,
    )
    items = [
        ok(
            await client.post(
                f"{API}/cards/{main['id']}/checklists/{checklist['id']}/items",
                json={"text": text, **extra},
                headers=anna,
            ),
            201,
        )
        for text, extra in (
            ("Собрать данные", {}),
            ("Сверстать", {"assignee_id": tracker.intern_a2.id}),
            ("Проверить", {"due_at": "2026-03-19T12:00:00+00:00"}),
        )
    ]
    ok(
        await client.patch(
            f"{API}/cards/{main['id']}/checklist-items/{items[0]['id']}",
            json={"is_done": True},
            headers=anna,
        )
    )
    ok(
        await client.post(
            f"{API}/cards/{side['id']}/attachments/links",
            json={"url": "https://example.com/spec?a=1&b=2", "title": "Спецификация"},
            headers=petr,
        ),
        201,
    )
    ok(await client.post(f"{API}/cards/{formula['id']}/archive", headers=petr))
    old = ok(
        await client.post(
            f"{API}/boards/{board_id}/columns",
            json={"name": "Заморожено", "kind": "backlog", "wip_limit": 3},
            headers=mentor,
        ),
        201,
    )
    frozen = await create_card(client, petr, board_id, "Заморожена", column_id=old["id"])
    ok(await client.post(f"{API}/columns/{old['id']}/archive", headers=mentor))
    return {
        "main": main["id"],
        "side": side["id"],
        "formula": formula["id"],
        "first": first["id"],
        "frozen": frozen["id"],
    }


async def test_native_board_round_trips_through_the_json_export(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    await build_native_board(client, tracker)
    first, second, job = await round_trip(client, tracker, tracker.board_id)

    assert differences(without_time_of_export(first), without_time_of_export(second)) == []
    # The document holds what was done, not only the same nothing twice.
    assert (first["format"], first["version"]) == ("internhub.board", 1)
    assert first["board"]["external_id"] == f"internhub:{tracker.board_id}"
    assert [(c["name"], c["kind"], c["archived_at"] is not None) for c in first["columns"]] == [
        ("Бэклог", "backlog", False),
        ("К выполнению", "todo", False),
        ("В работе", "in_progress", False),
        ("На проверке", "review", False),
        ("Готово", "done", False),
        ("Заморожено", "backlog", True),
    ]
    assert first["columns"][-1]["wip_limit"] == 3
    assert [
        (label["name"], label["color"], label["archived_at"] is not None)
        for label in first["labels"]
    ] == [("Бэкенд", "orange", False), ("red", "red", False), ("Старая метка", "sky", True)]
    people = {p["key"]: p["username"] for p in first["people"]}
    assert sorted(people.values()) == ["a.sidorova", "m.kuznetsova", "p.volkov"]
    cards = {c["title"]: c for c in first["cards"]}
    assert list(cards) == [
        '=HYPERLINK("http://evil")',
        "Первая в колонке",
        "Вторая задача",
        "Экспорт отчёта 📊",
        "Заморожена",
    ]
    main = cards["Экспорт отчёта 📊"]
    assert main["priority"] == "high"
    assert main["estimate"] == 3.5
    assert main["start_at"] == "2026-03-02T06:00:00+00:00"
    assert [people[k] for k in main["assignees"]] == ["a.sidorova", "p.volkov"]
    assert main["labels"] == ["label-1", "label-2"]
    assert main["completed_at"] is not None
    assert [(step["from"], step["to"]) for step in main["history"]] == [
        (None, "column-2"),
        ("column-2", "column-3"),
        ("column-3", "column-4"),
        ("column-4", "column-5"),
    ]
    assert [people[step["actor"]] for step in main["history"]] == [
        "a.sidorova",
        "a.sidorova",
        "a.sidorova",
        "m.kuznetsova",
    ]
    assert [(c["body"], c["edited_at"] is not None) for c in main["comments"]] == [
        ("Готово к ревью 🚀 (исправлено)", True),
        ("Принято, @a.sidorova", False),
    ]
    (checklist,) = main["checklists"]
    assert [(i["text"], i["is_done"], i["done_at"] is not None) for i in checklist["items"]] == [
        ("Собрать данные", True, True),
        ("Сверстать", False, False),
        ("Проверить", False, False),
    ]
    assert people[checklist["items"][1]["assignee"]] == "p.volkov"
    assert checklist["items"][2]["due_at"] == "2026-03-19T12:00:00+00:00"
    assert cards["Вторая задача"]["links"][0]["url"] == "https://example.com/spec?a=1&b=2"
    assert cards["Вторая задача"]["links"][0]["title"] == "Спецификация"
    assert cards['=HYPERLINK("http://evil")']["archived_at"] is not None
    assert cards["Заморожена"]["column"] == "column-6"
    assert cards["Первая в колонке"]["history"] == [
        {
            "at": cards["Первая в колонке"]["created_at"],
            "from": None,
            "to": "column-2",
            "actor": next(k for k, v in people.items() if v == "p.volkov"),
        }
    ]
    # The imported board is a board like any other: same cards, same order.
    assert [c.title for c in await cards_of(session, job["board_id"])] == [
        c["title"] for c in first["cards"]
    ]
    assert job["report"]["imported"]["cards"] == len(first["cards"]) == 5
    assert job["report"]["skipped"] == []
    # What the API shows of both boards is the same too (ids aside).
    original = await card_views(client, session, tracker, tracker.board_id)
    copy = await card_views(client, session, tracker, job["board_id"])
    assert differences(original, copy) == []
    # Mentions name the project's team, and team B holds none of team A's people.
    assert job["report"]["imported"]["mentions"] == 0


_ID_FIELDS = {
    "id",
    "board_id",
    "column_id",
    "card_id",
    "checklist_id",
    "position",
    "label_ids",
    "updated_at",
    "version",
}


async def card_views(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker, board_id: int
) -> list[dict[str, Any]]:
    """Every card (archived ones, and those of archived columns, too) as `GET /cards/{id}`
    shows it, with its comments, checklists and links; in board order."""
    headers = tracker.h(tracker.admin)
    ids = [card.id for card in await cards_of(session, board_id)]
    assert len(ids) == 5
    views = []
    for card_id in ids:
        card = ok(await client.get(f"{API}/cards/{card_id}", headers=headers))
        comments = ok(await client.get(f"{API}/cards/{card_id}/comments", headers=headers))
        checklists = ok(await client.get(f"{API}/cards/{card_id}/checklists", headers=headers))
        links = ok(await client.get(f"{API}/cards/{card_id}/attachments", headers=headers))
        # Mentions name the project's team (see the test of a copy within one project).
        card["comments"] = [
            {k: v for k, v in c.items() if k != "mentioned_user_ids"} for c in comments["items"]
        ]
        card["checklists"] = checklists
        card["links"] = links
        views.append(_strip_ids(card))
    return views


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two JSON values differ (readable failures for big documents)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [
            d
            for k in sorted(set(a) | set(b))
            for d in differences(a.get(k), b.get(k), f"{path}.{k}")
        ]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in differences(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def _strip_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_ids(v) for k, v in value.items() if k not in _ID_FIELDS}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


async def test_trello_import_round_trips_through_the_json_export(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    export = build_export(cards=60, seed=3, closed_lists=1)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    first, second, _ = await round_trip(client, tracker, job["board_id"])
    assert differences(without_time_of_export(first), without_time_of_export(second)) == []
    assert first["board"]["external_id"] == f"trello:{export['id']}"
    assert len(first["cards"]) == 60
    assert sorted(c["external_id"] for c in first["cards"]) == sorted(
        c["id"] for c in export["cards"]
    )
    assert any(c["comments"] for c in first["cards"])
    assert any(
        c["author"] is None and c["author_name"] for x in first["cards"] for c in x["comments"]
    )


async def test_mentions_survive_a_copy_within_the_team_and_name_people_only_mentioned(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    anna = tracker.h(tracker.intern_a)
    card = await create_card(client, anna, tracker.board_id, "Обзор")
    ok(
        await client.post(
            f"{API}/cards/{card['id']}/comments",
            json={"body": "@p.volkov посмотри, пожалуйста"},
            headers=anna,
        ),
        201,
    )
    document, raw = await export_json(client, tracker.h(tracker.admin), tracker.board_id)
    # Pyotr is on the board only through the mention: the export still names him.
    assert sorted(p["username"] for p in document["people"]) == ["a.sidorova", "p.volkov"]

    copies = {}
    for project in (tracker.project_a_id, tracker.project_b_id):
        job = await imported(
            client, tracker.h(tracker.admin), project, raw, source="internhub", allow_copy=True
        )
        (copy,) = await cards_of(session, job["board_id"])
        comments = ok(
            await client.get(f"{API}/cards/{copy.id}/comments", headers=tracker.h(tracker.admin))
        )
        copies[project] = (job["report"]["imported"]["mentions"], comments["items"][0])
    mentions, comment = copies[tracker.project_a_id]
    assert (mentions, comment["mentioned_user_ids"]) == (1, [tracker.intern_a2.id])
    mentions, comment = copies[tracker.project_b_id]
    assert (mentions, comment["mentioned_user_ids"]) == (0, [])


async def test_member_map_of_an_internhub_export_names_people_by_username(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Задача")
    document, raw = await export_json(client, tracker.h(tracker.admin), tracker.board_id)
    (person,) = document["people"]
    assert (person["key"], person["username"]) == ("person-1", "a.sidorova")
    admin = tracker.h(tracker.admin)
    # The person's key is not how a person with a username is matched: refused, not ignored.
    response = await post_import(
        client,
        admin,
        tracker.project_b_id,
        raw,
        source="internhub",
        member_map={"person-1": "d.orlov"},
    )
    body = problem(response, 422, "invalid_import_option")
    assert body["detail"] == "member_map names 'person-1', which is nobody in the export."
    job = await imported(
        client,
        admin,
        tracker.project_b_id,
        raw,
        source="internhub",
        member_map={"A.Sidorova": "d.orlov"},
    )
    (copy,) = await cards_of(session, job["board_id"])
    assert (copy.title, copy.created_by_id) == (card["title"], tracker.intern_b.id)
    assert job["report"]["people"][0]["matched_by"] == "mapping"


async def test_own_export_imported_twice_into_a_project_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Карточка")
    _, raw = await export_json(client, tracker.h(tracker.admin), tracker.board_id)
    job = await imported(
        client, tracker.h(tracker.admin), tracker.project_b_id, raw, source="internhub"
    )
    again = await post_import(
        client, tracker.h(tracker.admin), tracker.project_b_id, raw, source="internhub"
    )
    assert problem(again, 409, "already_imported")["board_id"] == job["board_id"]
    copy = await imported(
        client,
        tracker.h(tracker.admin),
        tracker.project_b_id,
        raw,
        source="internhub",
        allow_copy=True,
    )
    assert len(await boards_of(session, tracker.project_b_id)) == 3
    assert copy["board_id"] != job["board_id"]


async def test_csv_export_one_row_per_card(client: httpx.AsyncClient, tracker: Tracker) -> None:
    await build_native_board(client, tracker)
    response = await client.get(
        f"{API}/boards/{tracker.board_id}/export",
        params={"format": "csv"},
        headers=tracker.h(tracker.intern_a),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].endswith(f'board-{tracker.board_id}.csv"')
    assert response.headers["content-language"] == "ru"
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    # One language: Russian by default, headers and statuses alike.
    assert text.splitlines()[0] == (
        "Колонка;Название;Исполнители;Метки;Срок;Статус;Оценка;Завершена"
    )
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    table = [dict(zip(header, row, strict=True)) for row in body]
    assert [(r["Колонка"], r["Название"], r["Статус"]) for r in table] == [
        ("Бэклог", '\'=HYPERLINK("http://evil")', "В архиве"),
        ("К выполнению", "Первая в колонке", "К выполнению"),
        ("В работе", "Вторая задача", "В работе"),
        ("Готово", "Экспорт отчёта 📊", "Готово"),
        ("Заморожено", "Заморожена", "Бэклог"),
    ]
    main = table[3]
    assert main["Исполнители"] == "Сидорова Анна Викторовна, Волков Пётр Андреевич"
    assert main["Метки"] == "Бэкенд, red"
    assert main["Срок"] == "2026-03-20T15:00:00+00:00"
    assert main["Оценка"] == "3.5"
    assert main["Завершена"] != ""
    assert table[1]["Исполнители"] == table[1]["Метки"] == table[1]["Срок"] == ""
    assert table[1]["Оценка"] == table[1]["Завершена"] == ""


@pytest.mark.parametrize(
    ("params", "accept_language", "language"),
    [
        ({"lang": "en"}, None, "en"),
        ({"lang": "ru"}, "en-US,en;q=0.9", "ru"),
        ({}, "en-GB,en;q=0.9,ru;q=0.8", "en"),
        ({}, "de-DE,de;q=0.9,ru;q=0.5,en;q=0.4", "ru"),
        ({}, "fr, en;q=0", "ru"),
        ({}, None, "ru"),
    ],
)
async def test_csv_export_speaks_one_language_chosen_by_lang_or_accept_language(
    client: httpx.AsyncClient,
    tracker: Tracker,
    params: dict[str, str],
    accept_language: str | None,
    language: str,
) -> None:
    await build_native_board(client, tracker)
    headers = dict(tracker.h(tracker.intern_a))
    if accept_language is not None:
        headers["Accept-Language"] = accept_language
    response = await client.get(
        f"{API}/boards/{tracker.board_id}/export",
        params={"format": "csv", **params},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-language"] == language
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    expected = {
        "ru": ("Колонка;Название;Исполнители;Метки;Срок;Статус;Оценка;Завершена", "В работе"),
        "en": ("Column;Title;Assignees;Labels;Due;Status;Estimate;Completed", "In progress"),
    }[language]
    assert ";".join(rows[0]) == expected[0]
    assert rows[3][5] == expected[1]


async def test_csv_export_refuses_a_language_it_does_not_speak(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    response = await client.get(
        f"{API}/boards/{tracker.board_id}/export",
        params={"format": "csv", "lang": "de"},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 422, "validation_error")


async def test_csv_cells_that_a_spreadsheet_would_run_are_quoted_as_text(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    export = TrelloExport()
    todo = export.add_list("=cmd|' /C calc'!A0", 1)
    for index, title in enumerate(
        ["=1+2", "+7 (999) 123-45-67", "-минус", "@SUM(A1)", "Обычная; с ;"]
    ):
        export.card(todo, title, index + 1)
    label = export.label("=bad", "red")
    export.cards[0]["idLabels"] = [label["id"]]
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    response = await client.get(
        f"{API}/boards/{job['board_id']}/export?format=csv", headers=tracker.h(tracker.mentor_a)
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[1:]
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("'=cmd|' /C calc'!A0", "'=1+2", "'=bad"),
        ("'=cmd|' /C calc'!A0", "'+7 (999) 123-45-67", ""),
        ("'=cmd|' /C calc'!A0", "'-минус", ""),
        ("'=cmd|' /C calc'!A0", "'@SUM(A1)", ""),
        ("'=cmd|' /C calc'!A0", "Обычная; с ;", ""),
    ]


def _edit(document: dict[str, Any], where: str, value: Any) -> None:
    *path, last = where.split(".")
    target: Any = document
    for part in path:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value


@pytest.mark.parametrize(
    ("where", "value", "named"),
    [
        ("version", 2, "Unsupported export version 2"),
        ("version", "1", "Unsupported export version '1'"),
        ("format", "trello", "not an InternHub board export"),
        ("cards.0.column", "column-99", "cards[0].column names no column of the export"),
        ("cards.0.due_at", "вчера", "cards[0].due_at"),
        ("cards.0.title", KeyError, "cards[0].title"),
        ("columns.0.kind", "doing", "columns[0].kind"),
        ("columns.1.key", "column-1", "two columns share a key"),
        ("board", None, "board"),
    ],
)
async def test_internhub_export_that_is_not_right_is_refused(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    where: str,
    value: Any,
    named: str,
) -> None:
    await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Карточка")
    document, _ = await export_json(client, tracker.h(tracker.admin), tracker.board_id)
    _edit(document, where, value)
    uploads = stored_uploads()
    response = await post_import(
        client, tracker.h(tracker.admin), tracker.project_b_id, document, source="internhub"
    )
    body = problem(response, 422, "invalid_export")
    assert named in body["detail"], body["detail"]
    assert await jobs_of(session, tracker.project_b_id) == []
    assert stored_uploads() == uploads


async def test_a_trello_export_sent_as_an_internhub_export_is_refused(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    export = build_export(cards=3, seed=9)
    response = await post_import(
        client, tracker.h(tracker.admin), tracker.project_b_id, export, source="internhub"
    )
    detail = problem(response, 422, "invalid_export")["detail"]
    assert detail.startswith("This is a Trello board export, not an InternHub one"), detail
    broken = await post_import(
        client, tracker.h(tracker.admin), tracker.project_b_id, b'{"format": ', source="internhub"
    )
    assert "not valid JSON" in problem(broken, 422, "invalid_export")["detail"]
    # And the other way round: an InternHub document sent as a Trello export.
    document = {"format": "internhub.board", "version": 1, "board": {"name": "Доска"}}
    response = await post_import(client, tracker.h(tracker.admin), tracker.project_b_id, document)
    detail = problem(response, 422, "invalid_export")["detail"]
    assert detail.startswith("This is an InternHub board export, not a Trello one"), detail
