"""The embedded PostgreSQL (pgserver): started when no DATABASE_URL is configured.

The server runs from the `pgserver` wheel in a data folder of ours and listens
on a Unix socket only. It is stopped when the process that started it exits.
"""

import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any

import asyncpg

logger = logging.getLogger(__name__)

_servers: dict[Path, Any] = {}


def start_embedded_server(data_dir: Path) -> str:
    """Start (or attach to) the embedded server in `data_dir`; return its libpq URL.

    Blocking (initdb on first use takes a few seconds); call it from a thread in async code.
    """
    data_dir = data_dir.expanduser().resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # pgserver asks platformdirs for a runtime dir at import; give it one quietly when unset.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    logging.getLogger("pgserver").setLevel(logging.WARNING)

    import pgserver  # heavy import, only when the embedded server is wanted

    _forget_dead_handles(data_dir)

    server = _servers.get(data_dir)
    if server is None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            server = pgserver.get_server(data_dir, cleanup_mode="stop")  # type: ignore[attr-defined]
        _servers[data_dir] = server
        logger.info("embedded PostgreSQL running in %s", data_dir)
    return str(server.get_uri())


def _forget_dead_handles(data_dir: Path) -> None:
    """pgserver stops the server when its last user process exits, counting users in a
    pid file; a process that was killed leaves its pid behind and the server would
    never stop. Drop pids of processes that no longer exist."""
    import psutil

    handles = data_dir / ".handle_pids.json"
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        return
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def database_url(server_url: str, database: str) -> str:
    """Replace the database part of a pgserver URL (`postgresql://postgres:@/postgres?host=...`)."""
    head, _, tail = server_url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{database}" + (f"?{tail}" if tail else "")


async def ensure_database(server_url: str, database: str) -> None:
    """Create `database` on the server unless it exists."""
    conn = await asyncpg.connect(server_url)
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
        if not exists:
            quoted = '"' + database.replace('"', '""') + '"'
            await conn.execute(f"CREATE DATABASE {quoted}")
    finally:
        await conn.close()
