"""Access tokens revoked before they expire (logout)."""

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class RevokedAccessToken(BaseModel):
    __tablename__ = "revoked_access_tokens"

    jti: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_revoked_access_tokens_expires_at", "expires_at"),)
