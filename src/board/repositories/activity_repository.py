"""The activity log: append, and read newest first with a cursor."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.activity_model import ActivityEvent


class ActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
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
        if at is not None:  # history loaded from elsewhere (demo data, imports)
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
        rows = await self.session.execute(stmt.order_by(ActivityEvent.id.desc()).limit(limit))
        return rows.scalars().all()
