"""What hangs off a card: checklists, comments, mentions, attachments."""

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel

COMMENT_SEARCH_EXPRESSION = (
    "to_tsvector('russian', coalesce(body, '')) || to_tsvector('english', coalesce(body, ''))"
)


class Checklist(BaseModel):
    __tablename__ = "checklists"

    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(255, collation="C"))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    external_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_checklists_card_id", "card_id"),)


class ChecklistItem(BaseModel):
    __tablename__ = "checklist_items"

    checklist_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("checklists.id", ondelete="CASCADE")
    )
    # Copied from the checklist: counts per card without a join, and a guard that an
    # item is addressed through its own card.
    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(1000))
    position: Mapped[str] = mapped_column(String(255, collation="C"))
    is_done: Mapped[bool] = mapped_column(Boolean, server_default=sql_text("false"))
    done_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    assignee_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_checklist_items_checklist_id", "checklist_id"),
        Index("ix_checklist_items_card_id", "card_id"),
    )


class Comment(BaseModel):
    __tablename__ = "comments"

    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    # For imported comments whose author is no InternHub user (a former Trello member).
    author_name: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(64))
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed(COMMENT_SEARCH_EXPRESSION, persisted=True), deferred=True
    )

    __table_args__ = (
        Index("ix_comments_card_id", "card_id"),
        Index("ix_comments_search_vector", "search_vector", postgresql_using="gin"),
        # Per-user rate limit: the author's comments of the last minute.
        Index("ix_comments_author_id_created_at", "author_id", "created_at"),
    )


class Mention(BaseModel):
    """An @username in a comment, kept for the notifications to come."""

    __tablename__ = "mentions"

    comment_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("comments.id", ondelete="CASCADE")
    )
    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))

    __table_args__ = (
        UniqueConstraint("comment_id", "user_id"),
        Index("ix_mentions_user_id", "user_id"),
    )


class Attachment(BaseModel):
    __tablename__ = "attachments"

    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    # Files: stored under a generated name; the uploaded name is metadata only.
    filename: Mapped[str | None] = mapped_column(String(255))
    storage_name: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(BigInteger)
    # Links: never fetched by the server.
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_attachments_card_id", "card_id"),
        # Per-user rate limit: the uploader's attachments of the last minute.
        Index("ix_attachments_uploaded_by_id_created_at", "uploaded_by_id", "created_at"),
    )
