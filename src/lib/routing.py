"""How the controllers' routers reach the app: one level of inclusion, no nesting.

FastAPI (0.16x) matches a request through every level of nested routers twice (to
choose, then to handle), recomputes each level's route list version on the way, and
tries every route of every router in turn. With three levels (api → context →
controller) that cost 0.4 ms of CPU per request, a tenth of a card move. So each
context lists its controllers' routers with their prefixes and tags (`RouterMount`),
`src/routes.py` includes them all directly in the app, and a controller's router
(`ControllerRouter`) turns down a path outside its prefix at once.
"""

from typing import NamedTuple

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope


class ControllerRouter(APIRouter):
    """A controller's routes; `mount_path` (set when included) is their common prefix."""

    mount_path: str = ""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        prefix = self.mount_path
        if prefix:
            path: str = scope.get("path", "")
            root: str = scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root) :]
            if not path.startswith(prefix) or (
                len(path) > len(prefix) and path[len(prefix)] != "/"
            ):
                return Match.NONE, {}
        return super().matches(scope)


class RouterMount(NamedTuple):
    """A controller's router, under `prefix` (relative to /api/v1), with OpenAPI `tags`."""

    router: ControllerRouter
    prefix: str = ""
    tags: tuple[str, ...] = ()
