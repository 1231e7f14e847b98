"""Queries on `invitations`."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select

from ...lib.repository import RepositoryBase
from ..constants import InvitationStatus
from ..models.invitation_model import Invitation


class InvitationRepository(RepositoryBase[Invitation]):
    model = Invitation

    async def create(self, **values: object) -> Invitation:
        invitation = Invitation(**values)
        self.session.add(invitation)
        await self.session.flush()
        return invitation

    async def get_by_hash(self, token_hash: str, *, for_update: bool = False) -> Invitation | None:
        stmt = select(Invitation).where(Invitation.token_hash == token_hash)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_multi(
        self,
        *,
        status: InvitationStatus | None,
        email: str | None,
        now: dt.datetime,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Invitation], int]:
        stmt = select(Invitation)
        if email:
            stmt = stmt.where(func.lower(Invitation.email) == email.lower())
        if status is InvitationStatus.ACCEPTED:
            stmt = stmt.where(Invitation.accepted_at.is_not(None))
        elif status is InvitationStatus.REVOKED:
            stmt = stmt.where(Invitation.revoked_at.is_not(None), Invitation.accepted_at.is_(None))
        elif status is InvitationStatus.EXPIRED:
            stmt = stmt.where(
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at <= now,
            )
        elif status is InvitationStatus.PENDING:
            stmt = stmt.where(
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
        total = (
            await self.session.execute(select(func.count()).select_from(stmt.subquery()))
        ).scalar_one()
        rows = await self.session.execute(
            stmt.order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return rows.scalars().all(), total

    async def has_pending(self, email: str, internship_id: int, now: dt.datetime) -> bool:
        stmt = select(Invitation.id).where(
            func.lower(Invitation.email) == email.lower(),
            Invitation.internship_id == internship_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        return (await self.session.execute(stmt.limit(1))).first() is not None
