"""Imports reuse the tracker's world (internship «Весна 2026», teams Альфа and Бета).

One application serves every test of this folder: FastAPI builds a route's dependency
state on the first request that reaches it, about 0.4 s per fresh app, which would be
most of the time of these tests. The app holds no state besides its settings and
`state.database`, which each test points at its own rolled-back transaction.
"""

import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from src.config.database.db_config import DatabaseSettings
from src.config.database.db_helper import Database
from src.config.project_config import ProjectSettings, get_settings
from src.main import create_app
from tests.board.conftest import committed_tracker, tracker  # noqa: F401


@pytest.fixture(scope="session")
def shared_app(db_settings: DatabaseSettings) -> FastAPI:
    settings = get_settings()
    settings.database = db_settings
    return create_app(settings)


@pytest.fixture
def app(
    shared_app: FastAPI,
    settings: ProjectSettings,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> FastAPI:
    shared_app.state.database = Database(engine=engine, sessionmaker=sessionmaker)
    return shared_app
