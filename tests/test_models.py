"""Rules every ORM model follows."""

from sqlalchemy import DateTime
from sqlalchemy.orm import configure_mappers

import migrations.base  # noqa: F401  (imports every model module)
from src.lib.models.base_model import Base


def test_every_relationship_raises_on_sql() -> None:
    configure_mappers()
    offenders = [
        f"{mapper.class_.__name__}.{rel.key} (lazy={rel.lazy!r})"
        for mapper in Base.registry.mappers
        for rel in mapper.relationships
        if rel.lazy != "raise_on_sql"
    ]
    assert offenders == []


def test_every_table_has_timestamptz_created_and_updated_at() -> None:
    missing = []
    for table in Base.metadata.sorted_tables:
        for name in ("created_at", "updated_at"):
            column = table.columns.get(name)
            if (
                column is None
                or not isinstance(column.type, DateTime)
                or not column.type.timezone
                or column.nullable
            ):
                missing.append(f"{table.name}.{name}")
    assert missing == []
    assert Base.metadata.sorted_tables, "no models were imported"


def test_constraint_names_follow_the_convention() -> None:
    for table in Base.metadata.sorted_tables:
        assert table.primary_key.name == f"pk_{table.name}"
        for fk in table.foreign_key_constraints:
            assert fk.name is not None
            assert str(fk.name).startswith(f"fk_{table.name}_")


def test_table_views_of_other_contexts_match_the_real_tables() -> None:
    """Lightweight table constructs used for cross-context joins name real columns."""
    from src.internship.repositories.user_table import users_table
    from src.user.internship_tables import participants_table, team_members_table

    for view in (users_table, participants_table, team_members_table):
        real = Base.metadata.tables[view.name]
        for column in view.columns:
            assert column.name in real.columns, f"{view.name}.{column.name}"
