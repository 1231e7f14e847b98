"""Routes of imports and exports."""

from ..lib.routing import RouterMount
from .controllers.import_controller import board_router, project_router
from .controllers.import_controller import router as import_router

# In matching order (see src/routes.py).
routers = [
    RouterMount(project_router, "/projects", ("Import and export",)),
    RouterMount(import_router, "/imports", ("Import and export",)),
    RouterMount(board_router, "/boards", ("Import and export",)),
]
