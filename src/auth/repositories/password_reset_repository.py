"""Queries on `password_resets`."""

import datetime as dt

from sqlalchemy import select, update

from ...lib.repository import RepositoryBase
from ..models.password_reset_model import PasswordReset


class PasswordResetRepository(RepositoryBase[PasswordReset]):
    model = PasswordReset

    async def create(self, **values: object) -> PasswordReset:
        reset = PasswordReset(**values)
        self.session.add(reset)
        await self.session.flush()
        return reset

    async def get_by_hash_for_update(self, token_hash: str) -> PasswordReset | None:
        stmt = select(PasswordReset).where(PasswordReset.token_hash == token_hash).with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def revoke_open_for_user(self, user_id: int, when: dt.datetime) -> None:
        await self.session.execute(
            update(PasswordReset)
            .where(
                PasswordReset.user_id == user_id,
                PasswordReset.used_at.is_(None),
                PasswordReset.revoked_at.is_(None),
            )
            .values(revoked_at=when)
        )
