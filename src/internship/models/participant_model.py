"""Who takes part in an internship, in which role, and how it ended."""

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class Participant(BaseModel):
    __tablename__ = "internship_participants"

    internship_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("internships.id", ondelete="RESTRICT")
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), server_default=text("'active'"))
    status_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    status_reason: Mapped[str | None] = mapped_column(Text)
    # Removal archives: tasks, comments and grades stay attributed to the person.
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("internship_id", "user_id"),
        Index("ix_internship_participants_user_id", "user_id"),
        CheckConstraint("role IN ('mentor', 'intern', 'observer')", name="role_known"),
        CheckConstraint("status IN ('active', 'completed', 'dropped')", name="status_known"),
    )
