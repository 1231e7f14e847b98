"""Use cases of user accounts: registration, profiles, visibility, activation."""

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii
from sqlalchemy.ext.asyncio import AsyncSession

from ..lib.clock import utcnow
from ..lib.errors import UnprocessableError
from ..lib.events import publish
from ..lib.pagination import Page, PageParams
from ..lib.security.actor import Actor
from ..lib.security.passwords import (
    check_password_policy,
    hash_password,
    password_user_inputs,
)
from .events import UsersMerged
from .exceptions import (
    AdminRequiredError,
    CannotDeactivateSelfError,
    NotAPlaceholderError,
    UserAlreadyExistsError,
    UserNotFoundError,
)
from .user_model import User
from .user_repository import UserRepository
from .user_schema import (
    Credentials,
    PlaceholderSpec,
    PlaceholderUser,
    UserCreate,
    UserFilters,
    UserRead,
    UserUpdate,
)

_NOT_USERNAME = re.compile(r"[^A-Za-z0-9._\-]+")
_PLACEHOLDER_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class TokenHolder:
    """What the auth context needs of an account to accept its access token."""

    user_id: int
    is_active: bool
    is_admin: bool
    tokens_valid_after: dt.datetime | None


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
        await check_password_policy(
            data.password,
            user_inputs=password_user_inputs(
                username=data.username, email=data.email, full_name=data.full_name
            ),
        )
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
        return await repo.update(user, **values)

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
        if active and user.is_placeholder:
            raise NotAPlaceholderError(
                "A placeholder from an import cannot sign in; merge it into a real account."
            )
        if user.is_active == active:
            return user
        if active:
            return await repo.update(user, is_active=True, deactivated_at=None)
        now = utcnow()
        # Every token issued so far stops working, and stays dead after reactivation.
        return await repo.update(user, is_active=False, deactivated_at=now, tokens_valid_after=now)

    # --- people named by imports (the importer matches them) --------------------------

    async def find_people(
        self, session: AsyncSession, usernames: Sequence[str], full_names: Sequence[str]
    ) -> Sequence[User]:
        """Accounts named by username (active ones, or placeholders) or by full name
        (active real accounts only), ignoring case."""
        return await UserRepository(session).find_people(usernames, full_names)

    async def find_by_external_ids(
        self, session: AsyncSession, external_ids: Sequence[str]
    ) -> Sequence[User]:
        """Placeholders made by earlier imports for these source people."""
        return await UserRepository(session).get_by_external_ids(external_ids)

    async def ensure_placeholders(
        self, session: AsyncSession, people: Sequence[PlaceholderSpec]
    ) -> dict[str, PlaceholderUser]:
        """The placeholder of each person (by `key`), made when there is none yet.

        Safe when several imports need the same placeholder at once: an insert that
        meets another transaction's placeholder waits for it and then reads it instead
        of failing, and every caller inserts in one order (by external id), so two
        imports cannot wait for each other.
        """
        repo = UserRepository(session)
        secret_hash: str | None = None
        made: dict[str, PlaceholderUser] = {}
        for person in sorted(people, key=lambda p: p.external_id):
            if secret_hash is None:  # nobody knows this password: no sign-in
                secret_hash = await hash_password(secrets.token_urlsafe(32))
            for _ in range(_PLACEHOLDER_ATTEMPTS):
                user_id = await repo.insert_placeholder(
                    username=await self._free_username(repo, person, person.source),
                    full_name=(person.full_name or person.username or person.key)[:200],
                    external_id=person.external_id,
                    hashed_password=secret_hash,
                )
                if user_id is not None:
                    made[person.key] = PlaceholderUser(user_id=user_id, created=True)
                    break
                found = await repo.get_placeholder(person.external_id)
                if found is not None:
                    target = found.merged_into_id or found.id
                    made[person.key] = PlaceholderUser(user_id=target, created=False)
                    break
                # Another transaction took the username just chosen: choose again.
            else:
                raise UserAlreadyExistsError("username")
        return made

    async def names(
        self, session: AsyncSession, user_ids: Sequence[int]
    ) -> dict[int, tuple[str, str]]:
        """Username and full name of each id (trusted callers: exports of visible boards)."""
        if not user_ids:
            return {}
        users = await UserRepository(session).get_by_ids(sorted(set(user_ids)))
        return {u.id: (u.username, u.full_name) for u in users}

    async def _free_username(
        self, repo: UserRepository, person: PlaceholderSpec, source: str
    ) -> str:
        # Usernames are ASCII (see USERNAME_PATTERN): other scripts are transliterated,
        # so «Иван Петров» becomes `Ivan.Petrov.trello`, not `member.trello`.
        name = anyascii(person.username or person.full_name.replace(" ", "."))
        base = _NOT_USERNAME.sub("", name)
        base = (base or "member")[:20]
        stem = f"{base}.{source}"[:28]
        candidates = [stem] + [f"{stem}{n}" for n in range(2, 40)]
        taken = await repo.taken_usernames(candidates)
        for candidate in candidates:
            if candidate.lower() not in taken:
                return candidate
        return f"{stem[:20]}.{secrets.token_hex(4)}"

    async def merge_placeholder(
        self, session: AsyncSession, actor: Actor, user_id: int, into_user_id: int
    ) -> User:
        """Organisers: what a placeholder did (assignments, comments, history) moves to
        a real account; the placeholder stays, deactivated, pointing at it."""
        repo = UserRepository(session)
        source = await repo.get_readable_by_id(actor, user_id)
        if source is None:
            raise UserNotFoundError
        if not actor.is_admin:
            raise AdminRequiredError
        source = await repo.get_by_id(user_id, for_update=True) or source  # two merges: one wins
        target = await repo.get_by_id(into_user_id)
        if target is None:
            raise UnprocessableError("No user has this id.", field="into_user_id")
        if not source.is_placeholder or source.merged_into_id is not None:
            raise NotAPlaceholderError("Only a placeholder not merged yet can be merged.")
        if target.is_placeholder or not target.is_active:
            raise UnprocessableError(
                "Merge into an active real account, not a placeholder.", field="into_user_id"
            )
        await publish(session, UsersMerged(source_id=source.id, target_id=target.id))
        await repo.update(source, merged_into_id=target.id, deactivated_at=utcnow())
        return target

    # --- for the auth context ---------------------------------------------------------

    async def get_token_holder(self, session: AsyncSession, user_id: int) -> TokenHolder | None:
        """What decides whether the user's access tokens still count (None: no such user)."""
        row = await UserRepository(session).get_token_holder(user_id)
        if row is None:
            return None
        return TokenHolder(
            user_id=user_id,
            is_active=row.is_active,
            is_admin=row.is_admin,
            tokens_valid_after=row.tokens_valid_after,
        )

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
        await repo.update(user, **values)
        return now

    async def invalidate_tokens(self, session: AsyncSession, user_id: int) -> None:
        """Every token issued until now stops working."""
        repo = UserRepository(session)
        user = await repo.get_by_id(user_id)
        if user is None:
            raise UserNotFoundError
        await repo.update(user, tokens_valid_after=utcnow())

    async def lock(self, session: AsyncSession, user_id: int) -> None:
        """Serialise use cases on one account (row lock until the unit of work ends)."""
        await UserRepository(session).lock(user_id)

    async def record_login(self, session: AsyncSession, user_id: int) -> None:
        await UserRepository(session).touch_last_login(user_id, utcnow())


def _credentials(user: User) -> Credentials:
    return Credentials(
        user_id=user.id,
        username=user.username,
        email=user.email,
        full_name=user.full_name,
        hashed_password=user.hashed_password,
        is_active=user.is_active,
        is_admin=user.is_admin,
        tokens_valid_after=user.tokens_valid_after,
    )


user_service = UserService()
