"""Driver queries run in the session's transaction and fail as `session.execute` fails."""

import asyncio
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, event, func, insert, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from src.config.database.driver_query import DriverQuery, as_jsonb
from src.user.user_model import User
from tests.factories import create_user, default_password_hash

_users = cast(Table, User.__table__)
_NOW = DriverQuery(select(func.now(), func.pg_backend_pid()))
_INSERT_USER = DriverQuery(
    insert(_users)
    .values(
        username=bindparam("username"),
        email=bindparam("email"),
        full_name="",
        hashed_password=bindparam("password"),
    )
    .returning(_users.c.id)
)


async def test_a_driver_query_first_in_a_session_begins_its_transaction(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session:
        first = await _NOW.fetchrow(session, {})
        await asyncio.sleep(0.01)
        second = await _NOW.fetchrow(session, {})
        driver = (await (await session.connection()).get_raw_connection()).driver_connection
        assert driver is not None
        assert driver.is_in_transaction()
        await session.rollback()
    assert first is not None
    assert second is not None
    # now() is the transaction's start: both statements ran in one transaction.
    assert first[0] == second[0]


async def test_driver_writes_roll_back_with_the_session(engine: AsyncEngine) -> None:
    async with AsyncSession(engine) as session:
        row = await _INSERT_USER.fetchrow(
            session,
            {"username": "driver.rollback", "email": "d@example.com", "password": "x"},
        )
        assert row is not None
        await session.rollback()
    async with AsyncSession(engine) as session:
        found = await session.scalar(select(User.id).where(User.username == "driver.rollback"))
    assert found is None


async def test_driver_and_orm_statements_share_the_transaction(session: AsyncSession) -> None:
    user = await create_user(session, username="driver.shared")
    renamed = DriverQuery(
        _users.update()
        .where(_users.c.id == bindparam("user_id"))
        .values(full_name=bindparam("name"))
        .returning(_users.c.full_name)
    )
    row = await renamed.fetchrow(session, {"user_id": user.id, "name": "Пётр"})
    assert row is not None
    assert row["full_name"] == "Пётр"
    visible = await session.scalar(select(User.full_name).where(User.id == user.id))
    assert visible == "Пётр"


async def test_a_unique_violation_is_an_integrity_error(session: AsyncSession) -> None:
    await create_user(session, username="driver.taken", email="taken@example.com")
    with pytest.raises(IntegrityError) as raised:
        await _INSERT_USER.fetch(
            session,
            {
                "username": "driver.taken",
                "email": "other@example.com",
                "password": default_password_hash(),
            },
        )
    assert "uq_users_username" in str(raised.value) or "username" in str(raised.value)
    assert not raised.value.connection_invalidated


async def test_a_lost_connection_is_a_dbapi_error_marked_invalidated(
    engine: AsyncEngine,
) -> None:
    async with AsyncSession(engine) as session:
        row = await _NOW.fetchrow(session, {})
        assert row is not None
        async with engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": row[1]})
        with pytest.raises(DBAPIError) as raised:
            await _NOW.fetchrow(session, {})
        assert raised.value.connection_invalidated
        await session.rollback()
    # The pool hands out a working connection afterwards.
    async with AsyncSession(engine) as session:
        assert await _NOW.fetchrow(session, {}) is not None


async def test_statement_listeners_see_driver_queries(
    connection: AsyncConnection, session: AsyncSession
) -> None:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    sync_connection = connection.sync_connection
    assert sync_connection is not None
    event.listen(sync_connection, "before_cursor_execute", record)
    try:
        await _NOW.fetchrow(session, {})
    finally:
        event.remove(sync_connection, "before_cursor_execute", record)
    # (after the SAVEPOINT that joins the test session to the test transaction)
    assert seen[-1] == _NOW.sql


def test_expanding_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="array"):
        DriverQuery(select(_users.c.id).where(_users.c.id.in_(bindparam("ids", expanding=True))))


async def test_jsonb_parameters_round_trip(session: AsyncSession) -> None:
    echo = DriverQuery(select(bindparam("doc", type_=JSONB).label("doc")))
    row = await echo.fetchrow(session, {"doc": as_jsonb({"колонка": [1, 2], "ok": True})})
    assert row is not None
    assert row["doc"] == {"колонка": [1, 2], "ok": True}
