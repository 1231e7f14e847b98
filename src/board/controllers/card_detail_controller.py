"""Checklists, comments and attachments of a card."""

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import FileResponse

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS, Problem
from ..schemas.card_schema import (
    AttachmentRead,
    ChecklistCreate,
    ChecklistItemCreate,
    ChecklistItemRead,
    ChecklistItemUpdate,
    ChecklistRead,
    ChecklistUpdate,
    CommentCreate,
    CommentRead,
    LinkCreate,
)
from ..services.card_detail_service import card_detail_service

router = APIRouter()
attachment_router = APIRouter()


@router.get("/{card_id}/checklists", response_model=list[ChecklistRead], responses=READ_ERRORS)
async def list_checklists(
    card_id: IdPath, actor: CurrentActor, session: SessionDep
) -> list[ChecklistRead]:
    """Checklists of the card with their items, in order."""
    return await card_detail_service.list_checklists(session, actor, card_id)


@router.post(
    "/{card_id}/checklists", status_code=201, response_model=ChecklistRead, responses=WRITE_ERRORS
)
async def create_checklist(
    card_id: IdPath, data: ChecklistCreate, actor: CurrentActor, session: SessionDep
) -> ChecklistRead:
    """Add a checklist to the card."""
    return await card_detail_service.create_checklist(session, actor, card_id, data)


@router.patch(
    "/{card_id}/checklists/{checklist_id}", response_model=ChecklistRead, responses=WRITE_ERRORS
)
async def update_checklist(
    card_id: IdPath,
    checklist_id: IdPath,
    data: ChecklistUpdate,
    actor: CurrentActor,
    session: SessionDep,
) -> ChecklistRead:
    """Rename a checklist."""
    return await card_detail_service.update_checklist(session, actor, card_id, checklist_id, data)


@router.post(
    "/{card_id}/checklists/{checklist_id}/archive", status_code=204, responses=WRITE_ERRORS
)
async def archive_checklist(
    card_id: IdPath, checklist_id: IdPath, actor: CurrentActor, session: SessionDep
) -> None:
    """Archive a checklist."""
    await card_detail_service.archive_checklist(session, actor, card_id, checklist_id)


@router.post(
    "/{card_id}/checklists/{checklist_id}/items",
    status_code=201,
    response_model=ChecklistItemRead,
    responses=WRITE_ERRORS,
)
async def add_checklist_item(
    card_id: IdPath,
    checklist_id: IdPath,
    data: ChecklistItemCreate,
    actor: CurrentActor,
    session: SessionDep,
) -> ChecklistItemRead:
    """Add an item (optionally with an assignee from the team and a due date)."""
    return await card_detail_service.add_item(session, actor, card_id, checklist_id, data)


@router.patch(
    "/{card_id}/checklist-items/{item_id}", response_model=ChecklistItemRead, responses=WRITE_ERRORS
)
async def update_checklist_item(
    card_id: IdPath,
    item_id: IdPath,
    data: ChecklistItemUpdate,
    actor: CurrentActor,
    session: SessionDep,
) -> ChecklistItemRead:
    """Tick, untick, edit or reorder an item."""
    return await card_detail_service.update_item(session, actor, card_id, item_id, data)


@router.post(
    "/{card_id}/checklist-items/{item_id}/archive", status_code=204, responses=WRITE_ERRORS
)
async def archive_checklist_item(
    card_id: IdPath, item_id: IdPath, actor: CurrentActor, session: SessionDep
) -> None:
    """Archive an item."""
    await card_detail_service.archive_item(session, actor, card_id, item_id)


@router.get("/{card_id}/comments", response_model=Page[CommentRead], responses=READ_ERRORS)
async def list_comments(
    card_id: IdPath, actor: CurrentActor, session: SessionDep, page: PageDep
) -> Page[CommentRead]:
    """Comments, oldest first."""
    return await card_detail_service.list_comments(session, actor, card_id, page)


@router.post(
    "/{card_id}/comments", status_code=201, response_model=CommentRead, responses=WRITE_ERRORS
)
async def add_comment(
    card_id: IdPath, data: CommentCreate, actor: CurrentActor, session: SessionDep
) -> CommentRead:
    """Comment (Markdown; @username mentions teammates)."""
    return await card_detail_service.add_comment(session, actor, card_id, data)


@router.patch(
    "/{card_id}/comments/{comment_id}", response_model=CommentRead, responses=WRITE_ERRORS
)
async def edit_comment(
    card_id: IdPath,
    comment_id: IdPath,
    data: CommentCreate,
    actor: CurrentActor,
    session: SessionDep,
) -> CommentRead:
    """Edit your own comment."""
    return await card_detail_service.edit_comment(session, actor, card_id, comment_id, data)


@router.delete("/{card_id}/comments/{comment_id}", status_code=204, responses=WRITE_ERRORS)
async def delete_comment(
    card_id: IdPath, comment_id: IdPath, actor: CurrentActor, session: SessionDep
) -> None:
    """Delete your own comment (soft: it is hidden, not erased)."""
    await card_detail_service.delete_comment(session, actor, card_id, comment_id)


@router.get("/{card_id}/attachments", response_model=list[AttachmentRead], responses=READ_ERRORS)
async def list_attachments(
    card_id: IdPath, actor: CurrentActor, session: SessionDep
) -> list[AttachmentRead]:
    """Files and links attached to the card."""
    return await card_detail_service.list_attachments(session, actor, card_id)


@router.post(
    "/{card_id}/attachments",
    status_code=201,
    response_model=AttachmentRead,
    responses={**WRITE_ERRORS, 413: {"model": Problem}},
)
async def upload_attachment(
    card_id: IdPath,
    file: Annotated[UploadFile, File()],
    actor: CurrentActor,
    session: SessionDep,
) -> AttachmentRead:
    """Attach a file (20 MB by default); it is stored under a generated name."""
    return await card_detail_service.upload(
        session, actor, card_id, filename=file.filename, stream=file.file
    )


@router.post(
    "/{card_id}/attachments/links",
    status_code=201,
    response_model=AttachmentRead,
    responses=WRITE_ERRORS,
)
async def add_link(
    card_id: IdPath, data: LinkCreate, actor: CurrentActor, session: SessionDep
) -> AttachmentRead:
    """Attach a link (never fetched by the server)."""
    return await card_detail_service.add_link(session, actor, card_id, data)


@attachment_router.get(
    "/{attachment_id}/download",
    response_class=FileResponse,
    responses={
        **READ_ERRORS,
        409: {"model": Problem},
        200: {"content": {"application/octet-stream": {}}},
    },
)
async def download_attachment(
    attachment_id: IdPath, actor: CurrentActor, session: SessionDep
) -> FileResponse:
    """Download a file attachment (always as a download, never rendered inline)."""
    path, filename, content_type = await card_detail_service.file_of(session, actor, attachment_id)
    return FileResponse(
        path,
        media_type=content_type,
        filename=filename,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )


@attachment_router.delete("/{attachment_id}", status_code=204, responses=WRITE_ERRORS)
async def remove_attachment(
    attachment_id: IdPath, actor: CurrentActor, session: SessionDep
) -> None:
    """Remove an attachment from the card (soft delete)."""
    await card_detail_service.remove(session, actor, attachment_id)
