"""Queries on `internships`."""

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select

from ...lib.repository import RepositoryBase
from ...lib.security.actor import Actor
from ..models.internship_model import Internship
from ..models.participant_model import Participant


class InternshipRepository(RepositoryBase[Internship]):
    model = Internship

    def readable_statement(self, actor: Actor) -> Select[Internship]:
        """Organisers see every internship; others those they take part in."""
        stmt = select(Internship)
        if actor.is_admin:
            return stmt
        taking_part = select(Participant.internship_id).where(
            Participant.user_id == actor.user_id, Participant.archived_at.is_(None)
        )
        return stmt.where(Internship.id.in_(taking_part))

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
        return await self.paginate(
            stmt.order_by(Internship.start_date.desc(), Internship.id.desc()),
            limit=limit,
            offset=offset,
        )


def escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
