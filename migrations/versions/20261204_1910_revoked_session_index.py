"""auth: partial index on revoked refresh tokens, for the per-request session check

Revision ID: 7c2f9a4e1d36
Revises: 5e1a7c0d2b94
Create Date: 2026-12-04 19:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c2f9a4e1d36"
down_revision: str | None = "5e1a7c0d2b94"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Access tokens carry their sign-in (refresh-token family); each request checks
    # that the family has no revoked token.
    op.create_index(
        "ix_refresh_tokens_revoked_family_id",
        "refresh_tokens",
        ["family_id"],
        postgresql_where=sa.text("revoked_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_refresh_tokens_revoked_family_id", table_name="refresh_tokens")
