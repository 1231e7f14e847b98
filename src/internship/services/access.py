"""What an actor may do with an internship, a team or a project.

The rules (issue «Internship programmes», access):
- organiser (admin): everything;
- mentor: reads the internships they take part in (teams and projects included),
  manages the teams they mentor: members, description, projects;
- observer: reads everything in their internship, changes nothing;
- intern: reads their internship, their own team and its projects.
Whatever an actor may not read does not exist for them (404).
"""

from dataclasses import dataclass

from ...lib.security.actor import Actor
from ..constants import ParticipantRole, TeamRole
from ..repositories.access_repository import ProjectFacts, TeamFacts


@dataclass(frozen=True, slots=True)
class InternshipAccess:
    internship_id: int
    is_admin: bool
    role: ParticipantRole | None

    @property
    def can_read(self) -> bool:
        return self.is_admin or self.role is not None

    @property
    def sees_everyone(self) -> bool:
        """Reads every team, project and participant of the internship."""
        return self.is_admin or self.role in (ParticipantRole.MENTOR, ParticipantRole.OBSERVER)

    @property
    def can_manage(self) -> bool:
        return self.is_admin


@dataclass(frozen=True, slots=True)
class TeamAccess:
    team_id: int
    internship_id: int
    is_admin: bool
    internship_role: ParticipantRole | None
    team_role: TeamRole | None
    team_archived: bool

    @classmethod
    def of(cls, actor: Actor, facts: TeamFacts) -> "TeamAccess":
        return cls(
            team_id=facts.team_id,
            internship_id=facts.internship_id,
            is_admin=actor.is_admin,
            internship_role=ParticipantRole(facts.internship_role)
            if facts.internship_role
            else None,
            team_role=TeamRole(facts.team_role) if facts.team_role else None,
            team_archived=facts.team_archived,
        )

    @property
    def can_read(self) -> bool:
        if self.is_admin or self.internship_role in (
            ParticipantRole.MENTOR,
            ParticipantRole.OBSERVER,
        ):
            return True
        return self.internship_role is not None and self.team_role is not None

    @property
    def can_manage(self) -> bool:
        """Members, description and projects: organisers and the team's mentors."""
        return self.is_admin or (
            self.team_role is TeamRole.MENTOR and self.internship_role is ParticipantRole.MENTOR
        )

    @property
    def works_in_team(self) -> bool:
        """Members and mentors of the team itself (not observers or other mentors)."""
        return self.internship_role is not None and self.team_role is not None


@dataclass(frozen=True, slots=True)
class ProjectAccess:
    """Passed to the tracker: who may see the project's boards and work on its cards."""

    project_id: int
    team_id: int
    internship_id: int
    is_admin: bool
    internship_role: ParticipantRole | None
    team_role: TeamRole | None
    project_archived: bool
    team_archived: bool

    @classmethod
    def of(cls, actor: Actor, facts: ProjectFacts) -> "ProjectAccess":
        team = TeamAccess.of(actor, facts.team)
        return cls(
            project_id=facts.project_id,
            team_id=team.team_id,
            internship_id=team.internship_id,
            is_admin=team.is_admin,
            internship_role=team.internship_role,
            team_role=team.team_role,
            project_archived=facts.project_archived,
            team_archived=team.team_archived,
        )

    @property
    def team(self) -> TeamAccess:
        return TeamAccess(
            team_id=self.team_id,
            internship_id=self.internship_id,
            is_admin=self.is_admin,
            internship_role=self.internship_role,
            team_role=self.team_role,
            team_archived=self.team_archived,
        )

    @property
    def can_read(self) -> bool:
        return self.team.can_read

    @property
    def can_manage(self) -> bool:
        return self.team.can_manage

    @property
    def can_see_boards(self) -> bool:
        """The team's members and mentors, observers of the internship, organisers."""
        return (
            self.is_admin
            or self.team.works_in_team
            or self.internship_role is ParticipantRole.OBSERVER
        )

    @property
    def can_work_on_cards(self) -> bool:
        return self.is_admin or self.team.works_in_team

    @property
    def can_manage_boards(self) -> bool:
        """Columns and the board itself: the team's mentors and organisers."""
        return self.can_manage
