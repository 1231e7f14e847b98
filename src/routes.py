"""Every context's router under /api/v1; the probes at the root.

Pages (`/`) and static files (`/static`) of the web UI are included by `main.py` beside
these: no API path starts outside /api/v1, so they never compete.
"""

from fastapi import APIRouter, FastAPI

from .analytics.routes import router as analytics_router
from .auth.routes import router as auth_router
from .board.routes import router as board_router
from .health.routes import router as health_router
from .importer.routes import router as importer_router
from .internship.routes import router as internship_router
from .review.routes import router as review_router
from .user.routes import router as user_router

API_PREFIX = "/api/v1"

CONTEXT_ROUTERS: list[APIRouter] = [
    user_router,
    auth_router,
    internship_router,
    board_router,
    review_router,
    analytics_router,
    importer_router,
]


def include_routes(app: FastAPI) -> None:
    app.include_router(health_router)
    for router in CONTEXT_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
