"""HTTP endpoints of the users API (seed 004)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path

from ..config.database.db_helper import SessionDep
from ..lib.params import IdPath
from ..lib.problem_details import Problem
from .user_schema import UserCreate, UserRead
from .user_service import user_service

router = APIRouter()

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such user."}
}


@router.post(
    "",
    status_code=201,
    response_model=UserRead,
    responses={409: {"model": Problem, "description": "E-mail or username already taken."}},
)
async def create_user(data: UserCreate, session: SessionDep) -> UserRead:
    """Create a user account; the password is stored only as an Argon2id hash."""
    user = await user_service.create_user(session, data)
    return UserRead.model_validate(user)


@router.get("/by-username/{username}", response_model=UserRead, responses=_NOT_FOUND)
async def get_user_by_username(
    username: Annotated[str, Path(min_length=1, max_length=64)], session: SessionDep
) -> UserRead:
    """Find a user by username, ignoring case."""
    user = await user_service.get_user_by_username(session, username)
    return UserRead.model_validate(user)


@router.get("/{user_id}", response_model=UserRead, responses=_NOT_FOUND)
async def get_user(user_id: IdPath, session: SessionDep) -> UserRead:
    """Read one user by id."""
    user = await user_service.get_user(session, user_id)
    return UserRead.model_validate(user)
