"""Boards of a project, the whole-board read, columns and labels."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import PG_BIGINT_MAX, IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS
from ..schemas.board_schema import (
    BoardCreate,
    BoardFull,
    BoardRead,
    BoardUpdate,
    CardSummary,
    ColumnCreate,
    ColumnMove,
    ColumnRead,
    ColumnUpdate,
    DueFilter,
    LabelCreate,
    LabelRead,
    LabelUpdate,
)
from ..schemas.card_schema import ActivityPage, CardCreate, CardRead
from ..services.activity_service import activity_service
from ..services.board_service import board_service
from ..services.card_service import card_service

project_router = APIRouter()
router = APIRouter()
column_router = APIRouter()
label_router = APIRouter()

OptionalId = Annotated[int | None, Query(ge=1, le=PG_BIGINT_MAX)]


@project_router.get("/{project_id}/boards", response_model=list[BoardRead], responses=READ_ERRORS)
async def list_boards(
    project_id: IdPath, actor: CurrentActor, session: SessionDep, archived: bool = False
) -> list[BoardRead]:
    """Boards of the project (the default one first)."""
    return await board_service.list_boards(session, actor, project_id, archived=archived)


@project_router.post(
    "/{project_id}/boards", status_code=201, response_model=BoardRead, responses=WRITE_ERRORS
)
async def create_board(
    project_id: IdPath, data: BoardCreate, actor: CurrentActor, session: SessionDep
) -> BoardRead:
    """Another board for the project (the team's mentors, organisers)."""
    return await board_service.create_board(session, actor, project_id, data)


@router.get("/{board_id}", response_model=BoardFull, responses=READ_ERRORS)
async def read_board(
    board_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    assignee_id: OptionalId = None,
    label_id: OptionalId = None,
    due: DueFilter | None = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Text in title or description.")
    ] = None,
) -> Response:
    """The whole board: columns with their live cards, and the labels."""
    document = await board_service.read_board(
        session, actor, board_id, assignee_id=assignee_id, label_id=label_id, due=due, text=q
    )
    # Built by PostgreSQL in the `BoardFull` shape (the fuzz tests check it).
    return Response(document, media_type="application/json")


@router.patch("/{board_id}", response_model=BoardRead, responses=WRITE_ERRORS)
async def update_board(
    board_id: IdPath, data: BoardUpdate, actor: CurrentActor, session: SessionDep
) -> BoardRead:
    """Rename or describe the board."""
    return await board_service.update_board(session, actor, board_id, data)


@router.post("/{board_id}/archive", response_model=BoardRead, responses=WRITE_ERRORS)
async def archive_board(board_id: IdPath, actor: CurrentActor, session: SessionDep) -> BoardRead:
    """Archive the board (it becomes read-only)."""
    return await board_service.set_board_archived(session, actor, board_id, archived=True)


@router.post("/{board_id}/restore", response_model=BoardRead, responses=WRITE_ERRORS)
async def restore_board(board_id: IdPath, actor: CurrentActor, session: SessionDep) -> BoardRead:
    """Restore an archived board."""
    return await board_service.set_board_archived(session, actor, board_id, archived=False)


@router.delete("/{board_id}", status_code=204, responses=WRITE_ERRORS)
async def delete_board(board_id: IdPath, actor: CurrentActor, session: SessionDep) -> None:
    """Delete an archived board for good (organisers)."""
    await board_service.delete_board(session, actor, board_id)


@router.get("/{board_id}/columns", response_model=list[ColumnRead], responses=READ_ERRORS)
async def list_columns(
    board_id: IdPath, actor: CurrentActor, session: SessionDep, archived: bool = False
) -> list[ColumnRead]:
    """Columns of the board (`archived=true`: the archived ones)."""
    return await board_service.list_columns(session, actor, board_id, archived=archived)


@router.post(
    "/{board_id}/columns", status_code=201, response_model=ColumnRead, responses=WRITE_ERRORS
)
async def create_column(
    board_id: IdPath, data: ColumnCreate, actor: CurrentActor, session: SessionDep
) -> ColumnRead:
    """Add a column (the team's mentors, organisers)."""
    return await board_service.create_column(session, actor, board_id, data)


@router.post(
    "/{board_id}/labels", status_code=201, response_model=LabelRead, responses=WRITE_ERRORS
)
async def create_label(
    board_id: IdPath, data: LabelCreate, actor: CurrentActor, session: SessionDep
) -> LabelRead:
    """Add a label; an empty name is named after its colour."""
    return await board_service.create_label(session, actor, board_id, data)


@router.get("/{board_id}/cards/archived", response_model=Page[CardSummary], responses=READ_ERRORS)
async def list_archived_cards(
    board_id: IdPath, actor: CurrentActor, session: SessionDep, page: PageDep
) -> Page[CardSummary]:
    """Archived cards of the board, most recently archived first."""
    return await card_service.archived_cards(session, actor, board_id, page)


@router.post("/{board_id}/cards", status_code=201, response_model=CardRead, responses=WRITE_ERRORS)
async def create_card(
    board_id: IdPath, data: CardCreate, actor: CurrentActor, session: SessionDep
) -> CardRead:
    """Add a card (the team's members and mentors)."""
    return await card_service.create(session, actor, board_id, data)


@router.get("/{board_id}/activity", response_model=ActivityPage, responses=READ_ERRORS)
async def board_activity(
    board_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ActivityPage:
    """The board's activity feed, newest first."""
    await board_service.board_access(session, actor, board_id)
    return await activity_service.page(session, board_id=board_id, cursor=cursor, limit=limit)


@column_router.patch("/{column_id}", response_model=ColumnRead, responses=WRITE_ERRORS)
async def update_column(
    column_id: IdPath, data: ColumnUpdate, actor: CurrentActor, session: SessionDep
) -> ColumnRead:
    """Rename, change kind or WIP limit (`wip_limit: null` removes it)."""
    return await board_service.update_column(session, actor, column_id, data)


@column_router.post("/{column_id}/move", response_model=ColumnRead, responses=WRITE_ERRORS)
async def move_column(
    column_id: IdPath, data: ColumnMove, actor: CurrentActor, session: SessionDep
) -> ColumnRead:
    """Reorder: place the column after another one (or first)."""
    return await board_service.move_column(session, actor, column_id, data)


@column_router.post("/{column_id}/archive", response_model=ColumnRead, responses=WRITE_ERRORS)
async def archive_column(column_id: IdPath, actor: CurrentActor, session: SessionDep) -> ColumnRead:
    """Archive a column (its cards stay in it)."""
    return await board_service.set_column_archived(session, actor, column_id, archived=True)


@column_router.post("/{column_id}/restore", response_model=ColumnRead, responses=WRITE_ERRORS)
async def restore_column(column_id: IdPath, actor: CurrentActor, session: SessionDep) -> ColumnRead:
    """Restore an archived column."""
    return await board_service.set_column_archived(session, actor, column_id, archived=False)


@column_router.delete("/{column_id}", status_code=204, responses=WRITE_ERRORS)
async def delete_column(column_id: IdPath, actor: CurrentActor, session: SessionDep) -> None:
    """Delete an archived column and its cards for good (organisers)."""
    await board_service.delete_column(session, actor, column_id)


@label_router.patch("/{label_id}", response_model=LabelRead, responses=WRITE_ERRORS)
async def update_label(
    label_id: IdPath, data: LabelUpdate, actor: CurrentActor, session: SessionDep
) -> LabelRead:
    """Rename or recolour a label."""
    return await board_service.update_label(session, actor, label_id, data)


@label_router.post("/{label_id}/archive", response_model=LabelRead, responses=WRITE_ERRORS)
async def archive_label(label_id: IdPath, actor: CurrentActor, session: SessionDep) -> LabelRead:
    """Archive a label (cards keep it in their history)."""
    return await board_service.archive_label(session, actor, label_id)
