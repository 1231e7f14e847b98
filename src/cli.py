"""`internhub` command line: serve, migrate, create-admin, seed-demo, import-trello,
import-board, prune-imports."""

import asyncio
import json
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer

from .config.database.db_helper import Database, resolve_database_url, run_migrations
from .config.project_config import get_settings
from .logging_config import configure_logging
from .wiring import wire

cli = typer.Typer(
    name="internhub",
    help="InternHub: task tracker and internship management platform.",
    no_args_is_help=True,
    add_completion=False,
)


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _database_url() -> str:
    """DATABASE_URL, or the embedded server started by (and stopped with) this process."""
    settings = get_settings()
    url = asyncio.run(resolve_database_url(settings.database))
    if not settings.database.url:
        # Worker and reloader processes inherit it and use the server this process owns.
        os.environ["DATABASE_URL"] = url
    return url


async def _with_database[T](url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    database = Database.from_url(url, get_settings().database)
    try:
        await run_migrations(database.engine)
        return await work(database)
    finally:
        await database.dispose()


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Run the web application (migrations are applied before it accepts requests)."""
    import uvicorn

    configure_logging(get_settings().log_level)
    _database_url()
    # uvicorn re-raises SIGTERM after its graceful shutdown; turn it into a normal exit
    # so that atexit handlers run and the embedded PostgreSQL is stopped with us.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    typer.echo(f"InternHub on http://{host}:{port} (API docs: http://{host}:{port}/docs)")
    uvicorn.run(
        "src.main:app",
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        proxy_headers=True,
        log_config=None,
    )


@cli.command()
def migrate() -> None:
    """Apply the database migrations (alembic upgrade head)."""
    configure_logging(get_settings().log_level)
    url = _database_url()

    async def noop(_: Database) -> None:
        return None

    asyncio.run(_with_database(url, noop))
    typer.echo("Database schema is up to date.")


@cli.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    username: Annotated[str, typer.Option(prompt=True)],
    full_name: Annotated[str, typer.Option(prompt="Full name")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create an organiser (platform administrator) account."""
    from pydantic import ValidationError

    from .lib.errors import AppError
    from .user.user_schema import UserCreate
    from .user.user_service import user_service

    configure_logging(get_settings().log_level)
    try:
        data = UserCreate(email=email, username=username, full_name=full_name, password=password)
    except ValidationError as exc:
        for err in exc.errors():
            typer.echo(f"{'.'.join(map(str, err['loc']))}: {err['msg']}", err=True)
        raise typer.Exit(code=2) from None
    url = _database_url()

    async def work(database: Database) -> int:
        async with database.transaction() as session:
            user = await user_service.register(session, data, is_admin=True)
            return user.id

    try:
        user_id = asyncio.run(_with_database(url, work))
    except AppError as exc:
        typer.echo(f"Error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"Administrator {data.username} created (id {user_id}).")


@cli.command("seed-demo")
def seed_demo() -> None:
    """Load a realistic demo data set (Russian names); safe to run twice."""
    from .demo.demo_service import demo_service

    configure_logging(get_settings().log_level)
    url = _database_url()

    async def work(database: Database) -> list[tuple[str, str, str]]:
        async with database.transaction() as session:
            return await demo_service.seed(session)

    logins = asyncio.run(_with_database(url, work))
    typer.echo("Demo data loaded. Logins (local use only):")
    for role, username, password in logins:
        typer.echo(f"  {role:<10} {username:<24} {password}")


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        key, sep, target = value.rpartition("=")
        if not sep or not key.strip() or not target.strip():
            typer.echo(f"Error: {option} takes KEY=VALUE, got {value!r}", err=True)
            raise typer.Exit(code=2)
        pairs[key.strip()] = target.strip()
    return pairs


def _import_command(
    source: str,
    path: Path,
    project: int,
    as_user: str | None,
    allow_copy: bool,
    member_map: list[str],
    column_kind: list[str],
) -> None:
    from pydantic import ValidationError

    from .importer.constants import ImportSource
    from .importer.exceptions import DuplicateImportError
    from .importer.schemas.import_schema import ImportOptions
    from .importer.services.board_import_service import board_import_service
    from .lib.errors import AppError
    from .lib.security.actor import Actor
    from .user.user_service import user_service

    configure_logging(get_settings().log_level)
    if path.is_dir():
        typer.echo(f"Error: {path} is a directory, not an export file.", err=True)
        raise typer.Exit(code=2)
    if not path.is_file():
        typer.echo(f"Error: no such file: {path}", err=True)
        raise typer.Exit(code=2)
    try:
        options = ImportOptions(
            allow_copy=allow_copy,
            member_map=_pairs(member_map, "--member-map"),
            column_kinds=_pairs(column_kind, "--column-kind"),
        )
    except ValidationError as exc:
        for err in exc.errors():
            typer.echo(f"{'.'.join(map(str, err['loc']))}: {err['msg']}", err=True)
        raise typer.Exit(code=2) from None
    url = _database_url()

    async def work(database: Database) -> dict[str, object]:
        actor = Actor.system()
        if as_user:
            async with database.transaction() as session:
                user = await user_service.find_by_username(session, as_user)
            if user is None or not user.is_active:
                raise typer.BadParameter(f"no active user {as_user!r}", param_hint="--as")
            actor = Actor(user_id=user.id, is_admin=user.is_admin)
        job = await board_import_service.import_file(
            database, actor, project, path, source=ImportSource(source), options=options
        )
        return job.model_dump(mode="json")

    try:
        job = asyncio.run(_with_database(url, work))
    except DuplicateImportError as exc:  # the API's message names its form field
        typer.echo(
            f"Error: this export was imported into project {project} before, as board "
            f"{exc.board_id}; add --allow-copy to import it again as a copy.",
            err=True,
        )
        raise typer.Exit(code=1) from None
    except AppError as exc:
        typer.echo(f"Error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(json.dumps(job, ensure_ascii=False, indent=2))
    if job["status"] != "succeeded":
        raise typer.Exit(code=1)


_AS = typer.Option("--as", help="Act as this user (default: the platform itself).")
_COPY = typer.Option("--allow-copy", help="Import even if imported into the project before.")
_MAP = typer.Option("--member-map", help="TRELLO_MEMBER=internhub_username (repeatable).")
_KIND = typer.Option("--column-kind", help="LIST_NAME_OR_ID=done (repeatable).")


@cli.command("import-trello")
def import_trello(
    file: Annotated[Path, typer.Argument(help="Trello board export (JSON).")],
    project: Annotated[int, typer.Option("--project", help="Project to import into.")],
    as_user: Annotated[str | None, _AS] = None,
    allow_copy: Annotated[bool, _COPY] = False,
    member_map: Annotated[list[str] | None, _MAP] = None,
    column_kind: Annotated[list[str] | None, _KIND] = None,
) -> None:
    """Import a Trello board export into a project as a new board; prints the report."""
    _import_command(
        "trello", file, project, as_user, allow_copy, member_map or [], column_kind or []
    )


@cli.command("import-board")
def import_board(
    file: Annotated[Path, typer.Argument(help="A board exported by InternHub (JSON).")],
    project: Annotated[int, typer.Option("--project", help="Project to import into.")],
    as_user: Annotated[str | None, _AS] = None,
    allow_copy: Annotated[bool, _COPY] = False,
    member_map: Annotated[list[str] | None, _MAP] = None,
) -> None:
    """Import a board exported by InternHub into a project; prints the report."""
    _import_command("internhub", file, project, as_user, allow_copy, member_map or [], [])


@cli.command("prune-imports")
def prune_imports(
    days: Annotated[
        int | None,
        typer.Option(
            "--days",
            min=0,
            help="Keep failed imports' files this many days "
            "(default: IMPORT_FAILED_RETENTION_DAYS).",
        ),
    ] = None,
    orphans: Annotated[
        bool,
        typer.Option(
            "--orphans",
            help="Also remove files that no import of this database points to. Only when "
            "DATA_DIR belongs to this database alone.",
        ),
    ] = False,
) -> None:
    """Remove uploaded export files no import will use again; prints what was removed."""
    import datetime as dt

    from .importer.services.board_import_service import board_import_service

    configure_logging(get_settings().log_level)
    url = _database_url()
    retention = None if days is None else dt.timedelta(days=days)

    async def work(database: Database) -> dict[str, object]:
        report = await board_import_service.prune_uploads(
            database, retention=retention, orphans=orphans
        )
        return {
            "expired_job_ids": report.expired_job_ids,
            "orphan_files": report.orphan_files,
            "partial_files": report.partial_files,
        }

    typer.echo(json.dumps(asyncio.run(_with_database(url, work)), indent=2))


def main() -> None:
    wire()
    cli()


if __name__ == "__main__":
    main()
