"""Test fixtures: a real PostgreSQL, the schema built by the migrations, one rolled-back
transaction per test.

`TEST_DATABASE_URL` names a server (CI: this machine's PostgreSQL); without it an embedded
pgserver instance in `.data/test-postgres` is used. Each test session creates its own
database on that server and drops it at the end.
"""

import asyncio
import os
import tempfile
import uuid

# Before anything reads the settings: a fixed signing key, no e-mail, quiet logs.
os.environ.setdefault("SECRET_KEY", "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ENVIRONMENT", "test")
# Always a folder of the tests' own: tests prune uploads against their own databases,
# which must never touch a DATA_DIR exported for a real installation.
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="internhub-test-data-")
for _smtp in ("SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD"):
    os.environ.pop(_smtp, None)

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from src.auth.services.token_service import token_service
from src.config.database.db_config import DatabaseSettings
from src.config.database.db_helper import Database, build_engine, run_migrations
from src.config.database.embedded import database_url, start_embedded_server
from src.config.project_config import ProjectSettings, get_settings
from src.lib.models.base_model import Base
from src.main import create_app
from src.user.user_model import User
from tests.factories import create_user

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _server_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url.replace("postgresql+asyncpg://", "postgresql://")
    return start_embedded_server(PROJECT_ROOT / ".data" / "test-postgres")


async def _create_database(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_database(server_url: str, name: str) -> None:
    conn = await asyncpg.connect(server_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def server_url() -> str:
    """libpq URL of the PostgreSQL server the tests use (any database on it)."""
    return _server_url()


@pytest.fixture(scope="session")
def make_database(server_url: str) -> Iterator[object]:
    """Factory of fresh, empty databases on the test server; all dropped at the end."""
    created: list[str] = []

    def make(prefix: str = "internhub_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        asyncio.run(_create_database(server_url, name))
        created.append(name)
        return database_url(server_url, name)

    yield make
    for name in created:
        asyncio.run(_drop_database(server_url, name))


@pytest.fixture(scope="session")
def database_url_for_tests(make_database: object) -> str:
    return make_database()  # type: ignore[operator,no-any-return]


@pytest.fixture(scope="session")
def db_settings(database_url_for_tests: str) -> DatabaseSettings:
    return DatabaseSettings(DATABASE_URL=database_url_for_tests, DB_POOL_SIZE=5)


@pytest.fixture(scope="session")
async def engine(
    database_url_for_tests: str, db_settings: DatabaseSettings
) -> AsyncIterator[AsyncEngine]:
    engine = build_engine(database_url_for_tests, db_settings)
    await run_migrations(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
async def connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """One connection per test inside an outer transaction that is rolled back."""
    async with engine.connect() as conn:
        trans = await conn.begin()
        try:
            yield conn
        finally:
            if trans.is_active:
                await trans.rollback()


@pytest.fixture
def sessionmaker(connection: AsyncConnection) -> async_sessionmaker[AsyncSession]:
    """Sessions joined to the test's transaction: their commits become savepoints."""
    return async_sessionmaker(
        bind=connection,
        expire_on_commit=False,
        autoflush=False,
        join_transaction_mode="create_savepoint",
    )


@pytest.fixture
async def session(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with sessionmaker() as session:
        yield session


@pytest.fixture
def settings(db_settings: DatabaseSettings) -> ProjectSettings:
    """The process settings (services read them too), on the test database."""
    current = get_settings()
    current.database = db_settings
    return current


@pytest.fixture
def app(
    settings: ProjectSettings,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> FastAPI:
    application = create_app(settings)
    application.state.database = Database(engine=engine, sessionmaker=sessionmaker)
    return application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


# --- Tests that need real commits (races, concurrency) ------------------------------


async def truncate_all(engine: AsyncEngine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    if tables:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def committing_app(settings: ProjectSettings, engine: AsyncEngine) -> AsyncIterator[FastAPI]:
    """The app on the real engine: requests commit for real; tables are emptied afterwards."""
    application = create_app(settings)
    application.state.database = Database(
        engine=engine,
        sessionmaker=async_sessionmaker(bind=engine, expire_on_commit=False, autoflush=False),
    )
    try:
        yield application
    finally:
        await truncate_all(engine)


@pytest.fixture
async def committing_client(committing_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=committing_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


# --- Authentication helpers ------------------------------------------------------------


def auth_headers(user: User) -> dict[str, str]:
    """A valid bearer header for `user` (the token is signed like a real login's)."""
    return {"Authorization": f"Bearer {token_service.issue_access_token(user.id).token}"}


@pytest.fixture
async def admin(session: AsyncSession) -> User:
    return await create_user(
        session, username="organizer", full_name="Ольга Миронова", is_admin=True
    )


@pytest.fixture
def admin_headers(admin: User) -> dict[str, str]:
    return auth_headers(admin)


@pytest.fixture
async def member(session: AsyncSession) -> User:
    """An ordinary user (no organiser rights)."""
    return await create_user(session, username="ivan", full_name="Иван Петров")


@pytest.fixture
def member_headers(member: User) -> dict[str, str]:
    return auth_headers(member)


@pytest.fixture
async def committed_admin_headers(engine: AsyncEngine, committing_app: FastAPI) -> dict[str, str]:
    """An organiser committed for real (for tests on `committing_client`)."""
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        user = await create_user(session, username="root.organizer", is_admin=True)
        await session.commit()
    return auth_headers(user)
