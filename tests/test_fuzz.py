"""API fuzzing with Schemathesis over every route of the OpenAPI schema, as an organiser,
a mentor and an intern: no 5xx, every response matches its schema, and data that breaks
the schema is rejected. In-process (ASGI), on a database of its own, bounded examples.

The schema is loaded at import (Schemathesis parametrizes at collection time); the app
reaches its database through a NullPool engine, so connections are opened inside the
event loop Schemathesis runs the app in.
"""

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
)
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from src.auth.services.token_service import token_service
from src.board.schemas.card_schema import CardCreate
from src.board.services.board_service import board_service
from src.board.services.card_service import card_service
from src.config.database.db_config import DatabaseSettings, to_async_url
from src.config.database.db_helper import Database, build_engine, run_migrations
from src.config.database.embedded import database_url
from src.internship.constants import ParticipantRole
from src.internship.schemas.internship_schema import InternshipCreate
from src.internship.schemas.team_schema import ProjectCreate, TeamCreate
from src.internship.services.internship_service import internship_service
from src.internship.services.team_service import team_service
from src.lib.security.actor import Actor
from src.main import create_app
from tests.conftest import _server_url
from tests.factories import create_user

MAX_EXAMPLES = 3
SERVER_URL = _server_url()
FUZZ_DB = f"internhub_fuzz_{uuid.uuid4().hex[:10]}"
FUZZ_URL = database_url(SERVER_URL, FUZZ_DB)

app = create_app()
_engine = create_async_engine(to_async_url(FUZZ_URL), poolclass=NullPool)
app.state.database = Database(
    engine=_engine,
    sessionmaker=async_sessionmaker(_engine, expire_on_commit=False, autoflush=False),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
TOKENS: dict[str, str] = {}

pytestmark = pytest.mark.slow


async def _prepare() -> None:
    conn = await asyncpg.connect(SERVER_URL)
    try:
        await conn.execute(f'CREATE DATABASE "{FUZZ_DB}"')
    finally:
        await conn.close()
    engine = build_engine(FUZZ_URL, DatabaseSettings(DATABASE_URL=FUZZ_URL))
    await run_migrations(engine)
    await engine.dispose()
    engine = create_async_engine(to_async_url(FUZZ_URL), poolclass=NullPool)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    system = Actor.system()
    async with maker() as session:
        admin = await create_user(session, username="fuzz.admin", is_admin=True)
        mentor = await create_user(session, username="fuzz.mentor")
        intern = await create_user(session, username="fuzz.intern")
        today = dt.date.today()
        internship = await internship_service.create(
            session,
            system,
            InternshipCreate(
                name="Фаззинг", start_date=today, end_date=today + dt.timedelta(days=60)
            ),
        )
        await internship_service.enrol(session, internship.id, mentor.id, ParticipantRole.MENTOR)
        await internship_service.enrol(session, internship.id, intern.id, ParticipantRole.INTERN)
        team = await team_service.create_team(
            session,
            system,
            internship.id,
            TeamCreate(name="Команда", mentor_ids=[mentor.id], member_ids=[intern.id]),
        )
        project = await team_service.create_project(
            session, system, team.id, ProjectCreate(name="Проект")
        )
        board = (await board_service.list_boards(session, system, project.id, archived=False))[0]
        await card_service.create(
            session, Actor(user_id=intern.id), board.id, CardCreate(title="Задача")
        )
        await session.commit()
    await engine.dispose()
    TOKENS.update(
        admin=token_service.issue_access_token(admin.id).token,
        mentor=token_service.issue_access_token(mentor.id).token,
        intern=token_service.issue_access_token(intern.id).token,
    )


async def _drop() -> None:
    conn = await asyncpg.connect(SERVER_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{FUZZ_DB}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="module", autouse=True)
def fuzz_database() -> Iterator[None]:
    asyncio.run(_prepare())
    yield
    asyncio.run(_drop())


FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
CHECKS = [not_a_server_error, response_schema_conformance, negative_data_rejection]


def _call(case: Any, role: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKENS[role]}"}, checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_organiser(case: Any) -> None:
    _call(case, "admin")


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_mentor(case: Any) -> None:
    _call(case, "mentor")


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_as_intern(case: Any) -> None:
    _call(case, "intern")
