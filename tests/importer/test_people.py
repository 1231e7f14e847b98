"""Trello members → InternHub users: matched by username, by full name, by an explicit
mapping; placeholders for whoever matches nobody, reused later, merged by organisers."""

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.models.activity_model import ActivityEvent
from src.user.user_model import User
from tests.board.conftest import Tracker
from tests.factories import DEFAULT_PASSWORD, create_user, default_password_hash
from tests.importer.helpers import (
    API,
    assignee_ids,
    card_by_external,
    cards_of,
    comments_of,
    count,
    events_of,
    imported,
    jobs_of,
    ok,
    post_import,
    problem,
)
from tests.importer.trello_builder import EPOCH, TrelloExport


def team_board() -> tuple[TrelloExport, dict[str, dict[str, object]]]:
    """One card per member, assigned to them and commented by them."""
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    members = {
        # Username with other case.
        "by_username": export.member("A.Sidorova", "Анна С."),
        # Full name with other case, and another username.
        "by_full_name": export.member("maria_k", "кузнецова МАРИЯ игоревна"),
        # Mapped explicitly by Trello id / by Trello username.
        "by_id_map": export.member("petya", "Петя"),
        "by_username_map": export.member("dima", "Дима"),
        # Nobody: a placeholder.
        "nobody": export.member("ivankozlov", "Иван Козлов"),
    }
    for key, member in members.items():
        card = export.card(todo, f"Карточка {key}", len(export.cards) + 1, members=(member,))
        export.comment(card, f"Комментарий {key}", EPOCH, member)
        export.create_card(card, todo, EPOCH, member)
    return export, members


async def test_members_are_matched_by_username_full_name_and_mapping(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export, members = team_board()
    users_before = await count(session, User)
    job = await imported(
        client,
        tracker.h(tracker.mentor_a),
        tracker.project_a_id,
        export,
        member_map={str(members["by_id_map"]["id"]): "p.volkov", "DIMA": "O.Morozov"},
    )

    report = {p["username"]: (p["user_id"], p["matched_by"]) for p in job["report"]["people"]}
    placeholder_id = report["ivankozlov"][0]
    assert report == {
        "A.Sidorova": (tracker.intern_a.id, "username"),
        "maria_k": (tracker.mentor_a.id, "full_name"),
        "petya": (tracker.intern_a2.id, "mapping"),
        "dima": (tracker.mentor_b.id, "mapping"),
        "ivankozlov": (placeholder_id, "new_placeholder"),
    }
    assert placeholder_id not in {
        tracker.intern_a.id,
        tracker.mentor_a.id,
        tracker.intern_a2.id,
        tracker.mentor_b.id,
    }
    assert await count(session, User) == users_before + 1
    for key, member in members.items():
        card = next(c for c in export.cards if c["idMembers"] == [member["id"]])
        row = await card_by_external(session, job["board_id"], str(card["id"]))
        expected = report[str(member["username"])][0]
        assert await assignee_ids(session, row.id) == [expected], key
        assert [c.author_id for c in await comments_of(session, row.id)] == [expected], key
        assert row.created_by_id == expected


async def test_full_name_shared_by_two_accounts_matches_neither(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    await create_user(session, username="a.sidorova2", full_name="Сидорова Анна Викторовна")
    await session.commit()
    export = TrelloExport()
    todo = export.add_list("К выполнению", 16384)
    anna = export.member("anna_s", "Сидорова Анна Викторовна")
    export.card(todo, "Чья?", 1, members=(anna,))
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    (person,) = job["report"]["people"]
    assert person["matched_by"] == "new_placeholder"
    assert person["user_id"] != tracker.intern_a.id


async def test_an_unmatched_member_becomes_a_placeholder_that_cannot_log_in(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export, _ = team_board()
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    placeholder_id = next(
        p["user_id"] for p in job["report"]["people"] if p["username"] == "ivankozlov"
    )

    user = ok(await client.get(f"{API}/users/{placeholder_id}", headers=tracker.h(tracker.admin)))
    assert user["is_placeholder"] is True
    assert user["is_active"] is False
    assert user["full_name"] == "Иван Козлов"
    assert user["username"] == "ivankozlov.trello"
    assert user["merged_into_id"] is None
    # Even with a known password the placeholder is refused.
    await session.execute(
        update(User)
        .where(User.id == placeholder_id)
        .values(hashed_password=default_password_hash())
    )
    await session.commit()
    for login in ("ivankozlov.trello", user["email"]):
        response = await client.post(
            f"{API}/auth/login", json={"login": login, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 401, response.text
    # An organiser cannot simply switch it on either.
    reactivate = await client.post(
        f"{API}/users/{placeholder_id}/reactivate", headers=tracker.h(tracker.admin)
    )
    problem(reactivate, 409)


async def test_a_second_import_reuses_the_placeholder(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export, _ = team_board()
    first = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    users = await count(session, User)
    second = await imported(
        client, tracker.h(tracker.mentor_a), tracker.project_a_id, export, allow_copy=True
    )
    third = await imported(client, tracker.h(tracker.admin), tracker.project_b_id, export)

    def placeholder(job: dict[str, object]) -> tuple[int, str]:
        people = job["report"]["people"]  # type: ignore[index]
        found = next(p for p in people if p["username"] == "ivankozlov")
        return found["user_id"], found["matched_by"]

    placeholder_id = placeholder(first)[0]
    assert placeholder(second) == (placeholder_id, "placeholder")
    assert placeholder(third) == (placeholder_id, "placeholder")
    assert await count(session, User) == users


async def test_member_map_naming_no_active_user_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export, _ = team_board()
    headers = tracker.h(tracker.mentor_a)
    await imported(client, headers, tracker.project_a_id, export)
    ghost = await create_user(session, username="ushel", full_name="Ушедший", is_active=False)
    await session.commit()
    jobs = len(await jobs_of(session, tracker.project_a_id))

    for target in ("no.such.user", "ivankozlov.trello", ghost.username):
        response = await post_import(
            client,
            headers,
            tracker.project_a_id,
            export,
            allow_copy=True,
            member_map={"ivankozlov": target},
        )
        body = problem(response, 422, "invalid_import_option")
        assert repr(target) in body["detail"]
        assert body["errors"][0]["loc"] == ["body", "member_map"]
    # A key must name someone in the export (a member's id or username, any case).
    for key in ("nobody.here", "0123456789abcdef01234567"):
        response = await post_import(
            client,
            headers,
            tracker.project_a_id,
            export,
            allow_copy=True,
            member_map={"IvanKozlov": "p.volkov", key: "p.volkov"},
        )
        body = problem(response, 422, "invalid_import_option")
        assert body["detail"] == f"member_map names {key!r}, which is nobody in the export."
        assert body["errors"][0]["loc"] == ["body", "member_map"]
    not_an_object = await post_import(
        client, headers, tracker.project_a_id, export, allow_copy=True, member_map='["petya"]'
    )
    problem(not_an_object, 422, "validation_error")
    assert len(await jobs_of(session, tracker.project_a_id)) == jobs


async def test_merging_a_placeholder_moves_assignments_comments_and_history(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export, members = team_board()
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    placeholder_id = next(
        p["user_id"] for p in job["report"]["people"] if p["username"] == "ivankozlov"
    )
    card = next(c for c in export.cards if c["idMembers"] == [members["nobody"]["id"]])
    row = await card_by_external(session, job["board_id"], str(card["id"]))
    real = await create_user(session, username="i.kozlov", full_name="Козлов Иван Петрович")
    await session.commit()

    merged = await client.post(
        f"{API}/users/{placeholder_id}/merge",
        json={"into_user_id": real.id},
        headers=tracker.h(tracker.admin),
    )
    assert ok(merged)["id"] == real.id
    assert await assignee_ids(session, row.id) == [real.id]
    comments = await comments_of(session, row.id)
    assert [(c.author_id, c.body) for c in comments] == [(real.id, "Комментарий nobody")]
    shown = ok(await client.get(f"{API}/cards/{row.id}/comments", headers=tracker.h(tracker.admin)))
    assert [c["author_id"] for c in shown["items"]] == [real.id]
    events = await events_of(session, row.id)
    assert {e.actor_id for e in events} == {real.id}
    assert await count(session, ActivityEvent, ActivityEvent.actor_id == placeholder_id) == 0
    card_read = ok(await client.get(f"{API}/cards/{row.id}", headers=tracker.h(tracker.admin)))
    assert card_read["assignee_ids"] == [real.id]
    assert card_read["created_by_id"] == real.id
    placeholder = ok(
        await client.get(f"{API}/users/{placeholder_id}", headers=tracker.h(tracker.admin))
    )
    assert placeholder["merged_into_id"] == real.id

    # Merged already → 409; a later import of the same member lands on the real account.
    again = await client.post(
        f"{API}/users/{placeholder_id}/merge",
        json={"into_user_id": real.id},
        headers=tracker.h(tracker.admin),
    )
    problem(again, 409, "not_a_placeholder")
    copy = await imported(
        client, tracker.h(tracker.mentor_a), tracker.project_a_id, export, allow_copy=True
    )
    person = next(p for p in copy["report"]["people"] if p["username"] == "ivankozlov")
    assert (person["user_id"], person["matched_by"]) == (real.id, "placeholder")


async def test_merge_rules(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    export, _ = team_board()
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)
    placeholder_id = next(
        p["user_id"] for p in job["report"]["people"] if p["username"] == "ivankozlov"
    )
    other = TrelloExport(name="Другая доска")
    todo = other.add_list("К выполнению", 1)
    other.card(todo, "К", 1, members=(other.member("someone_else", "Кто-то Другой"),))
    second = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, other)
    other_placeholder = second["report"]["people"][0]["user_id"]

    async def merge(user_id: int, into: int, who: User) -> httpx.Response:
        return await client.post(
            f"{API}/users/{user_id}/merge", json={"into_user_id": into}, headers=tracker.h(who)
        )

    # A real account is no placeholder.
    problem(await merge(tracker.intern_a.id, tracker.intern_a2.id, tracker.admin), 409)
    # Into a placeholder, or into nobody: the target is wrong.
    problem(await merge(placeholder_id, other_placeholder, tracker.admin), 422)
    problem(await merge(placeholder_id, 10**9, tracker.admin), 422)
    # Non-organisers: placeholders are invisible to them (404); a user they see: 403.
    problem(await merge(placeholder_id, tracker.intern_a.id, tracker.mentor_a), 404)
    problem(await merge(tracker.intern_a.id, tracker.intern_a2.id, tracker.mentor_a), 403)
    problem(await merge(placeholder_id, tracker.intern_a.id, tracker.intern_a), 404)
    user = ok(await client.get(f"{API}/users/{placeholder_id}", headers=tracker.h(tracker.admin)))
    assert user["merged_into_id"] is None


def internhub_document(board: str, people: list[tuple[str, str]]) -> dict[str, object]:
    """A small InternHub export: one card per person, assigned to them."""
    return {
        "format": "internhub.board",
        "version": 1,
        "exported_at": "2026-03-01T10:00:00+00:00",
        "board": {"name": board, "description": "", "external_id": f"internhub:{board}"},
        "people": [
            {"key": f"person-{n + 1}", "username": username, "full_name": full_name}
            for n, (username, full_name) in enumerate(people)
        ],
        "columns": [{"key": "column-1", "name": "К выполнению", "kind": "todo"}],
        "labels": [],
        "cards": [
            {
                "column": "column-1",
                "title": f"Карточка {username}",
                "created_at": "2026-02-01T10:00:00+00:00",
                "assignees": [f"person-{n + 1}"],
            }
            for n, (username, _) in enumerate(people)
        ],
    }


async def test_people_of_internhub_exports_keep_their_own_placeholders(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    """Person keys ("person-1") are numbered per document: two exports from another
    server name different people with the same key."""
    headers = tracker.h(tracker.mentor_a)
    first = await imported(
        client,
        headers,
        tracker.project_a_id,
        internhub_document("Доска 1", [("olga.x", "Ольга Икс")]),
        source="internhub",
    )
    second = await imported(
        client,
        headers,
        tracker.project_a_id,
        internhub_document("Доска 2", [("ivan.y", "Иван Игрек"), ("olga.x", "Ольга Икс")]),
        source="internhub",
    )
    (olga,) = first["report"]["people"]
    ivan, olga_again = second["report"]["people"]
    assert olga["matched_by"] == "new_placeholder"
    assert ivan["matched_by"] == "new_placeholder"
    assert ivan["user_id"] != olga["user_id"]
    assert (olga_again["user_id"], olga_again["matched_by"]) == (olga["user_id"], "placeholder")
    user = ok(await client.get(f"{API}/users/{ivan['user_id']}", headers=tracker.h(tracker.admin)))
    assert user["full_name"] == "Иван Игрек"
    for job, name, person in ((second, "Карточка ivan.y", ivan), (second, "Карточка olga.x", olga)):
        card = next(c for c in await cards_of(session, job["board_id"]) if c.title == name)
        assert await assignee_ids(session, card.id) == [person["user_id"]]
