"""The generic repository every concrete one builds on (as Polar's `kit/repository/base.py`).

A repository takes the unit of work's session in its constructor, flushes when the
caller needs ids or constraint checks, and never commits. The base holds what every
table shares: lookups by id, running a statement built by the concrete repository,
pagination, adding, archiving; a concrete repository keeps only its own finders.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped
from sqlalchemy.orm.interfaces import ORMOption

from .clock import utcnow

type Options = Sequence[ORMOption]


class HasId(Protocol):
    id: Mapped[int]


class Archivable(HasId, Protocol):
    archived_at: Mapped[dt.datetime | None]


class QueryRepository:
    """A query repository (seed 000): statements over several tables for one use case."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session


class RepositoryBase[M: HasId](QueryRepository):
    """Queries on one model (`model`, set by the concrete repository)."""

    model: type[M]

    # --- reading ----------------------------------------------------------------------

    async def get_by_id(
        self, id: int, *, for_update: bool = False, options: Options = ()
    ) -> M | None:
        """The row with this id (from the session when it holds it). `for_update` locks
        the model's row only (not the rows `options` join) and reads it afresh."""
        return await self.session.get(
            self.model,
            id,
            options=options,
            with_for_update={"of": self.model} if for_update else None,
            populate_existing=for_update,
        )

    async def get_one_or_none(self, statement: Select[M]) -> M | None:
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def get_all(self, statement: Select[M]) -> Sequence[M]:
        return (await self.session.execute(statement)).scalars().all()

    async def count(self, statement: Select[Any]) -> int:
        """How many rows `statement` returns."""
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        return int((await self.session.execute(counted)).scalar_one())

    async def paginate(
        self, statement: Select[M], *, limit: int, offset: int
    ) -> tuple[Sequence[M], int]:
        """One page of `statement` (ordered by the caller) and the number of all its rows."""
        total = await self.count(statement)
        return await self.get_all(statement.limit(limit).offset(offset)), total

    # --- writing ----------------------------------------------------------------------

    async def add(self, obj: M) -> M:
        """Add and flush: the object has its id and defaults afterwards."""
        self.session.add(obj)
        await self.session.flush()
        return obj

    async def add_all(self, objs: Iterable[M]) -> None:
        self.session.add_all(list(objs))
        await self.session.flush()

    async def save(self, obj: M) -> M:
        """Flush the changes made to `obj` (constraint violations surface here)."""
        await self.session.flush()
        return obj

    async def update(self, obj: M, **values: object) -> M:
        """Set `values` on `obj` and flush."""
        for key, value in values.items():
            setattr(obj, key, value)
        return await self.save(obj)

    async def flush(self) -> None:
        await self.session.flush()

    async def delete(self, obj: M) -> None:
        await self.session.delete(obj)
        await self.session.flush()

    async def refresh_if_loaded(self, id: int) -> None:
        """After a Core statement wrote the row: the session's copy, if it holds one, is
        read again (a use case that loaded it earlier must see the write)."""
        loaded = self.session.identity_map.get(self.session.identity_key(self.model, id))
        if loaded is not None:
            await self.session.refresh(loaded)


class ArchivableRepositoryBase[M: Archivable](RepositoryBase[M]):
    """A model archived instead of deleted (`archived_at`)."""

    async def archive(self, obj: M, *, at: dt.datetime | None = None) -> M:
        """Archived now (or `at`); an archived object keeps its first archiving time."""
        if obj.archived_at is None:
            obj.archived_at = at or utcnow()
            await self.session.flush()
        return obj

    async def restore(self, obj: M) -> M:
        if obj.archived_at is not None:
            # mypy reads a protocol's Mapped[...] member without its descriptor's setter.
            obj.archived_at = None  # type: ignore[assignment]
            await self.session.flush()
        return obj
