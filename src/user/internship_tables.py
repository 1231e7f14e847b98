"""Column-level views of the internship context's tables, for the visibility query.

Who may see whom depends on shared internships and teams; the user context does not
import the internship context (which builds on it), so the one query that needs
those tables reads them through these lightweight constructs (no mapper, no writes).
`tests/test_models.py` checks that the columns exist in the real tables.
"""

from sqlalchemy import BigInteger, DateTime, String, column, table

participants_table = table(
    "internship_participants",
    column("internship_id", BigInteger),
    column("user_id", BigInteger),
    column("role", String),
    column("archived_at", DateTime(timezone=True)),
)

team_members_table = table(
    "team_members",
    column("team_id", BigInteger),
    column("user_id", BigInteger),
    column("archived_at", DateTime(timezone=True)),
)
