"""The activity log: append, and read newest first with a cursor."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import BigInteger, String, Table, bindparam, insert, select
from sqlalchemy.dialects.postgresql import JSONB

from ...lib.repository import RepositoryBase
from ..models.activity_model import ActivityEvent

# Built once, as a Core statement on the table: every change of a board writes one.
_RECORD = insert(cast(Table, ActivityEvent.__table__)).values(
    board_id=bindparam("board_id", type_=BigInteger),
    card_id=bindparam("card_id", type_=BigInteger),
    actor_id=bindparam("actor_id", type_=BigInteger),
    kind=bindparam("kind", type_=String),
    data=bindparam("data", type_=JSONB),
)


class ActivityRepository(RepositoryBase[ActivityEvent]):
    model = ActivityEvent

    async def record(
        self, *, board_id: int, card_id: int | None, actor_id: int | None, kind: str, data: Any
    ) -> None:
        """One event of a change happening now, written at once."""
        await self.session.execute(
            _RECORD,
            {
                "board_id": board_id,
                "card_id": card_id,
                "actor_id": actor_id,
                "kind": kind,
                "data": data,
            },
        )

    async def add_past(
        self,
        *,
        board_id: int,
        card_id: int | None,
        actor_id: int | None,
        kind: str,
        data: dict[str, Any],
        at: dt.datetime | None = None,
    ) -> None:
        event = ActivityEvent(
            board_id=board_id, card_id=card_id, actor_id=actor_id, kind=kind, data=data
        )
        # History loaded from elsewhere (demo data, imports): written with the unit of
        # work, many events in one statement.
        if at is not None:
            event.created_at = at
        self.session.add(event)

    async def page(
        self,
        *,
        board_id: int | None = None,
        card_id: int | None = None,
        before_id: int | None,
        limit: int,
    ) -> Sequence[ActivityEvent]:
        stmt = select(ActivityEvent)
        if board_id is not None:
            stmt = stmt.where(ActivityEvent.board_id == board_id)
        if card_id is not None:
            stmt = stmt.where(ActivityEvent.card_id == card_id)
        if before_id is not None:
            stmt = stmt.where(ActivityEvent.id < before_id)
        return await self.get_all(stmt.order_by(ActivityEvent.id.desc()).limit(limit))
