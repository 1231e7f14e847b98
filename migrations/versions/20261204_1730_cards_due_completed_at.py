"""cards: due_completed_at, when the card's due date was marked complete

A card whose due date was met (Trello's `dueComplete`) is not overdue, even outside a
"done" column.

Revision ID: f4a3ff5ff71e
Revises: e953c4e8c531
Create Date: 2026-12-04 17:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4a3ff5ff71e"
down_revision: str | None = "e953c4e8c531"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cards", sa.Column("due_completed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("cards", "due_completed_at")
