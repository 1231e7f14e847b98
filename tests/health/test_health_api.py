"""Liveness and readiness probes."""

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from src.config.database.db_helper import Database


async def test_health_is_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_checks_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_ready_is_503_when_the_database_is_unreachable(
    app: FastAPI, client: httpx.AsyncClient, member_headers: dict[str, str]
) -> None:
    # A port nobody listens on: connection refused.
    dead = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none")
    app.state.database = Database(engine=dead, sessionmaker=async_sessionmaker(dead))
    try:
        response = await client.get("/ready")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "service_unavailable"
        health = await client.get("/health")
        assert health.status_code == 200
        users = await client.get("/api/v1/users/1", headers=member_headers)
        assert users.status_code == 503
    finally:
        await dead.dispose()
