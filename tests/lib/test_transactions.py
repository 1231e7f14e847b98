"""One transaction per request: committed before the response is sent, rolled back on error."""

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.config.database.db_helper import SessionDep
from src.lib.errors import ConflictError
from src.user.user_model import User
from tests.factories import create_user, default_password_hash


def _user(username: str, email: str) -> User:
    return User(
        username=username, email=email, full_name="", hashed_password=default_password_hash()
    )


async def _count(session: AsyncSession) -> int:
    return (await session.execute(select(func.count()).select_from(User))).scalar_one()


async def test_failed_commit_never_follows_a_2xx(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    await create_user(session, username="taken", email="taken@example.com")

    @app.post("/_test/commit-fails", status_code=201)
    async def commit_fails(db: SessionDep) -> dict[str, str]:
        # Not flushed: the unique violation surfaces only when the dependency commits.
        db.add(_user("other", "TAKEN@example.com"))
        return {"status": "created"}

    response = await client.post("/_test/commit-fails")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert await _count(session) == 1


async def test_error_after_a_write_rolls_the_write_back(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    @app.post("/_test/write-then-fail")
    async def write_then_fail(db: SessionDep) -> None:
        db.add(_user("ghost", "ghost@example.com"))
        await db.flush()
        raise ConflictError("business rule broken after the write")

    response = await client.post("/_test/write-then-fail")
    assert response.status_code == 409
    assert await _count(session) == 0


async def test_unexpected_exception_rolls_back_and_answers_500(
    app: FastAPI, client: httpx.AsyncClient, session: AsyncSession
) -> None:
    @app.post("/_test/crash")
    async def crash(db: SessionDep) -> None:
        db.add(_user("crasher", "crasher@example.com"))
        await db.flush()
        raise RuntimeError("secret internal detail: SELECT * FROM users")

    response = await client.post("/_test/crash", headers={"X-Request-ID": "req-crash-1"})
    assert response.status_code == 500
    problem = response.json()
    assert problem["code"] == "internal_error"
    assert problem["request_id"] == "req-crash-1"
    assert "SELECT" not in response.text
    assert "Traceback" not in response.text
    assert "secret" not in response.text
    assert await _count(session) == 0


async def test_statement_timeout_answers_503_statement_timeout_not_500(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    from sqlalchemy import text

    @app.get("/_test/slow")
    async def slow(db: SessionDep) -> None:
        await db.execute(text("SET LOCAL statement_timeout = 50"))
        await db.execute(text("SELECT pg_sleep(1)"))

    response = await client.get("/_test/slow")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    # Its own message: the database is there, the request asked too much of it.
    assert response.json()["code"] == "statement_timeout"
    assert response.json()["detail"].startswith("The request took too long")
