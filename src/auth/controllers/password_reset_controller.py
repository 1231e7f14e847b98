"""Password resets: organisers issue a link; the link sets a new password."""

from typing import Annotated, Any

from fastapi import APIRouter, Path

from ...config.database.db_helper import SessionDep
from ...lib.problem_details import Problem
from ..dependencies import CurrentActor
from ..schemas.password_reset_schema import (
    PasswordResetComplete,
    PasswordResetCreate,
    PasswordResetIssued,
)
from ..services.password_reset_service import password_reset_service

router = APIRouter()

TokenPath = Annotated[str, Path(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_\-]+$")]

_ISSUE: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem},
    403: {"model": Problem, "description": "Organisers only."},
    404: {"model": Problem, "description": "No such user."},
}


@router.post("", status_code=201, response_model=PasswordResetIssued, responses=_ISSUE)
async def issue_password_reset(
    data: PasswordResetCreate, actor: CurrentActor, session: SessionDep
) -> PasswordResetIssued:
    """Issue a one-time password reset link for a user (organisers)."""
    return await password_reset_service.issue(session, actor, data)


@router.post(
    "/{token}/complete",
    status_code=204,
    responses={404: {"model": Problem}, 410: {"model": Problem}, 422: {"model": Problem}},
)
async def complete_password_reset(
    token: TokenPath, data: PasswordResetComplete, session: SessionDep
) -> None:
    """Set a new password with a reset link; every session of the user ends."""
    await password_reset_service.complete(session, token, data)
