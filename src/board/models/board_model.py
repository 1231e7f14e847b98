"""Boards and their columns (lists)."""

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class Board(BaseModel):
    __tablename__ = "boards"

    project_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("projects.id", ondelete="RESTRICT")
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, server_default=text("''"))
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    created_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Where an imported board came from ("trello:<board id>"), so that a second import
    # of the same export is noticed.
    external_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_boards_project_id", "project_id"),
        Index(
            "ix_boards_external_id",
            "external_id",
            postgresql_where=text("external_id IS NOT NULL"),
        ),
    )


class BoardColumn(BaseModel):
    __tablename__ = "board_columns"

    board_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("boards.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    # Fractional index key, compared bytewise (collation "C").
    position: Mapped[str] = mapped_column(String(255, collation="C"))
    kind: Mapped[str] = mapped_column(String(16))
    wip_limit: Mapped[int | None] = mapped_column()
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_board_columns_board_id_position", "board_id", "position"),
        CheckConstraint(
            "kind IN ('backlog', 'todo', 'in_progress', 'review', 'done')", name="kind_known"
        ),
        CheckConstraint("wip_limit IS NULL OR wip_limit >= 1", name="wip_limit_positive"),
    )


class Label(BaseModel):
    __tablename__ = "labels"

    board_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("boards.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    color: Mapped[str | None] = mapped_column(String(16))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_labels_board_id", "board_id"),)
