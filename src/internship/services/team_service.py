"""Teams of an internship, their mentors and members, and their projects."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession

from ...lib.clock import utcnow
from ...lib.events import publish
from ...lib.security.actor import Actor
from ..constants import InternshipStatus, ParticipantRole, TeamRole
from ..events import ProjectCreated
from ..exceptions import (
    InternAlreadyInTeamError,
    InternshipArchivedError,
    InternshipPermissionError,
    InvalidDatesError,
    NotAnInternshipParticipantError,
    ProjectNotFoundError,
    TeamArchivedError,
    TeamNotFoundError,
)
from ..models.project_model import Project
from ..models.team_model import Team, TeamMember
from ..repositories.access_repository import AccessRepository, ProjectFacts
from ..repositories.project_repository import ProjectRepository
from ..repositories.team_repository import TeamMemberRepository, TeamRepository
from ..schemas.team_schema import (
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    TeamCreate,
    TeamMemberAdd,
    TeamMemberRead,
    TeamRead,
    TeamUpdate,
)
from .access import ProjectAccess, TeamAccess
from .internship_service import internship_service


class TeamService:
    # --- access -----------------------------------------------------------------------

    async def team_access(self, session: AsyncSession, actor: Actor, team_id: int) -> TeamAccess:
        facts = await AccessRepository(session).team_facts(team_id, actor.user_id)
        if facts is None:
            raise TeamNotFoundError
        access = TeamAccess.of(actor, facts)
        if not access.can_read:
            raise TeamNotFoundError
        return access

    async def project_access(
        self, session: AsyncSession, actor: Actor, project_id: int
    ) -> ProjectAccess:
        """The actor's rights on a project (boards included); 404 when they may not read it."""
        facts = await AccessRepository(session).project_facts(project_id, actor.user_id)
        return self._readable(actor, facts)

    def project_facts_query(self, project_id: ColumnElement[int]) -> Select[*tuple[Any, ...]]:
        """What `project_access` reads, as a query to embed in another context's statement
        (a LATERAL subquery on its project id column; the user is `:user_id`): the
        object and the actor's rights on it then come in one round trip. Turn the
        columns it yields into rights with `project_access_from_facts`."""
        return AccessRepository.project_facts_query(project_id)

    def project_access_from_facts(self, actor: Actor, facts: Sequence[Any] | None) -> ProjectAccess:
        """As `project_access`, from the columns of `project_facts_query`."""
        return self._readable(actor, AccessRepository.project_facts_of(facts))

    @staticmethod
    def _readable(actor: Actor, facts: ProjectFacts | None) -> ProjectAccess:
        if facts is None:
            raise ProjectNotFoundError
        access = ProjectAccess.of(actor, facts)
        if not access.can_read:
            raise ProjectNotFoundError
        return access

    async def team_user_ids(self, session: AsyncSession, team_id: int) -> set[int]:
        """The team's live mentors and members: who may be assigned its cards."""
        members = await TeamMemberRepository(session).get_live_members([team_id])
        return {m.user_id for m in members}

    async def project_ids_of(self, session: AsyncSession, actor: Actor) -> list[int]:
        """Projects whose boards the actor works on or observes (not organiser-wide)."""
        return sorted(await AccessRepository(session).projects_seen_by(actor.user_id))

    async def _writable_team(
        self, session: AsyncSession, actor: Actor, team_id: int, *, organisers_only: bool = False
    ) -> tuple[Team, TeamAccess]:
        access = await self.team_access(session, actor, team_id)
        allowed = access.is_admin if organisers_only else access.can_manage
        if not allowed:
            raise InternshipPermissionError(
                "Only organisers may do this."
                if organisers_only
                else "Only organisers and the team's mentors manage the team."
            )
        team = await TeamRepository(session).get_by_id(team_id, for_update=True)
        assert team is not None
        internship = await internship_service.get(session, Actor.system(), team.internship_id)
        if internship.status == InternshipStatus.ARCHIVED:
            raise InternshipArchivedError
        return team, access

    # --- teams ------------------------------------------------------------------------

    async def create_team(
        self, session: AsyncSession, actor: Actor, internship_id: int, data: TeamCreate
    ) -> TeamRead:
        internship, access = await internship_service.access(session, actor, internship_id)
        if not access.can_manage:
            raise InternshipPermissionError("Only organisers create teams.")
        if internship.status == InternshipStatus.ARCHIVED:
            raise InternshipArchivedError
        team = await TeamRepository(session).add(
            Team(internship_id=internship_id, name=data.name, description=data.description)
        )
        for user_id in dict.fromkeys(data.mentor_ids):
            await self._add_member(session, team, user_id, TeamRole.MENTOR)
        for user_id in dict.fromkeys(data.member_ids):
            await self._add_member(session, team, user_id, TeamRole.MEMBER)
        return (await self._reads(session, [team]))[0]

    async def list_teams(
        self, session: AsyncSession, actor: Actor, internship_id: int, *, include_archived: bool
    ) -> list[TeamRead]:
        _, access = await internship_service.access(session, actor, internship_id)
        only = None
        if not access.sees_everyone:
            only = await TeamMemberRepository(session).get_team_ids_of_user(
                internship_id, actor.user_id
            )
        teams = await TeamRepository(session).get_multi(
            internship_id, only_ids=only, include_archived=include_archived
        )
        return await self._reads(session, teams)

    async def get_team(self, session: AsyncSession, actor: Actor, team_id: int) -> TeamRead:
        await self.team_access(session, actor, team_id)
        team = await TeamRepository(session).get_by_id(team_id)
        assert team is not None
        return (await self._reads(session, [team]))[0]

    async def update_team(
        self, session: AsyncSession, actor: Actor, team_id: int, data: TeamUpdate
    ) -> TeamRead:
        team, access = await self._writable_team(session, actor, team_id)
        if data.name is not None and data.name != team.name:
            if not access.is_admin:
                raise InternshipPermissionError("Only organisers rename teams.")
            team.name = data.name
        if data.description is not None:
            team.description = data.description
        await TeamRepository(session).save(team)
        return (await self._reads(session, [team]))[0]

    async def archive_team(self, session: AsyncSession, actor: Actor, team_id: int) -> TeamRead:
        """Archive the team and end its memberships; its projects and history stay."""
        team, _ = await self._writable_team(session, actor, team_id, organisers_only=True)
        if team.archived_at is None:
            now = utcnow()
            team.archived_at = now
            for member in await TeamMemberRepository(session).get_live_members([team.id]):
                member.archived_at = now
            await TeamRepository(session).save(team)
        return (await self._reads(session, [team]))[0]

    async def restore_team(self, session: AsyncSession, actor: Actor, team_id: int) -> TeamRead:
        """Bring the team back with the people it had when archived (unless they moved on)."""
        team, _ = await self._writable_team(session, actor, team_id, organisers_only=True)
        if team.archived_at is not None:
            archived_at = team.archived_at
            team.archived_at = None
            await TeamRepository(session).save(team)
            members = TeamMemberRepository(session)
            for member in await members.get_archived_at(team.id, archived_at):
                if member.role == TeamRole.MEMBER and await members.get_live_team_of_intern(
                    team.internship_id, member.user_id
                ):
                    continue
                # Only people whose role still fits the place come back.
                expected = (
                    ParticipantRole.MENTOR
                    if member.role == TeamRole.MENTOR
                    else ParticipantRole.INTERN
                )
                actual = await internship_service.live_role(
                    session, team.internship_id, member.user_id
                )
                if actual is not expected:
                    continue
                member.archived_at = None
                await members.save(member)
        return (await self._reads(session, [team]))[0]

    # --- members ----------------------------------------------------------------------

    async def add_member(
        self, session: AsyncSession, actor: Actor, team_id: int, data: TeamMemberAdd
    ) -> TeamRead:
        team, _ = await self._writable_team(
            session, actor, team_id, organisers_only=data.role is TeamRole.MENTOR
        )
        if team.archived_at is not None:
            raise TeamArchivedError
        await self._add_member(session, team, data.user_id, data.role)
        return (await self._reads(session, [team]))[0]

    async def remove_member(
        self, session: AsyncSession, actor: Actor, team_id: int, user_id: int
    ) -> TeamRead:
        team, access = await self._writable_team(session, actor, team_id)
        repo = TeamMemberRepository(session)
        member = await repo.get(team_id, user_id)
        if member is None or member.archived_at is not None:
            raise NotAnInternshipParticipantError("This user is not in the team.")
        if member.role == TeamRole.MENTOR and not access.is_admin:
            raise InternshipPermissionError("Only organisers change a team's mentors.")
        member.archived_at = utcnow()
        await repo.save(member)
        return (await self._reads(session, [team]))[0]

    async def _add_member(
        self, session: AsyncSession, team: Team, user_id: int, role: TeamRole
    ) -> None:
        """Mentors must be mentors of the internship; members its interns, in one team only."""
        expected = ParticipantRole.MENTOR if role is TeamRole.MENTOR else ParticipantRole.INTERN
        actual = await internship_service.live_role(session, team.internship_id, user_id)
        if actual is not expected:
            raise NotAnInternshipParticipantError(
                f"User {user_id} is not {'a mentor' if role is TeamRole.MENTOR else 'an intern'}"
                " of this internship.",
                field="mentor_ids" if role is TeamRole.MENTOR else "member_ids",
            )
        repo = TeamMemberRepository(session)
        if role is TeamRole.MEMBER:
            current = await repo.get_live_team_of_intern(team.internship_id, user_id)
            if current is not None and current != team.id:
                raise InternAlreadyInTeamError
        existing = await repo.get(team.id, user_id)
        if existing is not None:
            existing.role = role.value
            existing.archived_at = None
            await repo.save(existing)
            return
        await repo.add(
            TeamMember(
                team_id=team.id,
                internship_id=team.internship_id,
                user_id=user_id,
                role=role.value,
            )
        )

    async def join_from_invitation(
        self, session: AsyncSession, team_id: int, user_id: int, role: ParticipantRole
    ) -> None:
        """Trusted: the person accepted an invitation into this team."""
        team = await TeamRepository(session).get_by_id(team_id)
        if team is None or team.archived_at is not None:
            return
        team_role = TeamRole.MENTOR if role is ParticipantRole.MENTOR else TeamRole.MEMBER
        await self._add_member(session, team, user_id, team_role)

    async def _reads(self, session: AsyncSession, teams: Sequence[Team]) -> list[TeamRead]:
        team_list = list(teams)
        members = await TeamMemberRepository(session).get_live_members([t.id for t in team_list])
        by_team: dict[int, list[TeamMember]] = defaultdict(list)
        for member in members:
            by_team[member.team_id].append(member)
        result = []
        for team in team_list:
            people = by_team.get(team.id, [])
            result.append(
                TeamRead(
                    id=team.id,
                    internship_id=team.internship_id,
                    name=team.name,
                    description=team.description,
                    archived_at=team.archived_at,
                    created_at=team.created_at,
                    mentors=[
                        TeamMemberRead.model_validate(m) for m in people if m.role == "mentor"
                    ],
                    members=[
                        TeamMemberRead.model_validate(m) for m in people if m.role == "member"
                    ],
                )
            )
        return result

    # --- projects ---------------------------------------------------------------------

    async def create_project(
        self, session: AsyncSession, actor: Actor, team_id: int, data: ProjectCreate
    ) -> ProjectRead:
        team, _ = await self._writable_team(session, actor, team_id)
        if team.archived_at is not None:
            raise TeamArchivedError
        project = await ProjectRepository(session).add(
            Project(
                team_id=team.id,
                name=data.name,
                description=data.description,
                goal=data.goal,
                start_date=data.start_date,
                end_date=data.end_date,
                links=[link.model_dump(mode="json") for link in data.links],
                status=data.status.value,
            )
        )
        await publish(
            session,
            ProjectCreated(
                project_id=project.id,
                team_id=team.id,
                internship_id=team.internship_id,
                actor_id=actor.user_id or None,
            ),
        )
        return _project_read(project, team.internship_id)

    async def list_projects(
        self, session: AsyncSession, actor: Actor, team_id: int, *, include_archived: bool
    ) -> list[ProjectRead]:
        access = await self.team_access(session, actor, team_id)
        projects = await ProjectRepository(session).get_multi(
            team_ids=[team_id], include_archived=include_archived
        )
        return [_project_read(p, access.internship_id) for p in projects]

    async def get_project(
        self, session: AsyncSession, actor: Actor, project_id: int
    ) -> ProjectRead:
        access = await self.project_access(session, actor, project_id)
        project = await ProjectRepository(session).get_by_id(project_id)
        assert project is not None
        return _project_read(project, access.internship_id)

    async def update_project(
        self, session: AsyncSession, actor: Actor, project_id: int, data: ProjectUpdate
    ) -> ProjectRead:
        project, access = await self._writable_project(session, actor, project_id)
        values = data.model_dump(exclude_unset=True)
        start = values.get("start_date", project.start_date)
        end = values.get("end_date", project.end_date)
        if start is not None and end is not None and end < start:
            raise InvalidDatesError
        for key, value in values.items():
            if value is None and key in {"name", "description", "goal", "status", "links"}:
                continue
            if key == "links":
                value = [link.model_dump(mode="json") for link in data.links or []]
            elif key == "status":
                value = data.status.value if data.status else project.status
            setattr(project, key, value)
        await ProjectRepository(session).save(project)
        return _project_read(project, access.internship_id)

    async def set_project_archived(
        self, session: AsyncSession, actor: Actor, project_id: int, *, archived: bool
    ) -> ProjectRead:
        project, access = await self._writable_project(session, actor, project_id)
        if archived and project.archived_at is None:
            project.archived_at = utcnow()
        elif not archived:
            project.archived_at = None
        await ProjectRepository(session).save(project)
        return _project_read(project, access.internship_id)

    async def _writable_project(
        self, session: AsyncSession, actor: Actor, project_id: int
    ) -> tuple[Project, ProjectAccess]:
        access = await self.project_access(session, actor, project_id)
        if not access.can_manage:
            raise InternshipPermissionError(
                "Only organisers and the team's mentors manage projects."
            )
        await self._writable_team(session, actor, access.team_id)
        project = await ProjectRepository(session).get_by_id(project_id)
        assert project is not None
        return project, access


def _project_read(project: Project, internship_id: int) -> ProjectRead:
    return ProjectRead.model_validate(
        {
            **{c.key: getattr(project, c.key) for c in Project.__table__.columns},
            "internship_id": internship_id,
        }
    )


team_service = TeamService()
