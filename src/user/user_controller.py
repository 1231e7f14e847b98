"""HTTP endpoints of the users API (seed 004), behind authentication."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from ..auth.dependencies import CurrentActor
from ..config.database.db_helper import SessionDep
from ..lib.pagination import Page, PageDep
from ..lib.params import IdPath
from ..lib.problem_details import Problem
from .user_schema import UserCreate, UserFilters, UserMerge, UserRead, UserSort, UserUpdate
from .user_service import user_service

router = APIRouter()

_AUTH: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Not authenticated."}
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **_AUTH,
    404: {"model": Problem, "description": "No such user, or not visible to you."},
}
_ADMIN: dict[int | str, dict[str, Any]] = {
    **_NOT_FOUND,
    403: {"model": Problem, "description": "Organisers only."},
}


def user_filters(
    q: Annotated[
        str | None, Query(max_length=100, description="Text in name, username, e-mail.")
    ] = None,
    is_active: bool | None = None,
    is_admin: bool | None = None,
    sort: UserSort = "username",
) -> UserFilters:
    return UserFilters(q=q, is_active=is_active, is_admin=is_admin, sort=sort)


@router.post(
    "",
    status_code=201,
    response_model=UserRead,
    responses={
        **_AUTH,
        403: {"model": Problem, "description": "Organisers only."},
        409: {"model": Problem, "description": "E-mail or username already taken."},
        422: {"model": Problem, "description": "Invalid payload or weak password."},
    },
)
async def create_user(data: UserCreate, actor: CurrentActor, session: SessionDep) -> UserRead:
    """Create a user account (organisers); the password is stored only as an Argon2id hash."""
    return UserRead.model_validate(await user_service.create_user(session, actor, data))


@router.get("", response_model=Page[UserRead], responses=_AUTH)
async def list_users(
    actor: CurrentActor,
    session: SessionDep,
    page: PageDep,
    filters: Annotated[UserFilters, Depends(user_filters)],
) -> Page[UserRead]:
    """Users you may see: organisers see everyone, others the people of their internships."""
    return await user_service.list_users(session, actor, filters, page)


@router.patch("/me", response_model=UserRead, responses=_AUTH)
async def update_me(data: UserUpdate, actor: CurrentActor, session: SessionDep) -> UserRead:
    """Edit your own profile."""
    return UserRead.model_validate(await user_service.update_profile(session, actor, data))


@router.get("/by-username/{username}", response_model=UserRead, responses=_NOT_FOUND)
async def get_user_by_username(
    username: Annotated[str, Path(min_length=1, max_length=64)],
    actor: CurrentActor,
    session: SessionDep,
) -> UserRead:
    """Find a user by username, ignoring case."""
    user = await user_service.get_user_by_username(session, actor, username)
    return UserRead.model_validate(user)


@router.get("/{user_id}", response_model=UserRead, responses=_NOT_FOUND)
async def get_user(user_id: IdPath, actor: CurrentActor, session: SessionDep) -> UserRead:
    """Read one user by id."""
    return UserRead.model_validate(await user_service.get_user(session, actor, user_id))


@router.post(
    "/{user_id}/deactivate",
    response_model=UserRead,
    responses={**_ADMIN, 409: {"model": Problem, "description": "Cannot deactivate yourself."}},
)
async def deactivate_user(user_id: IdPath, actor: CurrentActor, session: SessionDep) -> UserRead:
    """Deactivate an account: no more logins, and every token of it stops working."""
    user = await user_service.set_active(session, actor, user_id, active=False)
    return UserRead.model_validate(user)


@router.post("/{user_id}/reactivate", response_model=UserRead, responses=_ADMIN)
async def reactivate_user(user_id: IdPath, actor: CurrentActor, session: SessionDep) -> UserRead:
    """Let a deactivated account log in again (old tokens stay dead)."""
    user = await user_service.set_active(session, actor, user_id, active=True)
    return UserRead.model_validate(user)


@router.post(
    "/{user_id}/merge",
    response_model=UserRead,
    responses={
        **_ADMIN,
        409: {"model": Problem, "description": "Not a placeholder, or merged already."},
        422: {"model": Problem, "description": "The target is no active real account."},
    },
)
async def merge_user(
    user_id: IdPath, data: UserMerge, actor: CurrentActor, session: SessionDep
) -> UserRead:
    """Merge a placeholder from an import into a real account (organisers): its
    assignments, comments and history move over. Answers the real account."""
    user = await user_service.merge_placeholder(session, actor, user_id, data.into_user_id)
    return UserRead.model_validate(user)
