"""Queries on `revoked_access_tokens`."""

import datetime as dt

from sqlalchemy.dialects.postgresql import insert

from ...lib.repository import RepositoryBase
from ..models.revoked_token_model import RevokedAccessToken


class RevokedTokenRepository(RepositoryBase[RevokedAccessToken]):
    model = RevokedAccessToken

    async def revoke(self, *, jti: str, user_id: int, expires_at: dt.datetime) -> None:
        stmt = (
            insert(RevokedAccessToken)
            .values(jti=jti, user_id=user_id, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=[RevokedAccessToken.jti])
        )
        await self.session.execute(stmt)
