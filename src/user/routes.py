"""Routes of the user context."""

from ..lib.routing import RouterMount
from .user_controller import router as user_router

# In matching order (see src/routes.py).
routers = [
    RouterMount(user_router, "/users", ("Users",)),
]
