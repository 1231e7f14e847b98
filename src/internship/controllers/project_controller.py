"""Projects of a team."""

from fastapi import APIRouter

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.params import IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS
from ..schemas.team_schema import ProjectCreate, ProjectRead, ProjectUpdate
from ..services.team_service import team_service

team_router = APIRouter()
router = APIRouter()


@team_router.post(
    "/{team_id}/projects", status_code=201, response_model=ProjectRead, responses=WRITE_ERRORS
)
async def create_project(
    team_id: IdPath, data: ProjectCreate, actor: CurrentActor, session: SessionDep
) -> ProjectRead:
    """Create a project of the team (the team's mentors, organisers)."""
    return await team_service.create_project(session, actor, team_id, data)


@team_router.get("/{team_id}/projects", response_model=list[ProjectRead], responses=READ_ERRORS)
async def list_projects(
    team_id: IdPath, actor: CurrentActor, session: SessionDep, include_archived: bool = False
) -> list[ProjectRead]:
    """Projects of the team."""
    return await team_service.list_projects(
        session, actor, team_id, include_archived=include_archived
    )


@router.get("/{project_id}", response_model=ProjectRead, responses=READ_ERRORS)
async def get_project(project_id: IdPath, actor: CurrentActor, session: SessionDep) -> ProjectRead:
    """One project."""
    return await team_service.get_project(session, actor, project_id)


@router.patch("/{project_id}", response_model=ProjectRead, responses=WRITE_ERRORS)
async def update_project(
    project_id: IdPath, data: ProjectUpdate, actor: CurrentActor, session: SessionDep
) -> ProjectRead:
    """Edit a project (the team's mentors, organisers)."""
    return await team_service.update_project(session, actor, project_id, data)


@router.post("/{project_id}/archive", response_model=ProjectRead, responses=WRITE_ERRORS)
async def archive_project(
    project_id: IdPath, actor: CurrentActor, session: SessionDep
) -> ProjectRead:
    """Archive a project; its boards and history stay."""
    return await team_service.set_project_archived(session, actor, project_id, archived=True)


@router.post("/{project_id}/restore", response_model=ProjectRead, responses=WRITE_ERRORS)
async def restore_project(
    project_id: IdPath, actor: CurrentActor, session: SessionDep
) -> ProjectRead:
    """Restore an archived project."""
    return await team_service.set_project_archived(session, actor, project_id, archived=False)
