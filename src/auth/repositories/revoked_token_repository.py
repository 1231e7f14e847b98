"""Queries on `revoked_access_tokens`."""

import datetime as dt
from typing import cast

from sqlalchemy import String, Table, bindparam, exists, select
from sqlalchemy.dialects.postgresql import insert

from ...lib.repository import RepositoryBase
from ..models.revoked_token_model import RevokedAccessToken

# Built once, as a Core statement on the table: every authenticated request runs it.
_jti = cast(Table, RevokedAccessToken.__table__).c.jti
_IS_REVOKED = select(exists().where(_jti == bindparam("jti", type_=String)))


class RevokedTokenRepository(RepositoryBase[RevokedAccessToken]):
    model = RevokedAccessToken

    async def is_revoked(self, jti: str) -> bool:
        return bool((await self.session.execute(_IS_REVOKED, {"jti": jti})).scalar_one())

    async def revoke(self, *, jti: str, user_id: int, expires_at: dt.datetime) -> None:
        stmt = (
            insert(RevokedAccessToken)
            .values(jti=jti, user_id=user_id, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[RevokedAccessToken.jti])
        )
        await self.session.execute(stmt)
