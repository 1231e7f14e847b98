"""Use cases of user accounts."""

from sqlalchemy.ext.asyncio import AsyncSession

from ..lib.security.passwords import hash_password
from .exceptions import UserAlreadyExistsError, UserNotFoundError
from .user_model import User
from .user_repository import UserRepository
from .user_schema import UserCreate


class UserService:
    """Stateless: every method receives the session of the unit of work it runs in."""

    async def create_user(
        self, session: AsyncSession, data: UserCreate, *, is_admin: bool = False
    ) -> User:
        repo = UserRepository(session)
        # Friendly answers for the common case; the unique indexes decide under races.
        if await repo.get_by_email(data.email) is not None:
            raise UserAlreadyExistsError("email")
        if await repo.get_by_username(data.username) is not None:
            raise UserAlreadyExistsError("username")
        return await repo.create(
            email=data.email,
            username=data.username,
            full_name=data.full_name,
            hashed_password=await hash_password(data.password),
            is_admin=is_admin,
        )

    async def get_user(self, session: AsyncSession, user_id: int) -> User:
        user = await UserRepository(session).get_by_id(user_id)
        if user is None:
            raise UserNotFoundError
        return user

    async def get_user_by_username(self, session: AsyncSession, username: str) -> User:
        user = await UserRepository(session).get_by_username(username)
        if user is None:
            raise UserNotFoundError
        return user


user_service = UserService()
