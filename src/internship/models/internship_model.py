"""Internships (cohorts, «потоки»)."""

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Date, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class Internship(BaseModel):
    __tablename__ = "internships"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, server_default=text("''"))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), server_default=text("'Europe/Moscow'"))
    status: Mapped[str] = mapped_column(String(16), server_default=text("'draft'"))
    grading_scale: Mapped[str] = mapped_column(String(8), server_default=text("'2-5'"))
    # Progress-score weights and at-risk thresholds (schemas.AnalyticsConfig); {} = defaults.
    analytics_config: Mapped[dict[str, Any]] = mapped_column(
        JSONB, server_default=text("'{}'::jsonb")
    )

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint(
            "status IN ('draft', 'active', 'finished', 'archived')", name="status_known"
        ),
        CheckConstraint("grading_scale IN ('2-5', '1-5', '0-100')", name="grading_scale_known"),
    )
