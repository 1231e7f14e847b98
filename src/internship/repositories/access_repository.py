"""Who is what, for an actor and an internship, team or project: one query each.

A query repository (seed 000): each statement joins the participant and team
membership tables around the object asked about.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    bindparam,
    select,
    union,
)

from ...lib.repository import QueryRepository
from ..models.participant_model import Participant
from ..models.project_model import Project
from ..models.team_model import Team, TeamMember


@dataclass(frozen=True, slots=True)
class TeamFacts:
    team_id: int
    internship_id: int
    team_archived: bool
    internship_role: str | None
    team_role: str | None


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    project_id: int
    project_archived: bool
    team: TeamFacts


class AccessRepository(QueryRepository):
    @staticmethod
    def _with_roles[*Ts](stmt: Select[*Ts], user_id: int | BindParameter[int]) -> Select[*Ts]:
        """Join the user's live internship participation and team membership."""
        return stmt.outerjoin(
            Participant,
            and_(
                Participant.internship_id == Team.internship_id,
                Participant.user_id == user_id,
                Participant.archived_at.is_(None),
            ),
        ).outerjoin(
            TeamMember,
            and_(
                TeamMember.team_id == Team.id,
                TeamMember.user_id == user_id,
                TeamMember.archived_at.is_(None),
            ),
        )

    async def team_facts(self, team_id: int, user_id: int) -> TeamFacts | None:
        stmt = self._with_roles(
            select(
                Team.id, Team.internship_id, Team.archived_at, Participant.role, TeamMember.role
            ),
            user_id,
        ).where(Team.id == team_id)
        row = (await self.session.execute(stmt)).first()
        if row is None:
            return None
        return TeamFacts(
            team_id=row[0],
            internship_id=row[1],
            team_archived=row[2] is not None,
            internship_role=row[3],
            team_role=row[4],
        )

    async def project_facts(self, project_id: int, user_id: int) -> ProjectFacts | None:
        row = (
            await self.session.execute(
                _project_facts_statement(), {"project_id": project_id, "user_id": user_id}
            )
        ).first()
        return self.project_facts_of(row)

    @staticmethod
    def project_facts_query(project_id: ColumnElement[int]) -> Select[*tuple[Any, ...]]:
        """The facts of the project `project_id` for the user `:user_id` (a bound
        parameter): project id and archived_at, team id, internship id, team
        archived_at, the user's internship and team roles. `project_id` may be a
        column of an enclosing query: another context embeds this as a LATERAL
        subquery, so that its object and the actor's rights on it come in one
        statement."""
        return AccessRepository._with_roles(
            select(
                Project.id,
                Project.archived_at,
                Team.id,
                Team.internship_id,
                Team.archived_at,
                Participant.role,
                TeamMember.role,
            ).join(Team, Team.id == Project.team_id),
            bindparam("user_id", type_=BigInteger),
        ).where(Project.id == project_id)

    @staticmethod
    def project_facts_of(row: Sequence[Any] | None) -> ProjectFacts | None:
        """`ProjectFacts` from a row of `project_facts_query` (None: no such project)."""
        if row is None or row[0] is None:
            return None
        return ProjectFacts(
            project_id=row[0],
            project_archived=row[1] is not None,
            team=TeamFacts(
                team_id=row[2],
                internship_id=row[3],
                team_archived=row[4] is not None,
                internship_role=row[5],
                team_role=row[6],
            ),
        )

    async def projects_seen_by(self, user_id: int) -> list[int]:
        """Projects of the teams the user mentors or belongs to (live memberships) and
        of the internships the user observes: one statement."""
        return list(
            (await self.session.execute(_projects_seen_by(), {"user_id": user_id})).scalars()
        )


@cache
def _project_facts_statement() -> Select[*tuple[Any, ...]]:
    # Built once: every board, card and review request asks it (no statement building
    # or cache key per request).
    return AccessRepository.project_facts_query(bindparam("project_id", type_=BigInteger))


@cache
def _projects_seen_by() -> CompoundSelect[int]:
    # Built once: "my cards" and search ask it on every request.
    user_id = bindparam("user_id", type_=BigInteger)
    of_teams = (
        select(Project.id)
        .join(TeamMember, TeamMember.team_id == Project.team_id)
        .where(TeamMember.user_id == user_id, TeamMember.archived_at.is_(None))
    )
    observed = (
        select(Project.id)
        .join(Team, Team.id == Project.team_id)
        .join(Participant, Participant.internship_id == Team.internship_id)
        .where(
            Participant.user_id == user_id,
            Participant.role == "observer",
            Participant.archived_at.is_(None),
        )
    )
    return union(of_teams, observed)
