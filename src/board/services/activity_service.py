"""The activity log: every change to a board or card leaves an event."""

import base64
import binascii
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ...lib.errors import BadRequestError
from ...lib.security.actor import Actor
from ..constants import EventKind
from ..repositories.activity_repository import ActivityRepository
from ..schemas.card_schema import ActivityPage, ActivityRead


def encode_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"e{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("e"):
            raise ValueError
        value = int(raw[1:])
        if value < 1 or value > 2**63 - 1:
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequestError("The cursor is not valid.") from None
    return value


class ActivityService:
    async def record(
        self,
        session: AsyncSession,
        actor: Actor,
        *,
        board_id: int,
        card_id: int | None,
        kind: EventKind,
        **data: Any,
    ) -> None:
        await ActivityRepository(session).record(
            board_id=board_id,
            card_id=card_id,
            actor_id=actor.user_id or None,
            kind=kind.value,
            data=data,
        )

    async def page(
        self,
        session: AsyncSession,
        *,
        board_id: int | None = None,
        card_id: int | None = None,
        cursor: str | None,
        limit: int,
    ) -> ActivityPage:
        events = await ActivityRepository(session).page(
            board_id=board_id, card_id=card_id, before_id=decode_cursor(cursor), limit=limit + 1
        )
        has_more = len(events) > limit
        events = events[:limit]
        return ActivityPage(
            items=[ActivityRead.model_validate(e) for e in events],
            next_cursor=encode_cursor(events[-1].id) if has_more and events else None,
        )


activity_service = ActivityService()
