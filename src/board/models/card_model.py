"""Cards (tasks) with their assignees and labels."""

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel

# Russian and English stemming: «задачи» finds «задача», "tests" finds "test".
CARD_SEARCH_EXPRESSION = (
    "setweight(to_tsvector('russian', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('russian', coalesce(description, '')), 'B') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'B')"
)


class Card(BaseModel):
    __tablename__ = "cards"

    board_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("boards.id", ondelete="CASCADE"))
    column_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("board_columns.id", ondelete="CASCADE")
    )
    position: Mapped[str] = mapped_column(String(255, collation="C"))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, server_default=text("''"))
    priority: Mapped[str] = mapped_column(String(16), server_default=text("'medium'"))
    start_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    estimate: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    created_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # When the due date was marked as met (Trello's `dueComplete`): such a card is not
    # overdue, wherever it stands.
    due_completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Kept with every move so analytics need not replay the log for each card: when the
    # card first entered an in-progress column (cycle time), and its current column.
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    moved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    # Trello's card id for imported cards.
    external_id: Mapped[str | None] = mapped_column(String(64))
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed(CARD_SEARCH_EXPRESSION, persisted=True), deferred=True
    )

    __table_args__ = (
        # One total order per column: two live cards never share a position.
        Index(
            "uq_cards_column_id_position_live",
            "column_id",
            "position",
            unique=True,
            postgresql_where=text("archived_at IS NULL"),
        ),
        Index("ix_cards_board_id", "board_id"),
        Index("ix_cards_due_at_open", "due_at", postgresql_where=text("completed_at IS NULL")),
        Index("ix_cards_search_vector", "search_vector", postgresql_using="gin"),
        CheckConstraint("priority IN ('low', 'medium', 'high', 'critical')", name="priority_known"),
        CheckConstraint(
            "due_at IS NULL OR start_at IS NULL OR due_at >= start_at", name="dates_ordered"
        ),
        CheckConstraint("estimate IS NULL OR estimate >= 0", name="estimate_not_negative"),
    )


class CardAssignee(BaseModel):
    __tablename__ = "card_assignees"

    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))

    __table_args__ = (
        UniqueConstraint("card_id", "user_id"),
        Index("ix_card_assignees_user_id", "user_id"),
    )


class CardLabel(BaseModel):
    __tablename__ = "card_labels"

    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    label_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("labels.id", ondelete="CASCADE"))

    __table_args__ = (
        UniqueConstraint("card_id", "label_id"),
        Index("ix_card_labels_label_id", "label_id"),
    )
