"""Routes of analytics: one router, its controllers' routers under their prefixes."""

from fastapi import APIRouter

from .controllers.analytics_controller import board_router, internship_router, team_router

router = APIRouter()
router.include_router(internship_router, prefix="/internships", tags=["Analytics"])
router.include_router(team_router, prefix="/teams", tags=["Analytics"])
router.include_router(board_router, prefix="/boards", tags=["Analytics"])
