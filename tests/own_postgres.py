"""A PostgreSQL server of a test's own (the embedded one, in the test's folder), for tests
that stop and start it; it is stopped when the test ends, passed or failed.

The embedded server stops by itself when the process that started it exits, but only
the server process it started: one restarted with `pg_ctl start` would be left running.
"""

import asyncio
import os
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from src.config.database.embedded import database_url, ensure_database, start_embedded_server

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _pg_ctl(pgdata: Path, *args: str) -> None:
    import pgserver

    user = "pgserver" if os.geteuid() == 0 else None  # as pgserver runs it under root
    pgserver.pg_ctl(list(args), pgdata=pgdata, user=user, timeout=60)  # type: ignore[attr-defined]


@dataclass
class OwnPostgres:
    pgdata: Path
    server_url: str

    @property
    def socket_dir(self) -> str:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.server_url).query)
        return query["host"][0]

    async def database(self, name: str) -> str:
        """The URL of database `name`, created when missing."""
        await ensure_database(self.server_url, name)
        return database_url(self.server_url, name)

    def is_running(self) -> bool:
        try:
            _pg_ctl(self.pgdata, "status")
        except subprocess.CalledProcessError:  # exit code 3: no server running
            return False
        return True

    async def stop(self, mode: str = "fast") -> None:
        """Stop and wait: `smart` waits for every session to end, `fast` ends them."""
        await asyncio.to_thread(_pg_ctl, self.pgdata, "-w", "stop", "-m", mode)

    async def signal_smart_shutdown(self) -> None:
        """SIGTERM to the server, without waiting: it refuses new connections and stops
        once the last session has ended."""
        await asyncio.to_thread(_pg_ctl, self.pgdata, "-W", "stop", "-m", "smart")

    async def start(self) -> None:
        options = f'-h "" -k {self.socket_dir}'
        log = str(self.pgdata / "log")
        try:
            await asyncio.to_thread(_pg_ctl, self.pgdata, "-w", "-o", options, "-l", log, "start")
        except subprocess.CalledProcessError as exc:
            tail = (self.pgdata / "log").read_text(errors="replace")[-2000:]
            raise AssertionError(f"the server did not start:\n{tail}") from exc

    async def wait_stopped(self, seconds: float) -> bool:
        """Whether the server stopped within `seconds`."""
        deadline = asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            gone = not (self.pgdata / "postmaster.pid").exists()
            if gone and not await asyncio.to_thread(self.is_running):
                return True
            await asyncio.sleep(0.2)
        return False


@asynccontextmanager
async def own_postgres() -> AsyncIterator[OwnPostgres]:
    """A server in a fresh folder of its own, stopped at the end whatever happened
    (immediate mode: nothing there needs to be kept), and its folder removed.

    Not under pytest's `tmp_path`: pytest sessions running at the same time (other
    checkouts on this machine) prune each other's old numbered folders, which would
    pull the data directory from under a running server; and a short path keeps the
    socket's name within the 107 bytes Unix allows.
    """
    # pgserver keeps its lock file in the runtime folder: the project's, as for the
    # embedded test server, not the temporary one (removed below).
    os.environ.setdefault("XDG_RUNTIME_DIR", str(PROJECT_ROOT / ".data" / "run"))
    folder = Path(tempfile.mkdtemp(prefix="internhub-pg-"))
    pgdata = folder / "pg"
    try:
        server_url = await asyncio.to_thread(start_embedded_server, pgdata)
        server = OwnPostgres(pgdata=pgdata, server_url=server_url)
        try:
            yield server
        finally:
            if await asyncio.to_thread(server.is_running):
                await asyncio.to_thread(_pg_ctl, pgdata, "-w", "stop", "-m", "immediate")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
