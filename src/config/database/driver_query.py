"""Statements of the hottest paths, run on the session's own asyncpg connection.

Through `session.execute`, one statement costs about 0.3 ms of CPU in SQLAlchemy
(parameter processing, the compiled cache's key, the cursor adapter, result rows,
greenlet switches) on top of asyncpg's 0.1 ms. Every authenticated request runs one
statement to check its token and a card move six, so on those paths the statement is
built with SQLAlchemy Core as everywhere else, compiled once, and executed by asyncpg
directly, inside the session's transaction. Everything else stays on the session.

Parameters are passed by name, with values asyncpg takes as they are (a JSONB value as
its JSON text: `as_jsonb`); rows come back as asyncpg records. Errors are raised as
`session.execute` raises them (`IntegrityError`, `DBAPIError`…), so the repositories'
constraint checks and the error handlers see one kind of exception. Listeners of
`before_cursor_execute` (statement counters) see these statements too, without cursor
or execution context.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

_DIALECT: Any = PGDialect_asyncpg(dbapi=PGDialect_asyncpg.import_dbapi())  # type: ignore[no-untyped-call]


def mirror_into_loaded(
    session: AsyncSession, model: type[Any], key: Any, values: Mapping[str, Any]
) -> None:
    """A driver statement bypasses the unit of work: an instance of `model` with primary
    key `key` already loaded in the session takes the written `values`, as if read after
    the write (nothing is marked changed, so nothing is written twice)."""
    loaded = session.sync_session.identity_map.get(identity_key(model, key))
    if loaded is not None:
        for field, value in values.items():
            set_committed_value(loaded, field, value)


def as_jsonb(value: Any) -> str:
    """A JSONB parameter as asyncpg takes it on SQLAlchemy's connections."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class DriverQuery:
    """A Core statement compiled once (`$n` parameters), run by asyncpg in the session's
    transaction. Expanding (`IN`) parameters cannot be compiled once: use `= ANY(:array)`."""

    __slots__ = ("defaults", "names", "sql")

    def __init__(self, statement: ClauseElement) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("expanding parameters are compiled per call: use an array")
        self.sql: str = compiled.string
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        # Values the statement binds itself (`version + 1`).
        self.defaults: dict[str, Any] = {
            name: value for name, value in compiled.params.items() if value is not None
        }

    async def fetch(self, session: AsyncSession, params: Mapping[str, Any]) -> list[asyncpg.Record]:
        return cast(list[asyncpg.Record], await self._run(session, params, many=True))

    async def fetchrow(
        self, session: AsyncSession, params: Mapping[str, Any]
    ) -> asyncpg.Record | None:
        return cast(asyncpg.Record | None, await self._run(session, params, many=False))

    async def _run(self, session: AsyncSession, params: Mapping[str, Any], *, many: bool) -> Any:
        args = [params[name] if name in params else self.defaults[name] for name in self.names]
        connection = await session.connection()
        pooled = await connection.get_raw_connection()
        adapted: Any = pooled.dbapi_connection
        observed = connection.sync_connection
        if observed is not None and (observed._has_events or observed.engine._has_events):
            observed.dispatch.before_cursor_execute(observed, None, self.sql, args, None, False)
        if observed is not None and observed.engine.echo:
            observed.engine.logger.info("%s\n[driver] %r", self.sql, tuple(args))
        try:
            # SQLAlchemy begins the transaction on the driver lazily, at the first
            # statement it runs itself; a driver query that comes first begins it alike.
            if adapted._transaction is None:
                await adapted._start_transaction()
            driver: asyncpg.Connection = adapted._connection
            if many:
                return await driver.fetch(self.sql, *args)
            return await driver.fetchrow(self.sql, *args)
        except Exception as error:
            translated = self._translated(error, adapted, args)
            if isinstance(translated, DBAPIError) and translated.connection_invalidated:
                # As SQLAlchemy does on a disconnect: this connection is dropped, and
                # every connection opened before it is replaced at its next checkout
                # (after a server restart they are all dead).
                connection.sync_engine.pool._invalidate(pooled, translated, _checkin=False)
                await connection.invalidate(translated)
            raise translated from error

    def _translated(self, error: Exception, adapted: Any, args: Sequence[Any]) -> Exception:
        """The exception `session.execute` would have raised for `error`."""
        try:
            adapted._handle_exception(error)
        except Exception as dbapi_error:
            translated = dbapi_error
        else:  # pragma: no cover - _handle_exception always raises
            translated = error
        dbapi = _DIALECT.loaded_dbapi
        if not isinstance(translated, dbapi.Error):
            return translated
        return cast(
            Exception,
            DBAPIError.instance(
                self.sql,
                tuple(args),
                translated,
                dbapi.Error,
                connection_invalidated=_DIALECT.is_disconnect(translated, adapted, None),
                dialect=_DIALECT,
            ),
        )
