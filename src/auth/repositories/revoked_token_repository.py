"""Queries on `revoked_access_tokens`."""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import Select, String, Table, bindparam, exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ...config.database.driver_query import DriverQuery
from ..models.revoked_token_model import RevokedAccessToken


@dataclass(frozen=True, slots=True)
class TokenHolder:
    user_id: int
    is_active: bool
    is_admin: bool
    tokens_valid_after: dt.datetime | None
    token_revoked: bool


@cache
def _holder_check(holder: Select[Any]) -> DriverQuery:
    # Built once per holder query, and run by the driver: every authenticated request
    # runs it, so its cost is the round trip alone.
    jti = cast(Table, RevokedAccessToken.__table__).c.jti
    revoked = exists().where(jti == bindparam("jti", type_=String))
    columns = holder.subquery("holder").c
    return DriverQuery(select(*columns, revoked.label("token_revoked")))


class RevokedTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def holder_of(
        self, holder: Select[int, bool, bool, dt.datetime | None], *, user_id: int, jti: str
    ) -> TokenHolder | None:
        """The token holder's row (`holder`, a query on `:user_id` from the user context)
        and whether the token `jti` was revoked, in one statement; None: no such user."""
        row = await _holder_check(holder).fetchrow(self.session, {"user_id": user_id, "jti": jti})
        if row is None:
            return None
        return TokenHolder(
            user_id=row[0],
            is_active=row[1],
            is_admin=row[2],
            tokens_valid_after=row[3],
            token_revoked=row[4],
        )

    async def revoke(self, *, jti: str, user_id: int, expires_at: dt.datetime) -> None:
        stmt = (
            insert(RevokedAccessToken)
            .values(jti=jti, user_id=user_id, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[RevokedAccessToken.jti])
        )
        await self.session.execute(stmt)
