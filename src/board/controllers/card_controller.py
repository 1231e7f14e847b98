"""Cards: read, edit, move, archive; my cards; search; activity."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS
from ..schemas.board_schema import DueFilter
from ..schemas.card_schema import ActivityPage, CardListItem, CardMove, CardRead, CardUpdate
from ..services.activity_service import activity_service
from ..services.card_service import card_service, parse_if_match

router = APIRouter()

IfMatch = Annotated[str | None, Header(max_length=32, description='The card version, e.g. "3".')]


@router.get("/my", response_model=Page[CardListItem], responses=READ_ERRORS)
async def my_cards(
    actor: CurrentActor,
    session: SessionDep,
    page: PageDep,
    include_done: bool = False,
    due: DueFilter | None = None,
) -> Page[CardListItem]:
    """Cards assigned to you on every board you work on, soonest due first."""
    return await card_service.my_cards(session, actor, page, include_done=include_done, due=due)


@router.get("/search", response_model=Page[CardListItem], responses=READ_ERRORS)
async def search_cards(
    actor: CurrentActor,
    session: SessionDep,
    page: PageDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
) -> Page[CardListItem]:
    """Full-text search in titles, descriptions and comments (Russian and English)."""
    return await card_service.search(session, actor, q, page)


@router.get("/{card_id}", response_model=CardRead, responses=READ_ERRORS)
async def read_card(
    card_id: IdPath, actor: CurrentActor, session: SessionDep, response: Response
) -> CardRead:
    """One card; the ETag header carries its version."""
    card = await card_service.read(session, actor, card_id)
    response.headers["ETag"] = f'"{card.version}"'
    return card


@router.patch("/{card_id}", response_model=CardRead, responses=WRITE_ERRORS)
async def update_card(
    card_id: IdPath,
    data: CardUpdate,
    actor: CurrentActor,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> CardRead:
    """Edit a card; with a stale `version` (or If-Match) → 409 and the current card."""
    card = await card_service.update(
        session, actor, card_id, data, if_match=parse_if_match(if_match)
    )
    response.headers["ETag"] = f'"{card.version}"'
    return card


@router.post("/{card_id}/move", response_model=CardRead, responses=WRITE_ERRORS)
async def move_card(
    card_id: IdPath,
    data: CardMove,
    actor: CurrentActor,
    session: SessionDep,
    if_match: IfMatch = None,
) -> CardRead:
    """Move to a column, after or before a neighbour (or to the top or bottom)."""
    return await card_service.move(session, actor, card_id, data, if_match=parse_if_match(if_match))


@router.post("/{card_id}/archive", response_model=CardRead, responses=WRITE_ERRORS)
async def archive_card(card_id: IdPath, actor: CurrentActor, session: SessionDep) -> CardRead:
    """Archive the card."""
    return await card_service.set_archived(session, actor, card_id, archived=True)


@router.post("/{card_id}/restore", response_model=CardRead, responses=WRITE_ERRORS)
async def restore_card(
    card_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    force: Annotated[bool, Query()] = False,
) -> CardRead:
    """Restore an archived card (to the bottom of its column).

    The column's WIP limit applies as to a move: a full column answers 409
    `wip_limit_reached`, and `force=true` lets mentors and organisers exceed it.
    """
    return await card_service.set_archived(session, actor, card_id, archived=False, force=force)


@router.delete("/{card_id}", status_code=204, responses=WRITE_ERRORS)
async def delete_card(card_id: IdPath, actor: CurrentActor, session: SessionDep) -> None:
    """Delete an archived card for good (organisers)."""
    await card_service.delete(session, actor, card_id)


@router.get("/{card_id}/activity", response_model=ActivityPage, responses=READ_ERRORS)
async def card_activity(
    card_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ActivityPage:
    """The card's history, newest first."""
    await card_service.read(session, actor, card_id)
    return await activity_service.page(session, card_id=card_id, cursor=cursor, limit=limit)
