"""Whether an access token still counts: the token's own revocation and its sign-in's."""

import uuid
from dataclasses import dataclass
from typing import cast

from sqlalchemy import String, Table, Uuid, bindparam, exists, select

from ...lib.repository import QueryRepository
from ..models.refresh_token_model import RefreshToken
from ..models.revoked_token_model import RevokedAccessToken

# Built once, as a Core statement: every authenticated request runs it. One round trip
# answers both questions: was this very token revoked (a logout), and was its sign-in
# (its refresh-token family) revoked (a replayed refresh token, a logout of the session,
# logout everywhere, a password change)? A family is revoked as a whole, so one revoked
# row says it; the partial index on revoked rows makes that a probe.
_jti = cast(Table, RevokedAccessToken.__table__).c.jti
_family = cast(Table, RefreshToken.__table__).c
_REVOCATION = select(
    exists().where(_jti == bindparam("jti", type_=String)).label("token_revoked"),
    exists()
    .where(
        _family.family_id == bindparam("session_id", type_=Uuid),
        _family.revoked_at.is_not(None),
    )
    .label("session_revoked"),
)


@dataclass(frozen=True, slots=True)
class Revocation:
    token_revoked: bool
    session_revoked: bool


class TokenRevocationRepository(QueryRepository):
    async def revocation(self, jti: str, session_id: uuid.UUID) -> Revocation:
        """Whether the access token `jti`, or the sign-in `session_id` it belongs to, was
        revoked."""
        row = (
            await self.session.execute(_REVOCATION, {"jti": jti, "session_id": session_id})
        ).one()
        return Revocation(
            token_revoked=bool(row.token_revoked), session_revoked=bool(row.session_revoked)
        )
