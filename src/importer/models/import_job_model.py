"""Import jobs: one uploaded export, imported into a new board in the background."""

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ...lib.models.base_model import BaseModel


class ImportJob(BaseModel):
    __tablename__ = "import_jobs"

    project_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("projects.id", ondelete="RESTRICT")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="SET NULL")
    )
    # The board the import created, once it succeeded.
    board_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("boards.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    # The stored upload under DATA_DIR/imports, kept until the job succeeds (for retries).
    storage_name: Mapped[str | None] = mapped_column(String(64))
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=sql_text("'{}'::jsonb"))
    progress: Mapped[int] = mapped_column(Integer, server_default=sql_text("0"))
    stage: Mapped[str] = mapped_column(String(40), server_default=sql_text("''"))
    report: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(String(2000))
    attempts: Mapped[int] = mapped_column(Integer, server_default=sql_text("0"))
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("ix_import_jobs_project_id", "project_id"),
        Index(
            "ix_import_jobs_unfinished",
            "status",
            postgresql_where=sql_text("status IN ('queued', 'running')"),
        ),
        CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')", name="status_known"
        ),
        CheckConstraint("source IN ('trello', 'internhub')", name="source_known"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
    )
