"""Queries on `teams` and `team_members`."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ...lib.repository import ArchivableRepositoryBase
from ..exceptions import InternAlreadyInTeamError, TeamNameTakenError
from ..models.team_model import Team, TeamMember


class TeamRepository(ArchivableRepositoryBase[Team]):
    model = Team

    async def get_multi(
        self,
        internship_id: int,
        *,
        only_ids: Sequence[int] | None,
        include_archived: bool,
    ) -> Sequence[Team]:
        stmt = select(Team).where(Team.internship_id == internship_id)
        if only_ids is not None:
            stmt = stmt.where(Team.id.in_(only_ids))
        if not include_archived:
            stmt = stmt.where(Team.archived_at.is_(None))
        return await self.get_all(stmt.order_by(func.lower(Team.name), Team.id))

    async def save(self, team: Team) -> Team:
        """Flush (`add` too): a second live team of the same name is refused."""
        try:
            await self.session.flush()
        except IntegrityError:
            raise TeamNameTakenError from None
        return team

    async def add(self, team: Team) -> Team:
        self.session.add(team)
        return await self.save(team)


class TeamMemberRepository(ArchivableRepositoryBase[TeamMember]):
    model = TeamMember

    async def get(self, team_id: int, user_id: int) -> TeamMember | None:
        stmt = select(TeamMember).where(
            TeamMember.team_id == team_id, TeamMember.user_id == user_id
        )
        return await self.get_one_or_none(stmt)

    async def get_live_role(self, team_id: int, user_id: int) -> str | None:
        stmt = select(TeamMember.role).where(
            TeamMember.team_id == team_id,
            TeamMember.user_id == user_id,
            TeamMember.archived_at.is_(None),
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_live_team_of_intern(self, internship_id: int, user_id: int) -> int | None:
        stmt = select(TeamMember.team_id).where(
            TeamMember.internship_id == internship_id,
            TeamMember.user_id == user_id,
            TeamMember.role == "member",
            TeamMember.archived_at.is_(None),
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_team_ids_of_user(self, internship_id: int, user_id: int) -> list[int]:
        stmt = select(TeamMember.team_id).where(
            TeamMember.internship_id == internship_id,
            TeamMember.user_id == user_id,
            TeamMember.archived_at.is_(None),
        )
        return list((await self.session.execute(stmt)).scalars())

    async def get_live_members(self, team_ids: Sequence[int]) -> Sequence[TeamMember]:
        if not team_ids:
            return []
        stmt = (
            select(TeamMember)
            .where(TeamMember.team_id.in_(team_ids), TeamMember.archived_at.is_(None))
            .order_by(TeamMember.team_id, TeamMember.role, TeamMember.id)
        )
        return await self.get_all(stmt)

    async def get_archived_at(self, team_id: int, when: dt.datetime) -> Sequence[TeamMember]:
        stmt = select(TeamMember).where(
            TeamMember.team_id == team_id, TeamMember.archived_at == when
        )
        return await self.get_all(stmt)

    async def save(self, member: TeamMember) -> TeamMember:
        """Flush (`add` too): an intern in a second live team is refused."""
        try:
            await self.session.flush()
        except IntegrityError:
            raise InternAlreadyInTeamError from None
        return member

    async def add(self, member: TeamMember) -> TeamMember:
        self.session.add(member)
        return await self.save(member)

    async def archive_all_of_user(
        self, internship_id: int, user_id: int, when: dt.datetime, *, role: str | None = None
    ) -> None:
        stmt = update(TeamMember).where(
            TeamMember.internship_id == internship_id,
            TeamMember.user_id == user_id,
            TeamMember.archived_at.is_(None),
        )
        if role is not None:
            stmt = stmt.where(TeamMember.role == role)
        await self.session.execute(stmt.values(archived_at=when))
