"""Teams inside an internship, and who mentors or belongs to them."""

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
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class Team(BaseModel):
    __tablename__ = "teams"

    internship_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("internships.id", ondelete="RESTRICT")
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, server_default=text("''"))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_teams_internship_id", "internship_id"),
        # Names are unique among the live teams of an internship, ignoring case.
        Index(
            "uq_teams_internship_id_name_live",
            "internship_id",
            func.lower(text("name")),
            unique=True,
            postgresql_where=text("archived_at IS NULL"),
        ),
    )


class TeamMember(BaseModel):
    __tablename__ = "team_members"

    team_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("teams.id", ondelete="RESTRICT"))
    # Copied from the team so that "one team per intern per internship" is a unique index.
    internship_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("internships.id", ondelete="RESTRICT")
    )
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(16))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        Index("ix_team_members_user_id", "user_id"),
        Index(
            "uq_team_members_one_team_per_intern",
            "internship_id",
            "user_id",
            unique=True,
            postgresql_where=text("role = 'member' AND archived_at IS NULL"),
        ),
        CheckConstraint("role IN ('mentor', 'member')", name="role_known"),
    )
