"""Every context's routes, under /api/v1 (probes at the root)."""

from fastapi import APIRouter

from .analytics.routes import router as analytics_router
from .auth.routes import router as auth_router
from .board.routes import router as board_router
from .health.routes import router as health_router
from .importer.routes import router as importer_router
from .internship.routes import router as internship_router
from .review.routes import router as review_router
from .user.routes import router as user_router

api_router = APIRouter(prefix="/api/v1")
# Requests are matched route by route, in this order, with no shortcut by prefix:
# the tracker's routes (boards, moves, my cards, search: most of the traffic) come
# first. No two contexts' routes match the same path, so the order changes nothing
# else.
api_router.include_router(board_router)
api_router.include_router(auth_router)
api_router.include_router(user_router)
api_router.include_router(internship_router)
api_router.include_router(review_router)
api_router.include_router(analytics_router)
api_router.include_router(importer_router)

root_router = APIRouter()
root_router.include_router(health_router)
