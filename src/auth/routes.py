"""Routes of the auth context."""

from fastapi import APIRouter

from .controllers.auth_controller import router as auth_router
from .controllers.invitation_controller import router as invitation_router
from .controllers.password_reset_controller import router as password_reset_router

router = APIRouter(prefix="/auth")
router.include_router(auth_router, tags=["Auth"])
router.include_router(invitation_router, prefix="/invitations", tags=["Invitations"])
router.include_router(password_reset_router, prefix="/password-resets", tags=["Auth"])
