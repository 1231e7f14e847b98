"""Queries on `refresh_tokens`."""

import datetime as dt
import uuid

from sqlalchemy import select, update

from ...lib.clock import utcnow
from ...lib.repository import RepositoryBase
from ..models.refresh_token_model import RefreshToken


class RefreshTokenRepository(RepositoryBase[RefreshToken]):
    model = RefreshToken

    async def create(
        self, *, user_id: int, family_id: uuid.UUID, token_hash: str, expires_at: dt.datetime
    ) -> RefreshToken:
        token = RefreshToken(
            user_id=user_id,
            family_id=family_id,
            token_hash=token_hash,
            expires_at=expires_at,
            # The application clock, not the transaction's: compared with
            # `users.tokens_valid_after`, which is set in the same transaction.
            created_at=utcnow(),
        )
        self.session.add(token)
        await self.session.flush()
        return token

    async def get_by_hash_for_update(self, token_hash: str) -> RefreshToken | None:
        """Locks the row: two refreshes of one token are serialised, the second sees it used."""
        stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def mark_used(self, token: RefreshToken, when: dt.datetime) -> None:
        token.used_at = when
        await self.session.flush()

    async def revoke_family(self, family_id: uuid.UUID, when: dt.datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=when)
        )

    async def revoke_all_for_user(self, user_id: int, when: dt.datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=when)
        )
