"""Use cases of user accounts: registration, profiles, visibility, activation."""

import datetime as dt

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from ..lib.clock import utcnow
from ..lib.pagination import Page, PageParams
from ..lib.security.actor import Actor
from ..lib.security.passwords import check_password_policy, hash_password
from .exceptions import (
    AdminRequiredError,
    CannotDeactivateSelfError,
    UserAlreadyExistsError,
    UserNotFoundError,
)
from .user_model import User
from .user_repository import UserRepository
from .user_schema import Credentials, UserCreate, UserFilters, UserRead, UserUpdate


class UserService:
    """Stateless: every method receives the session of the unit of work it runs in."""

    # --- registration -----------------------------------------------------------------

    async def create_user(self, session: AsyncSession, actor: Actor, data: UserCreate) -> User:
        """An organiser creates an account (others join through invitations)."""
        if not actor.is_admin:
            raise AdminRequiredError
        return await self.register(session, data)

    async def register(
        self, session: AsyncSession, data: UserCreate, *, is_admin: bool = False
    ) -> User:
        """Create an account; for trusted callers (invitations, CLI, demo data)."""
        repo = UserRepository(session)
        # Friendly answers for the common case; the unique indexes decide under races.
        if await repo.get_by_email(data.email) is not None:
            raise UserAlreadyExistsError("email")
        if await repo.get_by_username(data.username) is not None:
            raise UserAlreadyExistsError("username")
        check_password_policy(data.password, username=data.username)
        return await repo.create(
            email=data.email,
            username=data.username,
            full_name=data.full_name,
            hashed_password=await hash_password(data.password),
            is_admin=is_admin,
        )

    async def email_is_taken(self, session: AsyncSession, email: str) -> bool:
        return await UserRepository(session).get_by_email(email) is not None

    # --- reading ----------------------------------------------------------------------

    async def get_user(self, session: AsyncSession, actor: Actor, user_id: int) -> User:
        user = await UserRepository(session).get_readable_by_id(actor, user_id)
        if user is None:
            raise UserNotFoundError
        return user

    async def get_user_by_username(
        self, session: AsyncSession, actor: Actor, username: str
    ) -> User:
        user = await UserRepository(session).get_readable_by_username(actor, username)
        if user is None:
            raise UserNotFoundError
        return user

    async def list_users(
        self, session: AsyncSession, actor: Actor, filters: UserFilters, page: PageParams
    ) -> Page[UserRead]:
        users, total = await UserRepository(session).get_user_list(
            actor, filters, limit=page.limit, offset=page.offset
        )
        return Page[UserRead](
            items=[UserRead.model_validate(u) for u in users],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def exists(self, session: AsyncSession, user_id: int) -> bool:
        return await UserRepository(session).get_by_id(user_id) is not None

    async def find_by_email(self, session: AsyncSession, email: str) -> User | None:
        """Unscoped lookup for trusted callers (bulk onboarding)."""
        return await UserRepository(session).get_by_email(email)

    async def find_by_username(self, session: AsyncSession, username: str) -> User | None:
        """Unscoped lookup for trusted callers (demo data, imports)."""
        return await UserRepository(session).get_by_username(username)

    # --- profile ----------------------------------------------------------------------

    async def update_profile(self, session: AsyncSession, actor: Actor, data: UserUpdate) -> User:
        repo = UserRepository(session)
        user = await repo.get_by_id(actor.user_id)
        if user is None:
            raise UserNotFoundError
        values = data.model_dump(exclude_unset=True, exclude_none=True)
        return await repo.update_fields(user, **values)

    # --- activation (organisers) ------------------------------------------------------

    async def set_active(
        self, session: AsyncSession, actor: Actor, user_id: int, *, active: bool
    ) -> User:
        repo = UserRepository(session)
        # Visibility before permission: nobody learns of a user they may not see.
        user = await repo.get_readable_by_id(actor, user_id)
        if user is None:
            raise UserNotFoundError
        if not actor.is_admin:
            raise AdminRequiredError
        if not active and user_id == actor.user_id:
            raise CannotDeactivateSelfError
        if user.is_active == active:
            return user
        if active:
            return await repo.update_fields(user, is_active=True, deactivated_at=None)
        now = utcnow()
        # Every token issued so far stops working, and stays dead after reactivation.
        return await repo.update_fields(
            user, is_active=False, deactivated_at=now, tokens_valid_after=now
        )

    # --- for the auth context ---------------------------------------------------------

    def token_holder_query(self) -> Select[int, bool, bool, dt.datetime | None]:
        """id, is_active, is_admin and tokens_valid_after of the user `:user_id` (a bound
        parameter), as a statement to embed: the auth context checks a token in one query."""
        return UserRepository.token_holder_query()

    async def get_credentials(self, session: AsyncSession, login: str) -> Credentials | None:
        user = await UserRepository(session).get_by_login(login)
        return None if user is None else _credentials(user)

    async def get_credentials_by_id(
        self, session: AsyncSession, user_id: int
    ) -> Credentials | None:
        user = await UserRepository(session).get_by_id(user_id)
        return None if user is None else _credentials(user)

    async def set_password_hash(
        self, session: AsyncSession, user_id: int, hashed_password: str, *, invalidate: bool
    ) -> dt.datetime:
        """Store a new hash; with `invalidate`, tokens issued until now stop working."""
        repo = UserRepository(session)
        user = await repo.get_by_id(user_id)
        if user is None:
            raise UserNotFoundError
        now = utcnow()
        values: dict[str, object] = {"hashed_password": hashed_password}
        if invalidate:
            values["tokens_valid_after"] = now
        await repo.update_fields(user, **values)
        return now

    async def invalidate_tokens(self, session: AsyncSession, user_id: int) -> None:
        """Every token issued until now stops working."""
        repo = UserRepository(session)
        user = await repo.get_by_id(user_id)
        if user is None:
            raise UserNotFoundError
        await repo.update_fields(user, tokens_valid_after=utcnow())

    async def lock(self, session: AsyncSession, user_id: int) -> None:
        """Serialise use cases on one account (row lock until the unit of work ends)."""
        await UserRepository(session).lock(user_id)

    async def record_login(self, session: AsyncSession, user_id: int) -> None:
        await UserRepository(session).touch_last_login(user_id, utcnow())


def _credentials(user: User) -> Credentials:
    return Credentials(
        user_id=user.id,
        username=user.username,
        hashed_password=user.hashed_password,
        is_active=user.is_active,
        is_admin=user.is_admin,
        tokens_valid_after=user.tokens_valid_after,
    )


user_service = UserService()
