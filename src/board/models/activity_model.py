"""The append-only activity log of boards and cards."""

from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class ActivityEvent(BaseModel):
    __tablename__ = "activity_events"

    board_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("boards.id", ondelete="CASCADE"))
    card_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("cards.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)

    __table_args__ = (
        Index("ix_activity_events_card_id_id", "card_id", "id"),
        Index("ix_activity_events_board_id_id", "board_id", "id"),
        Index("ix_activity_events_kind_created_at", "kind", "created_at"),
        Index("ix_activity_events_actor_id_created_at", "actor_id", "created_at"),
    )
