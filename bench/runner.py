"""Starts servers as real processes and drives them over HTTP with concurrent clients."""

import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    base: str

    def rss_bytes(self) -> int:
        """Resident memory of the server and its workers."""
        try:
            root = psutil.Process(self.process.pid)
            procs = [root, *root.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs if p.is_running())
        except psutil.Error:
            return 0

    def worker_rss_bytes(self) -> int:
        """The largest single process (a worker) — the goal is per worker."""
        try:
            root = psutil.Process(self.process.pid)
            procs = [root, *root.children(recursive=True)]
            return max(p.memory_info().rss for p in procs if p.is_running())
        except (psutil.Error, ValueError):
            return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


async def start_server(name: str, app: str, env: dict[str, str], *, workers: int = 1) -> Server:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--http",
        "httptools",
        "--loop",
        "uvloop",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    log = open(ROOT / ".data" / f"bench-{name}.log", "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    server = Server(name=name, process=process, base=f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited; see .data/bench-{name}.log")
            try:
                async with client.get(
                    f"{server.base}/health" if name != "baseline" else f"{server.base}/boards/0"
                ) as response:
                    if response.status in (200, 404):
                        return server
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} did not start")


Request = Callable[[aiohttp.ClientSession, random.Random], Awaitable[int]]


@dataclass
class Result:
    scenario: str
    target: str
    concurrency: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    peak_worker_rss_mb: float = 0.0
    note: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else 0.0


async def drive(
    scenario: str,
    server: Server,
    request: Request,
    *,
    concurrency: int,
    duration: float,
    expected: tuple[int, ...] = (200,),
    max_requests: int | None = None,
    seed: int = 7,
) -> Result:
    """`concurrency` clients send requests back to back for `duration` seconds."""
    result = Result(scenario=scenario, target=server.name, concurrency=concurrency, seconds=0.0)
    stop_at = time.monotonic() + duration
    sent = 0
    peak = [0, 0]

    async def sample_memory() -> None:
        while True:
            peak[0] = max(peak[0], server.rss_bytes())
            peak[1] = max(peak[1], server.worker_rss_bytes())
            await asyncio.sleep(0.2)

    async def client(index: int, session: aiohttp.ClientSession) -> None:
        nonlocal sent
        rng = random.Random(seed * 1000 + index)
        while time.monotonic() < stop_at and (max_requests is None or sent < max_requests):
            sent += 1
            began = time.perf_counter()
            try:
                status = await request(session, rng)
            except (TimeoutError, aiohttp.ClientError) as exc:
                status = -1
                if len(result.error_samples) < 5:
                    result.error_samples.append(type(exc).__name__)
            result.latencies_ms.append((time.perf_counter() - began) * 1000)
            if status not in expected:
                result.errors += 1
                if len(result.error_samples) < 5:
                    result.error_samples.append(str(status))

    memory = asyncio.create_task(sample_memory())
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    began = time.perf_counter()
    async with aiohttp.ClientSession(
        base_url=server.base, connector=connector, timeout=timeout
    ) as session:
        await asyncio.gather(*(client(i, session) for i in range(concurrency)))
    result.seconds = time.perf_counter() - began
    memory.cancel()
    result.peak_rss_mb = round(peak[0] / 2**20, 1)
    result.peak_worker_rss_mb = round(peak[1] / 2**20, 1)
    return result
