"""Routes of the internship context: internships, participants, teams, projects."""

from ..lib.routing import RouterMount
from .controllers.internship_controller import router as internship_router
from .controllers.participant_controller import router as participant_router
from .controllers.project_controller import router as project_router
from .controllers.project_controller import team_router as team_project_router
from .controllers.team_controller import internship_router as internship_team_router
from .controllers.team_controller import router as team_router

# In matching order (see src/routes.py).
routers = [
    RouterMount(internship_router, "/internships", ("Internships",)),
    RouterMount(participant_router, "/internships", ("Participants",)),
    RouterMount(internship_team_router, "/internships", ("Teams",)),
    RouterMount(team_router, "/teams", ("Teams",)),
    RouterMount(team_project_router, "/teams", ("Projects",)),
    RouterMount(project_router, "/projects", ("Projects",)),
]
