"""The `internhub` command line, run as the user runs it (a real process)."""

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest

from src.demo.demo_data import INTERNS, MENTORS

INTERNHUB = str(Path(sys.executable).parent / "internhub")

pytestmark = pytest.mark.slow


def run_cli(
    *args: str, url: str, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TEST_DATABASE_URL"}}
    env["DATABASE_URL"] = url
    return subprocess.run(
        [INTERNHUB, *args],
        env=env,
        capture_output=True,
        text=True,
        input=input_text,
        timeout=120,
        check=False,
    )


def fetch(url: str, query: str) -> list[asyncpg.Record]:
    async def go() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(url)
        try:
            return list(await conn.fetch(query))
        finally:
            await conn.close()

    return asyncio.run(go())


@pytest.fixture
def cli_db(make_database: Callable[[str], str]) -> str:
    return make_database("internhub_cli")


def test_migrate_builds_the_schema(cli_db: str) -> None:
    result = run_cli("migrate", url=cli_db)
    assert result.returncode == 0, result.stderr
    tables = {r["tablename"] for r in fetch(cli_db, "SELECT tablename FROM pg_tables")}
    assert {"users", "alembic_version"} <= tables


def test_create_admin_with_flags_hashes_the_password(cli_db: str) -> None:
    args = ("create-admin", "--email", "Olga@Example.com", "--username", "olga")
    args += ("--full-name", "Ольга Миронова", "--password", "very-secret-pass")
    result = run_cli(*args, url=cli_db)
    assert result.returncode == 0, result.stderr
    assert "olga" in result.stdout
    assert "very-secret-pass" not in result.stdout + result.stderr
    rows = fetch(cli_db, "SELECT email, is_admin, hashed_password, full_name FROM users")
    assert len(rows) == 1
    assert rows[0]["email"] == "olga@example.com"
    assert rows[0]["is_admin"] is True
    assert rows[0]["full_name"] == "Ольга Миронова"
    assert rows[0]["hashed_password"].startswith("$argon2id$")

    again = run_cli(*args, url=cli_db)
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_create_admin_prompts_for_missing_values(cli_db: str) -> None:
    answers = "admin@example.com\nadmin\nГлавный Организатор\nlong-password-1\nlong-password-1\n"
    result = run_cli("create-admin", url=cli_db, input_text=answers)
    assert result.returncode == 0, result.stderr
    rows = fetch(cli_db, "SELECT username, is_admin FROM users")
    assert [(r["username"], r["is_admin"]) for r in rows] == [("admin", True)]


def test_create_admin_refuses_a_guessable_password(cli_db: str) -> None:
    args = ("create-admin", "--email", "olga@example.com", "--username", "olga")
    for password in ("Aa1!Aa1!", "olga@example.com!"):
        result = run_cli(*args, "--full-name", "Ольга", "--password", password, url=cli_db)
        assert result.returncode == 1
        assert "too easy to guess" in result.stderr
    assert fetch(cli_db, "SELECT count(*) AS n FROM users")[0]["n"] == 0


def test_create_admin_rejects_bad_input(cli_db: str) -> None:
    args = ("create-admin", "--email", "not-an-email", "--username", "x")
    result = run_cli(*args, "--full-name", "X", "--password", "short", url=cli_db)
    assert result.returncode == 2
    assert "email" in result.stderr
    assert "password" in result.stderr


def test_seed_demo_is_idempotent_and_prints_logins(cli_db: str) -> None:
    first = run_cli("seed-demo", url=cli_db)
    assert first.returncode == 0, first.stderr
    assert "organizer" in first.stdout
    second = run_cli("seed-demo", url=cli_db)
    assert second.returncode == 0, second.stderr
    count = fetch(cli_db, "SELECT count(*) AS n FROM users")[0]["n"]
    assert count == 1 + len(MENTORS) + 1 + len(INTERNS)
    names = {r["full_name"] for r in fetch(cli_db, "SELECT full_name FROM users")}
    assert "Иван Петров" in names
    # One internship: 3 mentors, an observer, 24 interns in 4 teams, a project per team.
    assert fetch(cli_db, "SELECT count(*) AS n FROM internships")[0]["n"] == 1
    roles = fetch(
        cli_db,
        "SELECT role, count(*) AS n FROM internship_participants GROUP BY role ORDER BY role",
    )
    assert {r["role"]: r["n"] for r in roles} == {"intern": 24, "mentor": 3, "observer": 1}
    teams = fetch(
        cli_db,
        "SELECT t.name, count(m.id) FILTER (WHERE m.role = 'member') AS interns "
        "FROM teams t JOIN team_members m ON m.team_id = t.id GROUP BY t.name ORDER BY t.name",
    )
    assert [(r["name"], r["interns"]) for r in teams] == [
        ("Атлас", 6),
        ("Вектор", 6),
        ("Гранит", 6),
        ("Дельта", 6),
    ]
    assert fetch(cli_db, "SELECT count(*) AS n FROM projects")[0]["n"] == 4
