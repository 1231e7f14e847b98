"""Faults and load: the database restarts under the app, many logins at once."""

import asyncio
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from src.config.database.db_helper import Database, run_migrations
from src.config.project_config import get_settings
from src.main import create_app
from tests.conftest import auth_headers
from tests.factories import DEFAULT_PASSWORD, create_user
from tests.own_postgres import OwnPostgres, own_postgres

pytestmark = pytest.mark.slow


async def test_database_restart_answers_503_then_recovers_without_losing_data() -> None:
    """A server of its own (embedded), stopped and started under a live app; stopped
    again when the test ends, also when it fails."""
    async with own_postgres() as server:
        url = await server.database("faults")
        database = Database.from_url(url, get_settings().database.model_copy(update={"url": url}))
        try:
            await run_migrations(database.engine)
            await _restart_under_a_live_app(server, database)
        finally:
            await database.dispose()


async def _restart_under_a_live_app(server: OwnPostgres, database: Database) -> None:
    app: FastAPI = create_app()
    app.state.database = database
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with database.transaction() as session:
        admin = await create_user(session, username="faults.admin", is_admin=True)
    headers = auth_headers(admin)
    async with httpx.AsyncClient(transport=transport, base_url="http://faults") as client:
        created = await client.post(
            "/api/v1/users",
            headers=headers,
            json={"email": "kept@example.com", "username": "kept", "password": "kept-secret-1"},
        )
        assert created.status_code == 201

        await server.stop("fast")
        down: list[httpx.Response] = await asyncio.gather(
            *(client.get("/api/v1/users/by-username/kept", headers=headers) for _ in range(5)),
            client.get("/ready"),
        )
        for response in down:
            assert response.status_code == 503, response.text
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["code"] == "service_unavailable"
        assert (await client.get("/health")).status_code == 200

        await server.start()
        deadline = time.monotonic() + 30
        recovered: Any = None
        while time.monotonic() < deadline:
            recovered = await client.get("/api/v1/users/by-username/kept", headers=headers)
            if recovered.status_code == 200:
                break
            await asyncio.sleep(0.2)
        assert recovered is not None
        assert recovered.status_code == 200, recovered.text
        assert recovered.json()["email"] == "kept@example.com"
        assert (await client.get("/ready")).status_code == 200


async def test_hundred_concurrent_logins(committing_app: FastAPI) -> None:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    maker = async_sessionmaker(committing_app.state.database.engine, expire_on_commit=False)
    async with maker() as session:
        for n in range(10):
            await create_user(session, username=f"crowd{n}")
        await session.commit()
    transport = httpx.ASGITransport(app=committing_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://crowd") as client:
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/auth/login",
                    json={"login": f"crowd{n % 10}", "password": DEFAULT_PASSWORD},
                )
                for n in range(100)
            )
        )
    assert [r.status_code for r in responses] == [200] * 100
    tokens = {r.json()["refresh_token"] for r in responses}
    assert len(tokens) == 100
