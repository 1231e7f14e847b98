"""Helpers of the importer tests: uploads, finished jobs, fresh reads of the written rows.

With httpx's `ASGITransport` the background task of an import has finished when the
202 answer arrives, so `GET /imports/{id}` right after shows the outcome.
"""

import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.board.models.activity_model import ActivityEvent
from src.board.models.board_model import Board, BoardColumn, Label
from src.board.models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment
from src.board.models.card_model import Card, CardAssignee, CardLabel
from src.config.project_config import get_settings
from src.importer.models.import_job_model import ImportJob
from tests.board.helpers import API, ok, problem
from tests.importer.trello_builder import TrelloExport

__all__ = ["API", "ok", "problem"]

DATA = Path(__file__).parent / "data"

Export = TrelloExport | dict[str, Any] | bytes | str


def body_of(export: Export) -> bytes:
    if isinstance(export, TrelloExport):
        return export.to_bytes()
    if isinstance(export, bytes):
        return export
    if isinstance(export, str):
        return export.encode()
    return json.dumps(export, ensure_ascii=False).encode()


async def post_import(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    project_id: int,
    export: Export,
    *,
    source: str = "trello",
    filename: str = "board.json",
    allow_copy: bool | None = None,
    member_map: dict[str, str] | str | None = None,
    column_kinds: dict[str, str] | str | None = None,
) -> httpx.Response:
    """The upload as a browser sends it (multipart: the file and form fields)."""
    form: dict[str, str] = {}
    if allow_copy is not None:
        form["allow_copy"] = "true" if allow_copy else "false"
    for name, value in (("member_map", member_map), ("column_kinds", column_kinds)):
        if value is not None:
            form[name] = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return await client.post(
        f"{API}/projects/{project_id}/imports/{source}",
        files={"file": (filename, body_of(export), "application/json")},
        data=form,
        headers=headers,
    )


async def get_job(
    client: httpx.AsyncClient, headers: dict[str, str], job_id: int
) -> dict[str, Any]:
    return ok(await client.get(f"{API}/imports/{job_id}", headers=headers))  # type: ignore[no-any-return]


async def finished_job(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    project_id: int,
    export: Export,
    **options: Any,
) -> dict[str, Any]:
    """Start an import (202) and return the job as `GET /imports/{id}` shows it after."""
    started = ok(await post_import(client, headers, project_id, export, **options), 202)
    assert started["status"] == "queued", started
    assert started["project_id"] == project_id
    return await get_job(client, headers, started["id"])


async def imported(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    project_id: int,
    export: Export,
    **options: Any,
) -> dict[str, Any]:
    """A successful import's job (with `board_id` and `report`)."""
    job = await finished_job(client, headers, project_id, export, **options)
    assert job["status"] == "succeeded", job
    assert job["progress"] == 100
    assert job["stage"] == "done"
    assert job["board_id"] == job["report"]["board_id"]
    return job


# --- fresh reads ------------------------------------------------------------------------


async def fetch[T](session: AsyncSession, stmt: Select[T]) -> list[T]:
    result = await session.execute(stmt.execution_options(populate_existing=True))
    return list(result.scalars())


async def columns_of(session: AsyncSession, board_id: int) -> list[BoardColumn]:
    return await fetch(
        session,
        select(BoardColumn)
        .where(BoardColumn.board_id == board_id)
        .order_by(BoardColumn.position, BoardColumn.id),
    )


async def cards_of(session: AsyncSession, board_id: int) -> list[Card]:
    """Every card (archived ones too) in board order."""
    return await fetch(
        session,
        select(Card)
        .join(BoardColumn, BoardColumn.id == Card.column_id)
        .where(Card.board_id == board_id)
        .order_by(BoardColumn.position, BoardColumn.id, Card.position, Card.id),
    )


async def card_by_external(session: AsyncSession, board_id: int, external_id: str) -> Card:
    found = await fetch(
        session, select(Card).where(Card.board_id == board_id, Card.external_id == external_id)
    )
    assert len(found) == 1, (external_id, found)
    return found[0]


async def labels_of(session: AsyncSession, board_id: int) -> list[Label]:
    return await fetch(session, select(Label).where(Label.board_id == board_id).order_by(Label.id))


async def card_label_names(session: AsyncSession, card_id: int) -> list[str]:
    return await fetch(
        session,
        select(Label.name)
        .join(CardLabel, CardLabel.label_id == Label.id)
        .where(CardLabel.card_id == card_id)
        .order_by(Label.name),
    )


async def assignee_ids(session: AsyncSession, card_id: int) -> list[int]:
    return await fetch(
        session,
        select(CardAssignee.user_id)
        .where(CardAssignee.card_id == card_id)
        .order_by(CardAssignee.user_id),
    )


async def comments_of(session: AsyncSession, card_id: int) -> list[Comment]:
    return await fetch(
        session,
        select(Comment).where(Comment.card_id == card_id).order_by(Comment.created_at, Comment.id),
    )


async def checklists_of(
    session: AsyncSession, card_id: int
) -> list[tuple[str, list[tuple[str, bool]]]]:
    """(title, [(text, is_done)]) in board order."""
    lists = await fetch(
        session,
        select(Checklist)
        .where(Checklist.card_id == card_id)
        .order_by(Checklist.position, Checklist.id),
    )
    out = []
    for checklist in lists:
        items = await fetch(
            session,
            select(ChecklistItem)
            .where(ChecklistItem.checklist_id == checklist.id)
            .order_by(ChecklistItem.position, ChecklistItem.id),
        )
        out.append((checklist.title, [(i.text, i.is_done) for i in items]))
    return out


async def links_of(session: AsyncSession, card_id: int) -> list[Attachment]:
    return await fetch(
        session,
        select(Attachment)
        .where(Attachment.card_id == card_id)
        .order_by(Attachment.created_at, Attachment.id),
    )


async def events_of(session: AsyncSession, card_id: int) -> list[ActivityEvent]:
    return await fetch(
        session,
        select(ActivityEvent)
        .where(ActivityEvent.card_id == card_id)
        .order_by(ActivityEvent.created_at, ActivityEvent.id),
    )


async def count(session: AsyncSession, model: type[Any], *where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    for condition in where:
        stmt = stmt.where(condition)
    return (await session.execute(stmt)).scalar_one()


async def boards_of(session: AsyncSession, project_id: int) -> list[Board]:
    return await fetch(
        session, select(Board).where(Board.project_id == project_id).order_by(Board.id)
    )


async def jobs_of(session: AsyncSession, project_id: int) -> list[ImportJob]:
    return await fetch(
        session,
        select(ImportJob).where(ImportJob.project_id == project_id).order_by(ImportJob.id),
    )


def stored_uploads() -> set[str]:
    """Files kept under DATA_DIR/imports (uploads of queued or failed imports)."""
    root = get_settings().data_dir / "imports"
    return {p.name for p in root.iterdir()} if root.exists() else set()
