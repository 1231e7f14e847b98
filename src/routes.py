"""Every context's routes, under /api/v1 (probes at the root)."""

from fastapi import FastAPI

from .analytics.routes import routers as analytics_routers
from .auth.routes import routers as auth_routers
from .board.routes import routers as board_routers
from .health.routes import router as health_router
from .importer.routes import routers as importer_routers
from .internship.routes import routers as internship_routers
from .lib.routing import RouterMount
from .review.routes import routers as review_routers
from .user.routes import routers as user_routers

API_PREFIX = "/api/v1"

# Requests are matched router by router, in this order (a router turns down paths
# outside its prefix at once, then tries its routes one by one): the tracker's routes
# (boards, moves, my cards, search: most of the traffic) come first. No two contexts'
# routes match the same path, so the order changes nothing else.
API_ROUTERS: list[RouterMount] = [
    *board_routers,
    *auth_routers,
    *user_routers,
    *internship_routers,
    *review_routers,
    *analytics_routers,
    *importer_routers,
]


def include_routes(app: FastAPI) -> None:
    """Each controller's router directly in the app: one level (see `lib/routing.py`)."""
    app.include_router(health_router)
    for mount in API_ROUTERS:
        path = API_PREFIX + mount.prefix
        mount.router.mount_path = path
        app.include_router(mount.router, prefix=path, tags=list(mount.tags))
