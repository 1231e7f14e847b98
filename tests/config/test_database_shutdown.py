"""A smart shutdown (SIGTERM) of PostgreSQL completes while the app runs: pooled
connections are recycled, closed when idle, and all closed once the server refuses new
connections (57P03); meanwhile requests answer 503 without flapping."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from src.config.database.db_config import DatabaseSettings
from src.config.database.db_helper import Database
from src.main import create_app
from tests.own_postgres import own_postgres

pytestmark = pytest.mark.slow


def _settings(url: str, **values: object) -> DatabaseSettings:
    return DatabaseSettings(DATABASE_URL=url).model_copy(update=values)


async def _backend_pid(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


def _app(database: Database) -> FastAPI:
    app = create_app()
    app.state.database = database
    return app


async def test_pooled_connections_are_recycled_after_their_lifetime() -> None:
    async with own_postgres() as server:
        url = await server.database("recycle")
        database = Database.from_url(
            url, _settings(url, pool_recycle_seconds=1, pool_idle_seconds=0, pool_size=1)
        )
        try:
            first = await _backend_pid(database)
            assert await _backend_pid(database) == first  # reused while young
            await asyncio.sleep(1.5)
            assert await _backend_pid(database) != first  # replaced once older than 1 s
        finally:
            await database.dispose()


async def test_smart_shutdown_completes_while_the_app_idles() -> None:
    async with own_postgres() as server:
        url = await server.database("idle")
        database = Database.from_url(url, _settings(url, pool_idle_seconds=2))
        transport = httpx.ASGITransport(app=_app(database), raise_app_exceptions=False)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://idle") as client:
                # Several connections rest in the pool.
                ready = await asyncio.gather(*(client.get("/ready") for _ in range(6)))
                assert [r.status_code for r in ready] == [200] * 6
                await server.signal_smart_shutdown()
                # Without an idle timeout the pooled sessions would hold it up for ever.
                assert await server.wait_stopped(20), "the smart shutdown did not complete"
                assert (await client.get("/ready")).status_code == 503
                await server.start()
                assert (await client.get("/ready")).status_code == 200
        finally:
            await database.dispose()


async def test_smart_shutdown_under_traffic_answers_503_steadily_and_completes() -> None:
    async with own_postgres() as server:
        url = await server.database("busy")
        # No idle timeout and no recycling here: the refusal (57P03) alone must release
        # the pool.
        database = Database.from_url(
            url, _settings(url, pool_idle_seconds=0, pool_recycle_seconds=0, pool_size=10)
        )
        transport = httpx.ASGITransport(app=_app(database), raise_app_exceptions=False)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://busy") as client:
                warm = await asyncio.gather(*(client.get("/ready") for _ in range(4)))
                assert [r.status_code for r in warm] == [200] * 4
                await server.signal_smart_shutdown()
                # More requests at once than connections in the pool: some need a new
                # connection, which the server refuses.
                burst = await asyncio.gather(*(client.get("/ready") for _ in range(10)))
                statuses = {r.status_code for r in burst}
                assert 503 in statuses, statuses
                assert statuses <= {200, 503}
                refused = next(r for r in burst if r.status_code == 503)
                assert refused.headers["content-type"] == "application/problem+json"
                assert refused.json()["code"] == "service_unavailable"
                await asyncio.sleep(0.5)  # the pool's disposal runs beside the requests
                # From now on no request gets one of the old connections: no flapping.
                for _ in range(10):
                    assert (await client.get("/ready")).status_code == 503
                assert await server.wait_stopped(20), "the smart shutdown did not complete"
                await server.start()
                assert (await client.get("/ready")).status_code == 200
        finally:
            await database.dispose()
