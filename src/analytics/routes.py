"""Routes of analytics."""

from ..lib.routing import RouterMount
from .controllers.analytics_controller import board_router, internship_router, team_router

# In matching order (see src/routes.py).
routers = [
    RouterMount(internship_router, "/internships", ("Analytics",)),
    RouterMount(team_router, "/teams", ("Analytics",)),
    RouterMount(board_router, "/boards", ("Analytics",)),
]
