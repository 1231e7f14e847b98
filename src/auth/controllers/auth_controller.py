"""Login, tokens, logout, the current user, password change and the login audit."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.security import OAuth2PasswordRequestForm

from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import PG_BIGINT_MAX
from ...lib.problem_details import Problem
from ...user.user_schema import UserRead
from ...user.user_service import user_service
from ..dependencies import AccessClaimsDep, AdminActor, ClientIp, CurrentActor
from ..schemas.login_attempt_schema import LoginAttemptRead
from ..schemas.token_schema import (
    LoginRequest,
    LogoutRequest,
    PasswordChange,
    RefreshRequest,
    TokenPair,
)
from ..services.auth_service import auth_service

router = APIRouter()

_LOGIN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Wrong login or password, or inactive account."},
    429: {"model": Problem, "description": "Too many failed attempts; see Retry-After."},
}
_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Missing, invalid or expired access token."},
}


@router.post("/token", response_model=TokenPair, responses=_LOGIN_ERRORS)
async def login_form(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    ip: ClientIp,
) -> TokenPair:
    """Log in with the OAuth2 password form (the Authorize button of /docs)."""
    return await auth_service.login(
        session, login=form.username, password=form.password, ip_address=ip
    )


@router.post("/login", response_model=TokenPair, responses=_LOGIN_ERRORS)
async def login_json(data: LoginRequest, session: SessionDep, ip: ClientIp) -> TokenPair:
    """Log in with username or e-mail and password."""
    return await auth_service.login(
        session, login=data.login, password=data.password, ip_address=ip
    )


@router.post("/refresh", response_model=TokenPair, responses=_AUTH_ERRORS)
async def refresh(data: RefreshRequest, session: SessionDep) -> TokenPair:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    return await auth_service.refresh(session, data.refresh_token)


@router.post("/logout", status_code=204, responses=_AUTH_ERRORS)
async def logout(
    data: LogoutRequest, actor: CurrentActor, claims: AccessClaimsDep, session: SessionDep
) -> None:
    """Revoke this access token (and the given refresh token's login, or every session)."""
    await auth_service.logout(session, actor, claims, data)


@router.get("/me", response_model=UserRead, responses=_AUTH_ERRORS)
async def me(actor: CurrentActor, session: SessionDep) -> UserRead:
    """The authenticated user."""
    return UserRead.model_validate(await user_service.get_user(session, actor, actor.user_id))


@router.post(
    "/password",
    response_model=TokenPair,
    responses={
        **_AUTH_ERRORS,
        400: {"model": Problem, "description": "The current password is wrong."},
        422: {"model": Problem, "description": "The new password is too weak."},
    },
)
async def change_password(
    data: PasswordChange, actor: CurrentActor, session: SessionDep
) -> TokenPair:
    """Change your password; other sessions end, this one gets a new token pair."""
    return await auth_service.change_password(session, actor, data)


@router.get(
    "/login-attempts",
    response_model=Page[LoginAttemptRead],
    responses={**_AUTH_ERRORS, 403: {"model": Problem, "description": "Organisers only."}},
)
async def list_login_attempts(
    actor: AdminActor,
    session: SessionDep,
    page: PageDep,
    user_id: Annotated[int | None, Query(ge=1, le=PG_BIGINT_MAX)] = None,
    ip_address: Annotated[str | None, Query(max_length=64)] = None,
    succeeded: bool | None = None,
) -> Page[LoginAttemptRead]:
    """The login audit trail, newest first (organisers)."""
    return await auth_service.list_login_attempts(
        session, actor, user_id=user_id, ip_address=ip_address, succeeded=succeeded, page=page
    )
