"""The `users` table: people who sign in to InternHub."""

from sqlalchemy import Boolean, Index, String, func, text
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

    __table_args__ = (
        # Unique ignoring case: «Ivan@Example.com» and «ivan@example.com» are one person.
        Index("uq_users_email_lower", func.lower(email), unique=True),
        Index("uq_users_username_lower", func.lower(username), unique=True),
    )
