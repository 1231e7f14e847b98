"""Teams: create and list in an internship; read, edit, archive; members and mentors."""

from fastapi import APIRouter

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.params import IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS
from ..schemas.team_schema import TeamCreate, TeamMemberAdd, TeamRead, TeamUpdate
from ..services.team_service import team_service

internship_router = APIRouter()
router = APIRouter()


@internship_router.post(
    "/{internship_id}/teams", status_code=201, response_model=TeamRead, responses=WRITE_ERRORS
)
async def create_team(
    internship_id: IdPath, data: TeamCreate, actor: CurrentActor, session: SessionDep
) -> TeamRead:
    """Create a team with its mentors and members (organisers)."""
    return await team_service.create_team(session, actor, internship_id, data)


@internship_router.get(
    "/{internship_id}/teams", response_model=list[TeamRead], responses=READ_ERRORS
)
async def list_teams(
    internship_id: IdPath, actor: CurrentActor, session: SessionDep, include_archived: bool = False
) -> list[TeamRead]:
    """Teams of the internship you may see (interns: their own)."""
    return await team_service.list_teams(
        session, actor, internship_id, include_archived=include_archived
    )


@router.get("/{team_id}", response_model=TeamRead, responses=READ_ERRORS)
async def get_team(team_id: IdPath, actor: CurrentActor, session: SessionDep) -> TeamRead:
    """One team with its mentors and members."""
    return await team_service.get_team(session, actor, team_id)


@router.patch("/{team_id}", response_model=TeamRead, responses=WRITE_ERRORS)
async def update_team(
    team_id: IdPath, data: TeamUpdate, actor: CurrentActor, session: SessionDep
) -> TeamRead:
    """Edit the description (the team's mentors) or the name (organisers)."""
    return await team_service.update_team(session, actor, team_id, data)


@router.post("/{team_id}/archive", response_model=TeamRead, responses=WRITE_ERRORS)
async def archive_team(team_id: IdPath, actor: CurrentActor, session: SessionDep) -> TeamRead:
    """Archive the team (organisers); its projects, tasks and history stay."""
    return await team_service.archive_team(session, actor, team_id)


@router.post("/{team_id}/restore", response_model=TeamRead, responses=WRITE_ERRORS)
async def restore_team(team_id: IdPath, actor: CurrentActor, session: SessionDep) -> TeamRead:
    """Restore an archived team (organisers)."""
    return await team_service.restore_team(session, actor, team_id)


@router.post("/{team_id}/members", status_code=201, response_model=TeamRead, responses=WRITE_ERRORS)
async def add_team_member(
    team_id: IdPath, data: TeamMemberAdd, actor: CurrentActor, session: SessionDep
) -> TeamRead:
    """Add an intern (the team's mentors, organisers) or a mentor (organisers)."""
    return await team_service.add_member(session, actor, team_id, data)


@router.delete("/{team_id}/members/{user_id}", response_model=TeamRead, responses=WRITE_ERRORS)
async def remove_team_member(
    team_id: IdPath, user_id: IdPath, actor: CurrentActor, session: SessionDep
) -> TeamRead:
    """Take someone out of the team (the membership is archived, not erased)."""
    return await team_service.remove_member(session, actor, team_id, user_id)
