"""Imports running at the same time, committing for real (issue 14, item 13)."""

import asyncio

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from src.user.user_model import User
from tests.board.conftest import Tracker
from tests.importer.helpers import get_job, ok, post_import
from tests.importer.trello_builder import TrelloExport

SHARED_MEMBER = "5a0000000000000000c0ffee"


def board_naming_the_shared_member(number: int) -> TrelloExport:
    """Another board (another export) on which the same Trello member works."""
    export = TrelloExport(name=f"Доска {number}")
    todo = export.add_list("К выполнению", 1)
    member = export.member("new.person", "Новый Человек")
    member["id"] = SHARED_MEMBER
    export.card(todo, f"Задача {number}", 1, members=(member,))
    return export


async def test_imports_at_once_that_need_one_placeholder_all_succeed_and_share_it(
    committing_client: httpx.AsyncClient, committed_tracker: Tracker, engine: AsyncEngine
) -> None:
    """Each import finds no placeholder for the member and makes one; the second insert
    meets the first (uncommitted) one, waits for it and reads it instead of failing on
    uq_users_email_lower."""
    headers = committed_tracker.h(committed_tracker.mentor_a)
    project = committed_tracker.project_a_id
    exports = [board_naming_the_shared_member(n) for n in range(4)]

    started = await asyncio.gather(
        *(post_import(committing_client, headers, project, export) for export in exports)
    )
    jobs = [await get_job(committing_client, headers, ok(r, 202)["id"]) for r in started]

    assert [job["status"] for job in jobs] == ["succeeded"] * 4, [job["error"] for job in jobs]
    people = [job["report"]["people"][0] for job in jobs]
    assert len({person["user_id"] for person in people}) == 1
    assert sorted(person["matched_by"] for person in people) == [
        "new_placeholder",
        "placeholder",
        "placeholder",
        "placeholder",
    ]
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        placeholders = (
            (
                await session.execute(
                    select(User).where(User.external_id == f"trello:{SHARED_MEMBER}")
                )
            )
            .scalars()
            .all()
        )
    assert [p.id for p in placeholders] == [people[0]["user_id"]]
    assert placeholders[0].is_placeholder
