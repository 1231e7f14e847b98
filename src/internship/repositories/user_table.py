"""A read-only, column-level view of the user context's `users` table.

Lists of participants are filtered by name and e-mail and paginated in SQL, which
needs a join; contexts do not import each other's models, so the join goes through
this lightweight table construct (no mapper, no writes). The user context owns the
table; `tests/test_models.py` checks these columns exist there.
"""

from sqlalchemy import BigInteger, Boolean, DateTime, String, column, table

users_table = table(
    "users",
    column("id", BigInteger),
    column("email", String),
    column("username", String),
    column("full_name", String),
    column("is_active", Boolean),
    column("is_admin", Boolean),
    column("created_at", DateTime(timezone=True)),
)
