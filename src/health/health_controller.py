"""Probes for load balancers and orchestrators."""

from fastapi import APIRouter

from ..config.database.db_helper import SessionDep
from ..lib.problem_details import Problem
from .health_schema import HealthRead, ReadinessRead
from .health_service import health_service

router = APIRouter(tags=["Health"])


@router.get("/health", response_model=HealthRead)
async def health() -> HealthRead:
    """Liveness: the process answers."""
    return HealthRead()


@router.get(
    "/ready",
    response_model=ReadinessRead,
    responses={503: {"model": Problem, "description": "The database is not reachable."}},
)
async def ready(session: SessionDep) -> ReadinessRead:
    """Readiness: the database answers."""
    await health_service.check_ready(session)
    return ReadinessRead()
