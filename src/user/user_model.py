"""The `users` table: people who sign in to InternHub."""

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from ..lib.models.base_model import BaseModel


class User(BaseModel):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(255))
    username: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(200), server_default=text("''"))
    hashed_password: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    is_admin: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # Tokens issued before this moment are refused: set by a password change or
    # reset and by deactivation.
    tokens_valid_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    deactivated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # A person known only from an import (a Trello member who matched nobody): keeps
    # assignments and authorship, cannot sign in, and can be merged into a real account.
    is_placeholder: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # Where a placeholder came from, e.g. "trello:5f1a…", so a later import reuses it.
    external_id: Mapped[str | None] = mapped_column(String(64))
    merged_into_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )

    __table_args__ = (
        # Unique ignoring case: «Ivan@Example.com» and «ivan@example.com» are one person.
        Index("uq_users_email_lower", func.lower(email), unique=True),
        Index("uq_users_username_lower", func.lower(username), unique=True),
        Index(
            "uq_users_external_id",
            external_id,
            unique=True,
            postgresql_where=text("external_id IS NOT NULL"),
        ),
    )
