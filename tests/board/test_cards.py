"""Cards: creation rules, optimistic locking, completion, archive, delete, Markdown."""

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.models.card_model import Card, CardAssignee, CardLabel
from tests.board.conftest import Tracker
from tests.board.helpers import (
    API,
    card_row,
    column_order,
    count_cards,
    create_card,
    move_card,
    ok,
    problem,
)

START = "2026-04-01T09:00:00+03:00"
DUE = "2026-04-10T18:00:00+03:00"


async def _label(client: httpx.AsyncClient, tracker: Tracker, board_id: int, name: str) -> int:
    headers = tracker.h(tracker.admin)
    label = ok(
        await client.post(
            f"{API}/boards/{board_id}/labels", json={"name": name, "color": "red"}, headers=headers
        ),
        201,
    )
    return int(label["id"])


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """The elements of an HTML fragment (name, attributes), as a browser would see them."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(html)
    return found


async def _assignee_ids(session: AsyncSession, card_id: int) -> list[int]:
    rows = await session.execute(
        select(CardAssignee.user_id).where(CardAssignee.card_id == card_id)
    )
    return sorted(rows.scalars())


async def test_card_created_with_every_field(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    label_id = await _label(client, tracker, tracker.board_id, "Срочно")
    card = await create_card(
        client,
        tracker.h(tracker.intern_a),
        tracker.board_id,
        "  Подготовить отчёт  ",
        description="Собрать **метрики** за неделю",
        assignee_ids=[tracker.intern_a2.id, tracker.mentor_a.id, tracker.intern_a2.id],
        label_ids=[label_id],
        priority="high",
        start_at=START,
        due_at=DUE,
        estimate="3.5",
        column_id=tracker.columns["todo"],
    )
    assert card["title"] == "Подготовить отчёт"
    assert card["board_id"] == tracker.board_id
    assert card["column_id"] == tracker.columns["todo"]
    assert card["assignee_ids"] == sorted([tracker.intern_a2.id, tracker.mentor_a.id])
    assert card["label_ids"] == [label_id]
    assert card["priority"] == "high"
    assert dt.datetime.fromisoformat(card["start_at"]) == dt.datetime.fromisoformat(START)
    assert dt.datetime.fromisoformat(card["due_at"]) == dt.datetime.fromisoformat(DUE)
    assert Decimal(str(card["estimate"])) == Decimal("3.5")
    assert card["version"] == 1
    assert card["created_by_id"] == tracker.intern_a.id
    assert card["completed_at"] is None
    assert "<strong>метрики</strong>" in card["description_html"]

    row = await card_row(session, card["id"])
    assert row is not None
    assert (row.title, row.priority, row.estimate) == ("Подготовить отчёт", "high", Decimal("3.5"))
    assert row.due_at == dt.datetime.fromisoformat(DUE)
    assert await _assignee_ids(session, card["id"]) == sorted(
        [tracker.intern_a2.id, tracker.mentor_a.id]
    )
    labels = await session.execute(select(CardLabel.label_id).where(CardLabel.card_id == row.id))
    assert list(labels.scalars()) == [label_id]


async def test_card_without_column_goes_to_the_first_column_bottom(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    first = await create_card(client, headers, tracker.board_id, "Первая")
    second = await create_card(client, headers, tracker.board_id, "Вторая")
    top = await create_card(client, headers, tracker.board_id, "Наверх", position="top")
    assert first["column_id"] == tracker.columns["backlog"]
    order = await column_order(client, headers, tracker.board_id, tracker.columns["backlog"])
    assert order == [top["id"], first["id"], second["id"]]


async def test_assignee_outside_the_team_is_refused_and_no_card_written(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    for stranger in (tracker.intern_b, tracker.observer, tracker.outsider, tracker.admin):
        response = await client.post(
            f"{API}/boards/{tracker.board_id}/cards",
            json={"title": "Задача", "assignee_ids": [tracker.intern_a.id, stranger.id]},
            headers=tracker.h(tracker.intern_a),
        )
        body = problem(response, 422, "invalid_reference")
        assert body["user_ids"] == [stranger.id]
    assert await count_cards(session, tracker.board_id) == 0
    assignees = await session.execute(select(func.count()).select_from(CardAssignee))
    assert assignees.scalar_one() == 0


async def test_label_of_another_board_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    foreign = await _label(client, tracker, tracker.board_b_id, "Чужая")
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/cards",
        json={"title": "Задача", "label_ids": [foreign]},
        headers=tracker.h(tracker.intern_a),
    )
    body = problem(response, 422, "invalid_reference")
    assert body["label_ids"] == [foreign]
    assert await count_cards(session, tracker.board_id) == 0


async def test_label_of_another_board_is_refused_on_update(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    own = await _label(client, tracker, tracker.board_id, "Своя")
    foreign = await _label(client, tracker, tracker.board_b_id, "Чужая")
    card = await create_card(
        client, tracker.h(tracker.intern_a), tracker.board_id, "Задача", label_ids=[own]
    )
    response = await client.patch(
        f"{API}/cards/{card['id']}",
        json={"label_ids": [own, foreign]},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 422, "invalid_reference")
    labels = await session.execute(
        select(CardLabel.label_id).where(CardLabel.card_id == card["id"])
    )
    assert list(labels.scalars()) == [own]


async def test_archived_label_cannot_be_put_on_a_card(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    label_id = await _label(client, tracker, tracker.board_id, "Старая")
    ok(await client.post(f"{API}/labels/{label_id}/archive", headers=tracker.h(tracker.admin)))
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/cards",
        json={"title": "Задача", "label_ids": [label_id]},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 422, "invalid_reference")


async def test_due_before_start_is_refused_on_create_and_update(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/cards",
        json={"title": "Задача", "start_at": DUE, "due_at": START},
        headers=headers,
    )
    problem(response, 422)
    assert await count_cards(session, tracker.board_id) == 0

    card = await create_card(client, headers, tracker.board_id, "Задача", start_at=START)
    response = await client.patch(
        f"{API}/cards/{card['id']}", json={"due_at": "2026-03-01T00:00:00+00:00"}, headers=headers
    )
    problem(response, 422)
    row = await card_row(session, card["id"])
    assert row is not None
    assert (row.due_at, row.version) == (None, 1)


async def test_title_of_ten_thousand_characters_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/cards",
        json={"title": "я" * 10_000},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 422, "validation_error")
    assert await count_cards(session, tracker.board_id) == 0


async def test_naive_datetime_is_refused(client: httpx.AsyncClient, tracker: Tracker) -> None:
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/cards",
        json={"title": "Задача", "due_at": "2026-04-10T18:00:00"},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 422, "validation_error")


async def test_card_in_a_column_of_another_board_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    response = await client.post(
        f"{API}/boards/{tracker.board_id}/cards",
        json={"title": "Задача", "column_id": tracker.columns_b["todo"]},
        headers=tracker.h(tracker.intern_a),
    )
    problem(response, 422, "invalid_reference")
    assert await count_cards(session, tracker.board_id) == 0
    assert await count_cards(session, tracker.board_b_id) == 0


async def test_completed_at_is_set_entering_done_and_cleared_leaving(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Задача")
    assert card["completed_at"] is None
    done = ok(await move_card(client, headers, card["id"], column_id=tracker.columns["done"]))
    assert done["completed_at"] is not None
    row = await card_row(session, card["id"])
    assert row is not None
    assert row.completed_at is not None
    back = ok(await move_card(client, headers, card["id"], column_id=tracker.columns["review"]))
    assert back["completed_at"] is None
    row = await card_row(session, card["id"])
    assert row is not None
    assert row.completed_at is None


async def test_card_created_in_done_is_completed(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    card = await create_card(
        client,
        tracker.h(tracker.intern_a),
        tracker.board_id,
        "Уже сделано",
        column_id=tracker.columns["done"],
    )
    assert card["completed_at"] is not None


async def test_moving_between_two_done_columns_keeps_completed_at(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.mentor_a)
    archive = ok(
        await client.post(
            f"{API}/boards/{tracker.board_id}/columns",
            json={"name": "Принято", "kind": "done"},
            headers=headers,
        ),
        201,
    )
    card = await create_card(
        client, headers, tracker.board_id, "Задача", column_id=tracker.columns["done"]
    )
    moved = ok(await move_card(client, headers, card["id"], column_id=archive["id"]))
    assert moved["completed_at"] == card["completed_at"]


async def test_patch_with_version_in_body_and_if_match_header(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Черновик")
    response = await client.patch(
        f"{API}/cards/{card['id']}", json={"title": "Первая правка", "version": 1}, headers=headers
    )
    first = ok(response)
    assert first["version"] == 2
    assert response.headers["etag"] == '"2"'
    response = await client.patch(
        f"{API}/cards/{card['id']}",
        json={"priority": "critical"},
        headers={**headers, "If-Match": '"2"'},
    )
    second = ok(response)
    assert (second["version"], second["priority"]) == (3, "critical")
    row = await card_row(session, card["id"])
    assert row is not None
    assert (row.title, row.priority, row.version) == ("Первая правка", "critical", 3)


async def test_stale_version_is_409_with_the_current_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Черновик")
    ok(
        await client.patch(
            f"{API}/cards/{card['id']}", json={"title": "Свежее", "version": 1}, headers=headers
        )
    )
    for attempt in (
        {"json": {"title": "Устаревшее", "version": 1}},
        {"json": {"title": "Устаревшее"}, "headers": {"If-Match": '"1"'}},
        {"json": {"title": "Устаревшее"}, "headers": {"If-Match": 'W/"1"'}},
    ):
        response = await client.patch(
            f"{API}/cards/{card['id']}",
            json=attempt["json"],
            headers={**headers, **attempt.get("headers", {})},
        )
        body = problem(response, 409, "stale_version")
        assert body["current"]["id"] == card["id"]
        assert body["current"]["version"] == 2
        assert body["current"]["title"] == "Свежее"
        assert body["current"]["description_html"] == ""
    row = await card_row(session, card["id"])
    assert row is not None
    assert (row.title, row.version) == ("Свежее", 2)


async def test_malformed_if_match_is_rejected_and_nothing_changes(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Черновик")
    response = await client.patch(
        f"{API}/cards/{card['id']}",
        json={"title": "Новое"},
        headers={**headers, "If-Match": "not-a-version"},
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"
    row = await card_row(session, card["id"])
    assert row is not None
    assert (row.title, row.version) == ("Черновик", 1)


async def test_get_card_carries_its_version_in_etag(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Задача")
    response = await client.get(f"{API}/cards/{card['id']}", headers=headers)
    assert ok(response)["version"] == 1
    assert response.headers["etag"] == '"1"'
    await move_card(client, headers, card["id"], column_id=tracker.columns["todo"])
    response = await client.get(f"{API}/cards/{card['id']}", headers=headers)
    assert response.headers["etag"] == f'"{response.json()["version"]}"' == '"2"'


async def test_patch_that_changes_nothing_keeps_the_version(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Задача", priority="low")
    same = ok(
        await client.patch(
            f"{API}/cards/{card['id']}",
            json={"title": "Задача", "priority": "low"},
            headers=headers,
        )
    )
    assert same["version"] == 1


async def test_null_title_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Задача")
    problem(
        await client.patch(f"{API}/cards/{card['id']}", json={"title": None}, headers=headers),
        422,
    )
    row = await card_row(session, card["id"])
    assert row is not None
    assert row.title == "Задача"


async def test_update_assignees_within_the_team_only(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(
        client, headers, tracker.board_id, "Задача", assignee_ids=[tracker.intern_a.id]
    )
    updated = ok(
        await client.patch(
            f"{API}/cards/{card['id']}",
            json={"assignee_ids": [tracker.intern_a2.id, tracker.mentor_a.id]},
            headers=headers,
        )
    )
    assert updated["assignee_ids"] == sorted([tracker.intern_a2.id, tracker.mentor_a.id])
    problem(
        await client.patch(
            f"{API}/cards/{card['id']}",
            json={"assignee_ids": [tracker.intern_b.id]},
            headers=headers,
        ),
        422,
        "invalid_reference",
    )
    assert await _assignee_ids(session, card["id"]) == sorted(
        [tracker.intern_a2.id, tracker.mentor_a.id]
    )


async def test_observer_cannot_create_or_edit_cards(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Задача")
    headers = tracker.h(tracker.observer)
    problem(
        await client.post(
            f"{API}/boards/{tracker.board_id}/cards", json={"title": "Наблюдаю"}, headers=headers
        ),
        403,
    )
    problem(
        await client.patch(f"{API}/cards/{card['id']}", json={"title": "Так"}, headers=headers),
        403,
    )
    ok(await client.get(f"{API}/cards/{card['id']}", headers=headers))
    assert await count_cards(session, tracker.board_id) == 1


async def test_restored_card_goes_to_the_bottom_of_its_column(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    first, second, third = [
        await create_card(client, headers, tracker.board_id, title) for title in ("А", "Б", "В")
    ]
    archived = ok(await client.post(f"{API}/cards/{first['id']}/archive", headers=headers))
    assert archived["archived_at"] is not None
    assert archived["version"] == 2
    backlog = tracker.columns["backlog"]
    assert await column_order(client, headers, tracker.board_id, backlog) == [
        second["id"],
        third["id"],
    ]
    restored = ok(await client.post(f"{API}/cards/{first['id']}/restore", headers=headers))
    assert restored["archived_at"] is None
    assert await column_order(client, headers, tracker.board_id, backlog) == [
        second["id"],
        third["id"],
        first["id"],
    ]
    row = await card_row(session, first["id"])
    assert row is not None
    assert row.archived_at is None
    assert row.position > (await card_row(session, third["id"])).position  # type: ignore[union-attr]


async def test_archived_card_cannot_be_moved(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "Задача")
    ok(await client.post(f"{API}/cards/{card['id']}/archive", headers=headers))
    problem(
        await move_card(client, headers, card["id"], column_id=tracker.columns["todo"]),
        409,
        "archived",
    )
    row = await card_row(session, card["id"])
    assert row is not None
    assert row.column_id == tracker.columns["backlog"]


async def test_delete_only_by_admins_and_only_archived(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Задача")
    admin = tracker.h(tracker.admin)
    problem(await client.delete(f"{API}/cards/{card['id']}", headers=admin), 409, "not_archived")
    ok(await client.post(f"{API}/cards/{card['id']}/archive", headers=admin))
    for user in (tracker.intern_a, tracker.mentor_a):
        problem(await client.delete(f"{API}/cards/{card['id']}", headers=tracker.h(user)), 403)
    assert await card_row(session, card["id"]) is not None
    response = await client.delete(f"{API}/cards/{card['id']}", headers=admin)
    assert response.status_code == 204, response.text
    assert await card_row(session, card["id"]) is None
    problem(await client.get(f"{API}/cards/{card['id']}", headers=admin), 404, "card_not_found")


async def test_description_html_carries_no_script_and_no_javascript_links(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    description = (
        "# План\n\n"
        "<script>alert('x')</script>\n\n"
        "<img src=x onerror=alert(1)>\n\n"
        "[нажми](javascript:alert(1)) и [почитай](https://example.com/doc)\n\n"
        '<a href="javascript:alert(2)">raw</a>\n\n'
        "[ref]: javascript:alert(3)\n\n"
        "- [x] пункт\n"
    )
    headers = tracker.h(tracker.intern_a)
    card = await create_card(client, headers, tracker.board_id, "XSS", description=description)
    for html in (
        card["description_html"],
        ok(await client.get(f"{API}/cards/{card['id']}", headers=headers))["description_html"],
    ):
        tags = _tags(html)
        names = [name for name, _ in tags]
        assert "script" not in names
        assert "img" not in names
        attributes = [(key, value or "") for _, attrs in tags for key, value in attrs]
        assert not [key for key, _ in attributes if key.startswith("on")]
        hrefs = [value for key, value in attributes if key == "href"]
        assert hrefs == ["https://example.com/doc"]  # the javascript: links are gone
        assert ("h1", []) in tags
        link = next(attrs for name, attrs in tags if name == "a")
        assert "noopener" in dict(link)["rel"]
    assert card["description"] == description  # stored as written
    stale = ok(
        await client.patch(
            f"{API}/cards/{card['id']}",
            json={"description": "<script>document.cookie</script>"},
            headers=headers,
        )
    )
    assert "script" not in [name for name, _ in _tags(stale["description_html"])]


async def test_unknown_card_is_404_problem(client: httpx.AsyncClient, tracker: Tracker) -> None:
    problem(
        await client.get(f"{API}/cards/999999999", headers=tracker.h(tracker.admin)),
        404,
        "card_not_found",
    )


async def test_intern_of_another_team_does_not_see_the_card(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    card = await create_card(client, tracker.h(tracker.intern_a), tracker.board_id, "Задача")
    for user in (tracker.intern_b, tracker.mentor_b, tracker.outsider):
        headers = tracker.h(user)
        problem(await client.get(f"{API}/cards/{card['id']}", headers=headers), 404)
        problem(
            await client.patch(f"{API}/cards/{card['id']}", json={"title": "X"}, headers=headers),
            404,
        )
    rows = await session.execute(select(Card.title).where(Card.id == card["id"]))
    assert rows.scalar_one() == "Задача"
