"""Routes of the internship context (internships, participants, teams, projects): one
router, its controllers' routers under their prefixes."""

from fastapi import APIRouter

from .controllers.internship_controller import router as internship_router
from .controllers.participant_controller import router as participant_router
from .controllers.project_controller import router as project_router
from .controllers.project_controller import team_router as team_project_router
from .controllers.team_controller import internship_router as internship_team_router
from .controllers.team_controller import router as team_router

router = APIRouter()
router.include_router(internship_router, prefix="/internships", tags=["Internships"])
router.include_router(participant_router, prefix="/internships", tags=["Participants"])
router.include_router(internship_team_router, prefix="/internships", tags=["Teams"])
router.include_router(team_router, prefix="/teams", tags=["Teams"])
router.include_router(team_project_router, prefix="/teams", tags=["Projects"])
router.include_router(project_router, prefix="/projects", tags=["Projects"])
