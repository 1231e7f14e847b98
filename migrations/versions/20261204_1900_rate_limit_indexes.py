"""rate limits: indexes to count a user's recent comments and attachments

Revision ID: 5e1a7c0d2b94
Revises: f4a3ff5ff71e
Create Date: 2026-12-04 19:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e1a7c0d2b94"
down_revision: str | None = "f4a3ff5ff71e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Each comment and each attachment first counts its writer's rows of the last
    # minute (src/lib/rate_limit.py): an index range scan instead of a table scan.
    op.create_index("ix_comments_author_id_created_at", "comments", ["author_id", "created_at"])
    op.create_index(
        "ix_attachments_uploaded_by_id_created_at",
        "attachments",
        ["uploaded_by_id", "created_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_attachments_uploaded_by_id_created_at", table_name="attachments")
    op.drop_index("ix_comments_author_id_created_at", table_name="comments")
