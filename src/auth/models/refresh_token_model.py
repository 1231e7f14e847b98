"""Refresh tokens: opaque, stored as SHA-256 hashes, rotated in families."""

import datetime as dt
import uuid

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Uuid
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class RefreshToken(BaseModel):
    __tablename__ = "refresh_tokens"

    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    # All tokens descending from one login share a family; reuse of a rotated token
    # revokes the whole family.
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_refresh_tokens_user_id", "user_id"),
        Index("ix_refresh_tokens_family_id", "family_id"),
        # Every authenticated request asks whether its sign-in (family) was revoked: a
        # probe into the few revoked rows, not a walk over a long-lived family's tokens.
        Index(
            "ix_refresh_tokens_revoked_family_id",
            "family_id",
            postgresql_where=sql_text("revoked_at IS NOT NULL"),
        ),
    )
