"""Routes of the auth context: one router, its controllers' routers under their prefixes."""

from fastapi import APIRouter

from .controllers.auth_controller import router as auth_router
from .controllers.invitation_controller import router as invitation_router
from .controllers.password_reset_controller import router as password_reset_router

router = APIRouter()
router.include_router(auth_router, prefix="/auth", tags=["Auth"])
router.include_router(invitation_router, prefix="/auth/invitations", tags=["Invitations"])
router.include_router(password_reset_router, prefix="/auth/password-resets", tags=["Auth"])
