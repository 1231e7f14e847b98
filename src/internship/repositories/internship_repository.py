"""Queries on `internships`."""

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ...lib.security.actor import Actor
from ..models.internship_model import Internship
from ..models.participant_model import Participant


class InternshipRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def readable_statement(self, actor: Actor) -> Select[Internship]:
        """Organisers see every internship; others those they take part in."""
        stmt = select(Internship)
        if actor.is_admin:
            return stmt
        taking_part = select(Participant.internship_id).where(
            Participant.user_id == actor.user_id, Participant.archived_at.is_(None)
        )
        return stmt.where(Internship.id.in_(taking_part))

    async def get_by_id(self, internship_id: int, *, for_update: bool = False) -> Internship | None:
        stmt = select(Internship).where(Internship.id == internship_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_multi(
        self,
        actor: Actor,
        *,
        status: str | None,
        q: str | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Internship], int]:
        stmt = self.readable_statement(actor)
        if status:
            stmt = stmt.where(Internship.status == status)
        if q:
            pattern = f"%{escape_like(q.lower())}%"
            stmt = stmt.where(
                or_(
                    func.lower(Internship.name).like(pattern, escape="\\"),
                    func.lower(Internship.description).like(pattern, escape="\\"),
                )
            )
        total = (
            await self.session.execute(select(func.count()).select_from(stmt.subquery()))
        ).scalar_one()
        rows = await self.session.execute(
            stmt.order_by(Internship.start_date.desc(), Internship.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return rows.scalars().all(), total

    async def add(self, internship: Internship) -> Internship:
        self.session.add(internship)
        await self.session.flush()
        return internship

    async def save(self, internship: Internship) -> Internship:
        await self.session.flush()
        return internship


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
