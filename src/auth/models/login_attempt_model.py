"""Every login attempt, for audit and for throttling brute force across processes."""

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class LoginAttempt(BaseModel):
    __tablename__ = "login_attempts"

    user_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    login: Mapped[str] = mapped_column(String(255))  # as typed, lower-cased
    ip_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(32))

    __table_args__ = (
        Index("ix_login_attempts_user_id_created_at", "user_id", "created_at"),
        Index("ix_login_attempts_login_created_at", "login", "created_at"),
        Index("ix_login_attempts_ip_address_created_at", "ip_address", "created_at"),
    )
