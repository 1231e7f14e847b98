"""After a bulk import the planner knows the new rows (issue 14, item 14): the import
analyses the tables it wrote before it reports success."""

from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bench.trello_export import build_export
from tests.board.conftest import Tracker
from tests.importer.helpers import imported

TABLES = ("cards", "board_columns", "checklist_items", "comments", "activity_events")


async def analyses(session: AsyncSession) -> dict[str, Any]:
    """How often each table was analysed by hand (not by autovacuum)."""
    await session.execute(text("SELECT pg_stat_clear_snapshot()"))
    rows = await session.execute(
        text("SELECT relname, analyze_count FROM pg_stat_user_tables WHERE relname = ANY(:names)"),
        {"names": list(TABLES)},
    )
    return {name: count for name, count in rows}


async def test_an_import_analyses_the_tables_it_wrote(
    client: httpx.AsyncClient, session: AsyncSession, tracker: Tracker
) -> None:
    before = await analyses(session)
    export = build_export(cards=300, seed=14)
    job = await imported(client, tracker.h(tracker.mentor_a), tracker.project_a_id, export)

    after = await analyses(session)
    assert {name: after[name] - before[name] for name in TABLES} == dict.fromkeys(TABLES, 1)
    # The statistics count the rows the import wrote (ANALYZE in its transaction sees them).
    reltuples = (
        await session.execute(text("SELECT reltuples FROM pg_class WHERE relname = 'cards'"))
    ).scalar_one()
    assert reltuples >= job["report"]["imported"]["cards"]
