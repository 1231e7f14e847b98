"""Rubrics, requests for review, reviews and grade corrections."""

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class RubricCriterion(BaseModel):
    """A criterion of an internship's rubric: «Качество кода», «Сроки», «Коммуникация»."""

    __tablename__ = "rubric_criteria"

    internship_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("internships.id", ondelete="RESTRICT")
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, server_default=text("''"))
    max_score: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    # {"0": "Не выполнено", ..., "5": "Отлично"}: a label per score.
    score_labels: Mapped[dict[str, str]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_rubric_criteria_internship_id", "internship_id"),
        CheckConstraint("max_score BETWEEN 1 AND 100", name="max_score_range"),
    )


class ReviewRequest(BaseModel):
    """A card submitted for review; one pending request per card."""

    __tablename__ = "review_requests"

    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    internship_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("internships.id", ondelete="RESTRICT")
    )
    team_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("teams.id", ondelete="RESTRICT"))
    submitted_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), server_default=text("'pending'"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index(
            "uq_review_requests_card_id_pending",
            "card_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_review_requests_internship_id_status", "internship_id", "status"),
        CheckConstraint(
            "status IN ('pending', 'accepted', 'returned', 'withdrawn')", name="status_known"
        ),
    )


class Review(BaseModel):
    """A mentor's decision on a request: accepted with a grade, or returned for rework."""

    __tablename__ = "reviews"

    request_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("review_requests.id", ondelete="CASCADE")
    )
    card_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("cards.id", ondelete="CASCADE"))
    internship_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("internships.id", ondelete="RESTRICT")
    )
    team_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("teams.id", ondelete="RESTRICT"))
    reviewer_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    decision: Mapped[str] = mapped_column(String(8))
    grade: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    scores: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    feedback: Mapped[str] = mapped_column(Text, server_default=text("''"))
    # Submitted → reviewed, for mentors' response times.
    response_seconds: Mapped[int] = mapped_column(Integer)
    corrected_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_reviews_card_id", "card_id"),
        Index("ix_reviews_internship_id_created_at", "internship_id", "created_at"),
        CheckConstraint("decision IN ('accept', 'return')", name="decision_known"),
        CheckConstraint("(decision = 'accept') = (grade IS NOT NULL)", name="grade_iff_accepted"),
    )


class GradeCorrection(BaseModel):
    """Every change of a grade after the review, with who and why."""

    __tablename__ = "grade_corrections"

    review_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("reviews.id", ondelete="CASCADE"))
    corrected_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    old_grade: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    new_grade: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    old_scores: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    new_scores: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    reason: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_grade_corrections_review_id", "review_id"),)
