"""How a context lists its routers for the app: one level of inclusion, no nesting.

FastAPI (0.16x) matches a request through every level of nested routers twice (to
choose, then to handle) and recomputes each level's route list version on the way: with
three levels (api → context → controller) that was 0.4 ms of CPU per request, a tenth
of a card move. Each context therefore lists its controllers' routers with their
prefixes and tags, and `src/routes.py` includes them all directly in the app.
"""

from typing import NamedTuple

from fastapi import APIRouter


class RouterMount(NamedTuple):
    """A controller's router, under `prefix` (relative to /api/v1), with OpenAPI `tags`."""

    router: APIRouter
    prefix: str = ""
    tags: tuple[str, ...] = ()
