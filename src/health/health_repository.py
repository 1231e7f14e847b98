"""The database round trip behind readiness."""

from sqlalchemy import text

from ..lib.repository import QueryRepository


class HealthRepository(QueryRepository):
    async def ping(self) -> bool:
        result = (await self.session.execute(text("SELECT 1"))).scalar_one()
        return bool(result == 1)
