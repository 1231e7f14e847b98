"""Queries on the `users` table."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .exceptions import UserAlreadyExistsError
from .user_model import User

_CONSTRAINT_FIELDS = {
    "uq_users_email_lower": "email",
    "uq_users_username_lower": "username",
}


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_username(self, username: str) -> User | None:
        stmt = select(User).where(func.lower(User.username) == username.lower())
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_by_email(self, email: str) -> User | None:
        stmt = select(User).where(func.lower(User.email) == email.lower())
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_by_login(self, login: str) -> User | None:
        """By username or e-mail, ignoring case."""
        lowered = login.lower()
        stmt = select(User).where(
            (func.lower(User.username) == lowered) | (func.lower(User.email) == lowered)
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def create(
        self,
        *,
        email: str,
        username: str,
        full_name: str,
        hashed_password: str,
        is_admin: bool = False,
    ) -> User:
        user = User(
            email=email,
            username=username,
            full_name=full_name,
            hashed_password=hashed_password,
            is_admin=is_admin,
            is_active=True,
        )
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise UserAlreadyExistsError(_conflicting_field(exc)) from None
        return user


def _conflicting_field(exc: IntegrityError) -> str:
    message = str(exc.orig)
    for constraint, field in _CONSTRAINT_FIELDS.items():
        if constraint in message:
            return field
    raise exc
