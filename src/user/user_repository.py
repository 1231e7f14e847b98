"""Queries on the `users` table."""

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple, cast

from sqlalchemy import BigInteger, Select, Table, and_, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from ..lib.repository import RepositoryBase
from ..lib.security.actor import Actor
from .exceptions import UserAlreadyExistsError
from .internship_tables import participants_table, team_members_table
from .user_model import User
from .user_schema import UserFilters

_CONSTRAINT_FIELDS = {
    "uq_users_email_lower": "email",
    "uq_users_username_lower": "username",
}

_SORT_COLUMNS = {
    "username": func.lower(User.username),
    "full_name": func.lower(User.full_name),
    "created_at": User.created_at,
}

# What decides whether a user's access token still counts, for `users.id = :user_id`.
# Built once, as a Core statement on the table: authentication runs it on every
# request, so it skips the ORM's statement building (SQLAlchemy caches its compiled form).
_users = cast(Table, User.__table__).c
_TOKEN_HOLDER = select(_users.is_active, _users.is_admin, _users.tokens_valid_after).where(
    _users.id == bindparam("user_id", type_=BigInteger)
)


class TokenHolderRow(NamedTuple):
    is_active: bool
    is_admin: bool
    tokens_valid_after: dt.datetime | None


class UserRepository(RepositoryBase[User]):
    model = User

    # --- visibility -------------------------------------------------------------------

    def readable_statement(self, actor: Actor) -> Select[User]:
        """Users the actor may see: organisers see everyone; others themselves, everyone
        of the internships they mentor or observe, the mentors of the internships they
        are interns in, and their teammates."""
        stmt = select(User)
        if actor.is_admin:
            return stmt
        mine = participants_table.alias("mine")
        theirs = participants_table.alias("theirs")
        shares_internship = (
            select(theirs.c.user_id)
            .join(mine, mine.c.internship_id == theirs.c.internship_id)
            .where(
                mine.c.user_id == actor.user_id,
                mine.c.archived_at.is_(None),
                or_(mine.c.role.in_(("mentor", "observer")), theirs.c.role == "mentor"),
            )
        )
        my_team = team_members_table.alias("my_team")
        their_team = team_members_table.alias("their_team")
        shares_team = (
            select(their_team.c.user_id)
            .join(my_team, my_team.c.team_id == their_team.c.team_id)
            .where(my_team.c.user_id == actor.user_id, my_team.c.archived_at.is_(None))
        )
        return stmt.where(
            or_(
                User.id == actor.user_id,
                User.id.in_(shares_internship),
                User.id.in_(shares_team),
            )
        )

    async def get_readable_by_id(self, actor: Actor, user_id: int) -> User | None:
        stmt = self.readable_statement(actor).where(User.id == user_id)
        return await self.get_one_or_none(stmt)

    async def get_readable_by_username(self, actor: Actor, username: str) -> User | None:
        stmt = self.readable_statement(actor).where(func.lower(User.username) == username.lower())
        return await self.get_one_or_none(stmt)

    async def get_user_list(
        self, actor: Actor, filters: UserFilters, *, limit: int, offset: int
    ) -> tuple[Sequence[User], int]:
        stmt = self.readable_statement(actor)
        if filters.q:
            pattern = f"%{_escape_like(filters.q.lower())}%"
            stmt = stmt.where(
                or_(
                    func.lower(User.username).like(pattern, escape="\\"),
                    func.lower(User.full_name).like(pattern, escape="\\"),
                    func.lower(User.email).like(pattern, escape="\\"),
                )
            )
        if filters.is_active is not None:
            stmt = stmt.where(User.is_active.is_(filters.is_active))
        if filters.is_admin is not None:
            stmt = stmt.where(User.is_admin.is_(filters.is_admin))
        key = filters.sort.lstrip("-")
        column = _SORT_COLUMNS[key]
        order = column.desc() if filters.sort.startswith("-") else column.asc()
        return await self.paginate(stmt.order_by(order, User.id), limit=limit, offset=offset)

    # --- unscoped lookups (trusted callers: auth, CLI) ---------------------------------

    async def get_token_holder(self, user_id: int) -> TokenHolderRow | None:
        """What decides whether the user's access tokens still count."""
        row = (await self.session.execute(_TOKEN_HOLDER, {"user_id": user_id})).one_or_none()
        return None if row is None else TokenHolderRow(*row)

    async def lock(self, user_id: int) -> None:
        await self.session.execute(select(User.id).where(User.id == user_id).with_for_update())

    async def get_by_username(self, username: str) -> User | None:
        stmt = select(User).where(func.lower(User.username) == username.lower())
        return await self.get_one_or_none(stmt)

    async def get_by_email(self, email: str) -> User | None:
        stmt = select(User).where(func.lower(User.email) == email.lower())
        return await self.get_one_or_none(stmt)

    async def get_by_login(self, login: str) -> User | None:
        """By username or e-mail, ignoring case."""
        lowered = login.lower()
        stmt = select(User).where(
            or_(func.lower(User.username) == lowered, func.lower(User.email) == lowered)
        )
        return (await self.session.execute(stmt)).scalars().first()

    # --- writes -----------------------------------------------------------------------

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

    async def get_by_ids(self, user_ids: Sequence[int]) -> Sequence[User]:
        return await self.get_all(select(User).where(User.id.in_(user_ids)))

    async def get_by_external_ids(self, external_ids: Sequence[str]) -> Sequence[User]:
        return await self.get_all(select(User).where(User.external_id.in_(external_ids)))

    async def find_people(
        self, usernames: Sequence[str], full_names: Sequence[str]
    ) -> Sequence[User]:
        """Accounts named by username (active ones, or placeholders from imports) or by
        full name (active real accounts only), ignoring case."""
        stmt = select(User).where(
            or_(
                and_(
                    func.lower(User.username).in_([u.lower() for u in usernames]),
                    or_(User.is_active.is_(True), User.is_placeholder.is_(True)),
                ),
                and_(
                    func.lower(User.full_name).in_([n.lower() for n in full_names if n]),
                    User.is_active.is_(True),
                    User.is_placeholder.is_(False),
                ),
            ),
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def taken_usernames(self, candidates: Sequence[str]) -> set[str]:
        stmt = select(func.lower(User.username)).where(
            func.lower(User.username).in_([c.lower() for c in candidates])
        )
        return set((await self.session.execute(stmt)).scalars().all())

    async def insert_placeholder(
        self, *, username: str, full_name: str, external_id: str, hashed_password: str
    ) -> int | None:
        """The new placeholder's id; None when a unique index already holds its e-mail,
        username or external id (a concurrent insert is waited for, not failed on)."""
        stmt = (
            pg_insert(User)
            .values(
                email=placeholder_email(external_id),
                username=username,
                full_name=full_name,
                hashed_password=hashed_password,
                is_admin=False,
                is_active=False,
                is_placeholder=True,
                external_id=external_id,
            )
            .on_conflict_do_nothing()
            .returning(User.id)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_placeholder(self, external_id: str) -> User | None:
        """The placeholder made for `external_id` (its e-mail follows from it)."""
        stmt = select(User).where(
            or_(
                User.external_id == external_id,
                func.lower(User.email) == placeholder_email(external_id).lower(),
            )
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def touch_last_login(self, user_id: int, when: dt.datetime) -> None:
        await self.session.execute(
            update(User).where(User.id == user_id).values(last_login_at=when)
        )


def placeholder_email(external_id: str) -> str:
    """A placeholder's e-mail: unique per source person, and never deliverable."""
    return f"{external_id.replace(':', '-')}@placeholder.invalid"


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conflicting_field(exc: IntegrityError) -> str:
    message = str(exc.orig)
    for constraint, field in _CONSTRAINT_FIELDS.items():
        if constraint in message:
            return field
    raise exc
