"""Engine, sessionmaker and the per-request session: one transaction per use case."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request
from sqlalchemy import event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool

from ...lib.errors import AppError
from .db_config import DatabaseSettings, to_async_url
from .embedded import database_url, ensure_database, start_embedded_server

logger = logging.getLogger(__name__)

MIGRATION_LOCK_KEY = 0x1_7E4_4B  # advisory lock id taken while migrating


async def resolve_database_url(settings: DatabaseSettings) -> str:
    """The URL to use: DATABASE_URL, or the embedded server (started on demand)."""
    if settings.url:
        return settings.url
    data_dir = settings.embedded_dir or Path(".data/postgres")
    server_url = await anyio.to_thread.run_sync(start_embedded_server, data_dir)
    await ensure_database(server_url, settings.embedded_name)
    return database_url(server_url, settings.embedded_name)


def build_engine(url: str, settings: DatabaseSettings) -> AsyncEngine:
    """An asyncpg engine with a bounded pool that survives server restarts and lets a
    server shut down: connections are recycled after DB_POOL_RECYCLE_SECONDS, closed by
    the server after DB_POOL_IDLE_SECONDS idle, and all pooled ones are closed as soon as
    the server refuses new connections (57P03, a shutdown under way)."""
    server_settings = {
        "statement_timeout": str(settings.statement_timeout_ms),
        "timezone": "UTC",
        "application_name": "internhub",
        # JIT compilation costs more than it saves on our short queries
        # (0.6 s of a 1.4 s analytics query on the large data set).
        "jit": "off",
    }
    if settings.pool_idle_seconds:
        # A smart shutdown (SIGTERM) waits for every session to end: the server itself
        # ends the sessions of connections resting in the pool. The pool notices at the
        # next checkout (the idle ping below) and opens a new one.
        server_settings["idle_session_timeout"] = str(settings.pool_idle_seconds * 1000)
    engine = create_async_engine(
        to_async_url(url),
        pool_size=settings.pool_size,
        max_overflow=settings.max_overflow,
        pool_timeout=settings.pool_timeout,
        pool_recycle=settings.pool_recycle_seconds or -1,
        echo=settings.echo,
        connect_args={"server_settings": server_settings},
    )
    ping_after = IDLE_PING_SECONDS
    if settings.pool_idle_seconds:
        # Checked before the server's idle timeout can have closed it.
        ping_after = min(ping_after, settings.pool_idle_seconds / 2)
    _ping_when_idle(engine, ping_after)
    _dispose_when_refused(engine)
    return engine


IDLE_PING_SECONDS = 5.0
CANNOT_CONNECT_NOW = "57P03"  # the server is shutting down (or starting up)


def _sqlstate(error: BaseException | None) -> str | None:
    """The SQLSTATE of a driver error, also when wrapped (SQLAlchemy's adapted errors
    carry it themselves, asyncpg's on their cause)."""
    seen = 0
    while error is not None and seen < 4:
        code = getattr(error, "sqlstate", None)
        if isinstance(code, str):
            return code
        error = error.__cause__
        seen += 1
    return None


def _dispose_when_refused(engine: AsyncEngine) -> None:
    """Close every pooled connection once the server refuses new ones with 57P03.

    A server in a smart shutdown (SIGTERM) accepts no new connections and waits for the
    existing sessions to end; the pool's connections would keep it waiting, and keep
    answering some requests while others fail (`/ready` flapping). The first refusal
    disposes of the pool (`AsyncEngine.dispose`, scheduled from this synchronous event
    hook): the connections resting in it are closed, the ones in use are closed when
    their requests give them back, and every later request answers 503 until the
    server accepts connections again.
    """
    disposing: set[asyncio.Task[None]] = set()
    # Bumped at each disposal; a connection remembers the generation it was opened in.
    generation = [0]
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "connect")
    def _opened(_: object, record: ConnectionPoolEntry) -> None:
        record.info["generation"] = generation[0]

    @event.listens_for(pool, "checkin")
    def _returned(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        # Listeners move to the pool that replaces a disposed one, and still hear the
        # old pool: a connection of an earlier generation is closed, not kept.
        if dbapi_connection is not None and record.info.get("generation", 0) < generation[0]:
            record.invalidate()

    async def dispose() -> None:
        generation[0] += 1
        await engine.dispose()

    @event.listens_for(engine.sync_engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if _sqlstate(context.original_exception) != CANNOT_CONNECT_NOW or disposing:
            return
        current = engine.sync_engine.pool
        if isinstance(current, QueuePool) and not current.checkedin() + current.checkedout():
            return  # nothing open to close (already disposed: no warning per request)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop: nothing async to schedule
            return
        logger.warning(
            "the database refuses new connections (57P03: shutting down or starting up); "
            "closing the pooled connections"
        )
        task = loop.create_task(dispose())
        disposing.add(task)
        task.add_done_callback(disposing.discard)


def _ping_when_idle(engine: AsyncEngine, ping_after: float) -> None:
    """Check a connection that sat idle in the pool before handing it out again.

    `pool_pre_ping` checks on every checkout, and with asyncpg a ping is three round
    trips (BEGIN, `;`, ROLLBACK): a quarter of a card move's. A connection in steady
    use has just proved itself; one idle for a while may have lost its server
    (restart, failover), so that one is pinged and, when dead, replaced before use.
    A connection that dies in between fails its statement, and SQLAlchemy then
    invalidates the whole pool, as with pre-ping.
    """
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _checked_in(_: object, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: ConnectionPoolEntry, _: object) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < ping_after:
            return
        try:
            # The documented `Dialect.do_ping`, as `pool_pre_ping` uses it.
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool discards it and checks out another
            raise DisconnectionError("connection lost while idle") from exc


def build_sessionmaker(bind: AsyncEngine | AsyncConnection) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(bind=bind, expire_on_commit=False, autoflush=False)


@dataclass
class Database:
    """What the application holds for the database: built in the lifespan, closed at shutdown."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    @classmethod
    def from_url(cls, url: str, settings: DatabaseSettings) -> "Database":
        engine = build_engine(url, settings)
        return cls(engine=engine, sessionmaker=build_sessionmaker(engine))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work outside HTTP (CLI, background jobs): commit or roll back."""
        async with self.sessionmaker() as session:
            try:
                yield session
            except AppError as exc:
                await _finish_failed(session, exc)
                raise
            except BaseException:
                await _roll_back(session)
                raise
            await _commit(session)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


async def run_migrations(engine: AsyncEngine) -> None:
    """`alembic upgrade head` on this engine, serialised across processes by an advisory lock."""
    from alembic import command

    from .migrator import alembic_config

    def upgrade(sync_conn: object) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, "head")

    async with engine.connect() as conn:
        await conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
        try:
            await conn.run_sync(upgrade)
            await conn.commit()
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            await conn.commit()


async def session_dependency(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session: committed when the endpoint returns, before the response
    is sent (the dependency is declared with scope="function"); rolled back on any error."""
    database: Database = request.app.state.database
    async with database.sessionmaker() as session:
        try:
            yield session
        except AppError as exc:
            await asyncio.shield(_finish_failed(session, exc))
            raise
        except BaseException:
            await asyncio.shield(_roll_back(session))
            raise
        await _commit(session)


def on_rollback(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run `callback` if the unit of work does not commit (e.g. remove a stored file)."""
    session.info.setdefault("on_rollback", []).append(callback)


def _run_rollback_callbacks(session: AsyncSession) -> None:
    for callback in session.info.pop("on_rollback", []):
        try:
            callback()
        except Exception:
            logger.exception("rollback clean-up failed")


async def _roll_back(session: AsyncSession) -> None:
    try:
        await session.rollback()
    finally:
        _run_rollback_callbacks(session)


async def _commit(session: AsyncSession) -> None:
    try:
        await session.commit()
    except BaseException:
        _run_rollback_callbacks(session)
        raise
    session.info.pop("on_rollback", None)


async def _finish_failed(session: AsyncSession, error: AppError) -> None:
    """A domain error ends the use case: roll back, unless the error says that what
    was written must stand (audit rows, revocations)."""
    if error.commit_changes:
        await _commit(session)
    else:
        await _roll_back(session)


SessionDep = Annotated[AsyncSession, Depends(session_dependency, scope="function")]
