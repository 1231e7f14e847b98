"""Liveness and readiness."""

import asyncio

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession

from ..lib.errors import ServiceUnavailableError
from .health_repository import HealthRepository

READINESS_TIMEOUT_SECONDS = 3.0


class HealthService:
    async def check_ready(self, session: AsyncSession) -> None:
        """Raise 503 unless the database answers within a few seconds."""
        try:
            async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
                await HealthRepository(session).ping()
        except (DBAPIError, PoolTimeoutError, OSError, TimeoutError) as exc:
            raise ServiceUnavailableError("The database is not reachable.") from exc


health_service = HealthService()
