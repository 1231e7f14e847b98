"""Queries on `internship_participants`."""

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ...lib.repository import ArchivableRepositoryBase
from ...user.user_schema import UserRead
from ..exceptions import ParticipantAlreadyExistsError
from ..models.participant_model import Participant
from ..models.team_model import TeamMember
from .internship_repository import escape_like
from .user_table import users_table


class ParticipantRepository(ArchivableRepositoryBase[Participant]):
    model = Participant

    async def get(
        self, internship_id: int, user_id: int, *, for_update: bool = False
    ) -> Participant | None:
        stmt = select(Participant).where(
            Participant.internship_id == internship_id, Participant.user_id == user_id
        )
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return await self.get_one_or_none(stmt)

    async def get_live_role(self, internship_id: int, user_id: int) -> str | None:
        stmt = select(Participant.role).where(
            Participant.internship_id == internship_id,
            Participant.user_id == user_id,
            Participant.archived_at.is_(None),
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_by_user_ids(
        self, internship_id: int, user_ids: Sequence[int]
    ) -> dict[int, Participant]:
        if not user_ids:
            return {}
        stmt = select(Participant).where(
            Participant.internship_id == internship_id, Participant.user_id.in_(user_ids)
        )
        return {p.user_id: p for p in (await self.session.execute(stmt)).scalars()}

    async def add(self, participant: Participant) -> Participant:
        """Add and flush: a second participation in the internship is refused."""
        self.session.add(participant)
        try:
            await self.session.flush()
        except IntegrityError:
            raise ParticipantAlreadyExistsError from None
        return participant

    async def get_multi(
        self,
        internship_id: int,
        *,
        visible_user_ids: Sequence[int] | None,
        role: str | None,
        status: str | None,
        team_id: int | None,
        q: str | None,
        include_archived: bool,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[Participant, UserRead, int | None]], int]:
        """Participants with their user and their team (as member) in one query."""
        u = users_table
        team = (
            select(TeamMember.team_id)
            .where(
                TeamMember.internship_id == Participant.internship_id,
                TeamMember.user_id == Participant.user_id,
                TeamMember.archived_at.is_(None),
                TeamMember.role == "member",
            )
            .limit(1)
            .scalar_subquery()
        )
        stmt = (
            select(Participant, u, team.label("team_id"))
            .join(u, u.c.id == Participant.user_id)
            .where(Participant.internship_id == internship_id)
        )
        if visible_user_ids is not None:
            stmt = stmt.where(Participant.user_id.in_(visible_user_ids))
        if not include_archived:
            stmt = stmt.where(Participant.archived_at.is_(None))
        if role:
            stmt = stmt.where(Participant.role == role)
        if status:
            stmt = stmt.where(Participant.status == status)
        if team_id is not None:
            stmt = stmt.where(
                select(TeamMember.id)
                .where(
                    TeamMember.team_id == team_id,
                    TeamMember.user_id == Participant.user_id,
                    TeamMember.archived_at.is_(None),
                )
                .exists()
            )
        if q:
            pattern = f"%{escape_like(q.lower())}%"
            stmt = stmt.where(
                or_(
                    func.lower(u.c.full_name).like(pattern, escape="\\"),
                    func.lower(u.c.email).like(pattern, escape="\\"),
                    func.lower(u.c.username).like(pattern, escape="\\"),
                )
            )
        total = (
            await self.session.execute(select(func.count()).select_from(stmt.subquery()))
        ).scalar_one()
        rows = await self.session.execute(
            stmt.order_by(Participant.role, func.lower(u.c.full_name), Participant.id)
            .limit(limit)
            .offset(offset)
        )
        result = []
        for row in rows:
            participant = row[0]
            user = UserRead.model_validate(dict(row._mapping))
            result.append((participant, user, row.team_id))
        return result, total
