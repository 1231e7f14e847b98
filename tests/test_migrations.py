"""Migrations: upgrade on an empty database, no drift from the models, down and up again."""

import re
from collections.abc import Callable

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from src.config.database.migrator import MIGRATIONS_DIR, alembic_config


def test_upgrade_check_downgrade_upgrade(make_database: Callable[[str], str]) -> None:
    url = make_database("internhub_migrations")
    cfg = alembic_config(url)
    command.upgrade(cfg, "head")
    try:
        command.check(cfg)  # raises when models and migrations differ
    except CommandError as exc:  # pragma: no cover - the message is the diagnosis
        raise AssertionError(f"models and migrations differ: {exc}") from exc
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    command.check(cfg)


def test_one_head_and_dated_file_names() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        stem = path.stem
        assert re.fullmatch(r"\d{8}_\d{4}_[a-z0-9_]+", stem), stem
