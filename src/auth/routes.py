"""Routes of the auth context."""

from ..lib.routing import RouterMount
from .controllers.auth_controller import router as auth_router
from .controllers.invitation_controller import router as invitation_router
from .controllers.password_reset_controller import router as password_reset_router

# In matching order (see src/routes.py).
routers = [
    RouterMount(auth_router, "/auth", ("Auth",)),
    RouterMount(invitation_router, "/auth/invitations", ("Invitations",)),
    RouterMount(password_reset_router, "/auth/password-resets", ("Auth",)),
]
