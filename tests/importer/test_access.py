"""Who may import into a project, follow its imports, and export its boards.

Imports create boards: the team's mentors and organisers (`importing_access`); whoever
sees the project but may not import gets 403, whoever does not see it 404. Exports read
a board: whoever sees the board.
"""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.user.user_model import User
from tests.board.conftest import Tracker
from tests.importer.helpers import (
    API,
    boards_of,
    count,
    imported,
    jobs_of,
    ok,
    post_import,
    problem,
    stored_uploads,
)
from tests.importer.trello_builder import TrelloExport


def tiny_board() -> TrelloExport:
    export = TrelloExport(name="Доска для прав")
    todo = export.add_list("К выполнению", 1)
    export.card(todo, "Карточка", 1, members=(export.member("new.face", "Новое Лицо"),))
    return export


@pytest.mark.parametrize(
    ("who", "project", "status"),
    [
        ("intern_a", "a", 403),  # sees the project, may not import
        ("observer", "a", 403),  # sees the boards of the internship, may not import
        ("outsider", "a", 404),  # another internship
        ("mentor_a", "b", 404),  # a mentor of the internship, not of team B's boards
        ("intern_b", "a", 404),
    ],
)
async def test_who_may_not_import(
    client: httpx.AsyncClient,
    session: AsyncSession,
    tracker: Tracker,
    who: str,
    project: str,
    status: int,
) -> None:
    project_id = tracker.project_a_id if project == "a" else tracker.project_b_id
    user: User = getattr(tracker, who)
    uploads, users = stored_uploads(), await count(session, User)
    boards = await boards_of(session, project_id)
    for source in ("trello", "internhub"):
        response = await post_import(
            client, tracker.h(user), project_id, tiny_board(), source=source
        )
        problem(response, status)
    listed = await client.get(f"{API}/projects/{project_id}/imports", headers=tracker.h(user))
    problem(listed, status)
    assert await jobs_of(session, project_id) == []
    assert await boards_of(session, project_id) == boards
    assert stored_uploads() == uploads
    assert await count(session, User) == users


async def test_unknown_project_and_no_token(client: httpx.AsyncClient, tracker: Tracker) -> None:
    problem(await post_import(client, tracker.h(tracker.admin), 10**9, tiny_board()), 404)
    no_token = await client.post(
        f"{API}/projects/{tracker.project_a_id}/imports/trello",
        files={"file": ("board.json", tiny_board().to_bytes(), "application/json")},
    )
    problem(no_token, 401)
    no_file = await client.post(
        f"{API}/projects/{tracker.project_a_id}/imports/trello", headers=tracker.h(tracker.admin)
    )
    problem(no_file, 422, "validation_error")


async def test_mentors_and_organisers_import(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    by_mentor = await imported(
        client, tracker.h(tracker.mentor_a), tracker.project_a_id, tiny_board()
    )
    assert by_mentor["created_by_id"] == tracker.mentor_a.id
    by_admin = await imported(client, tracker.h(tracker.admin), tracker.project_b_id, tiny_board())
    assert by_admin["created_by_id"] == tracker.admin.id
    (board,) = [b for b in await boards_of(session, tracker.project_a_id) if not b.is_default]
    assert board.created_by_id == tracker.mentor_a.id


async def test_an_import_is_seen_by_those_who_may_import_into_its_project(
    client: httpx.AsyncClient, tracker: Tracker
) -> None:
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, tiny_board())
    path = f"{API}/imports/{job['id']}"
    assert ok(await client.get(path, headers=tracker.h(tracker.admin)))["id"] == job["id"]
    for user in (
        tracker.intern_a,
        tracker.observer,
        tracker.mentor_b,
        tracker.intern_b,
        tracker.outsider,
    ):
        problem(await client.get(path, headers=tracker.h(user)), 404, "import_not_found")
        retry = await client.post(f"{path}/retry", headers=tracker.h(user))
        problem(retry, 404, "import_not_found")
    problem(
        await client.get(f"{API}/imports/{10**9}", headers=tracker.h(tracker.admin)),
        404,
        "import_not_found",
    )


async def test_export_needs_sight_of_the_board(client: httpx.AsyncClient, tracker: Tracker) -> None:
    for fmt in ("json", "csv"):
        path = f"{API}/boards/{tracker.board_id}/export?format={fmt}"
        for user in (tracker.intern_a, tracker.observer, tracker.mentor_a, tracker.admin):
            assert (await client.get(path, headers=tracker.h(user))).status_code == 200
        for user in (tracker.outsider, tracker.intern_b, tracker.mentor_b):
            problem(await client.get(path, headers=tracker.h(user)), 404)
    problem(await client.get(f"{API}/boards/{10**9}/export", headers=tracker.h(tracker.admin)), 404)
    bad_format = await client.get(
        f"{API}/boards/{tracker.board_id}/export?format=xlsx", headers=tracker.h(tracker.admin)
    )
    problem(bad_format, 422, "validation_error")
