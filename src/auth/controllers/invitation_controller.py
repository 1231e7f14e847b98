"""Invitations: issue, list, revoke (organisers); preview and accept (by link)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import IdPath
from ...lib.problem_details import Problem
from ..constants import InvitationStatus
from ..dependencies import CurrentActor
from ..schemas.invitation_schema import (
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationIssued,
    InvitationPreview,
    InvitationRead,
)
from ..services.invitation_service import invitation_service

router = APIRouter()

TokenPath = Annotated[str, Path(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_\-]+$")]

_ORGANISER: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Not authenticated."},
    403: {"model": Problem, "description": "Not allowed to invite."},
}
_LINK: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown link."},
    410: {"model": Problem, "description": "The link was used, revoked or has expired."},
}


@router.post(
    "",
    status_code=201,
    response_model=InvitationIssued,
    responses={**_ORGANISER, 409: {"model": Problem, "description": "E-mail already registered."}},
)
async def create_invitation(
    data: InvitationCreate, actor: CurrentActor, session: SessionDep
) -> InvitationIssued:
    """Invite an e-mail with a role; the link token appears only in this response."""
    return await invitation_service.invite(session, actor, data)


@router.get("", response_model=Page[InvitationRead], responses=_ORGANISER)
async def list_invitations(
    actor: CurrentActor,
    session: SessionDep,
    page: PageDep,
    status: InvitationStatus | None = None,
    email: Annotated[str | None, Query(max_length=255)] = None,
) -> Page[InvitationRead]:
    """Invitations, newest first (organisers)."""
    return await invitation_service.list_invitations(
        session, actor, status=status, email=email, page=page
    )


@router.post(
    "/{invitation_id}/revoke",
    response_model=InvitationRead,
    responses={**_ORGANISER, 404: {"model": Problem}, 410: {"model": Problem}},
)
async def revoke_invitation(
    invitation_id: IdPath, actor: CurrentActor, session: SessionDep
) -> InvitationRead:
    """Revoke a pending invitation: its link stops working."""
    return await invitation_service.revoke(session, actor, invitation_id)


@router.get("/{token}", response_model=InvitationPreview, responses=_LINK)
async def preview_invitation(token: TokenPath, session: SessionDep) -> InvitationPreview:
    """What an invitation link offers (no authentication: the link is the credential)."""
    return await invitation_service.preview(session, token)


@router.post(
    "/{token}/accept",
    status_code=201,
    response_model=InvitationAccepted,
    responses={**_LINK, 409: {"model": Problem, "description": "Username or e-mail taken."}},
)
async def accept_invitation(
    token: TokenPath, data: InvitationAccept, session: SessionDep
) -> InvitationAccepted:
    """Create the account the invitation offers and log in."""
    return await invitation_service.accept(session, token, data)
