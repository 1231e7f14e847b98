"""`uv run python -m bench`: build a data set, start InternHub and the baseline as real
processes, drive the scenarios, and write bench/RESULTS.md.

    uv run python -m bench --size large --duration 15
    uv run python -m bench --size small --smoke      # CI: fails on errors, never on timings
    uv run python -m bench --size large --only internship_dashboard,csv_export --database-name scratch
"""

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import platform
import random
import shutil
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from src.config.database.embedded import database_url, start_embedded_server

from .baseline_app import BOARD_SQL, CARDS_SQL, COLUMNS_SQL, LABELS_SQL
from .generate import BENCH_PASSWORD, Dataset, generate
from .import_scenario import trello_import
from .runner import ROOT, Result, Server, drive, start_server
from .sizes import SIZES

SEARCH_WORDS = ["отчёт", "интеграции", "тесты", "документация", "поиск"]


def server_dsn(explicit: str | None) -> str:
    if explicit:
        return explicit
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    return start_embedded_server(ROOT / ".data" / "bench-postgres")


async def fresh_database(server: str, name: str) -> str:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return database_url(server, name)


async def migrate(url: str) -> None:
    from src.config.database.db_config import DatabaseSettings
    from src.config.database.db_helper import build_engine, run_migrations

    engine = build_engine(url, DatabaseSettings(DATABASE_URL=url))
    try:
        await run_migrations(engine)
    finally:
        await engine.dispose()


async def login(base: str, username: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{base}/api/v1/auth/login", json={"login": username, "password": BENCH_PASSWORD}
        ) as response,
    ):
        body = await response.json()
        if response.status != 200:
            raise RuntimeError(f"login {username}: {response.status} {body}")
        return str(body["access_token"])


async def sql_only(url: str, board_id: int, seconds: float) -> float:
    """The board's four statements alone, back to back on one connection: boards/s."""
    conn = await asyncpg.connect(url, server_settings={"jit": "off"})
    try:
        done = 0
        stop = time.monotonic() + seconds
        while time.monotonic() < stop:
            await conn.fetchrow(BOARD_SQL, board_id)
            await conn.fetch(COLUMNS_SQL, board_id)
            await conn.fetch(LABELS_SQL, board_id)
            await conn.fetch(CARDS_SQL, board_id)
            done += 1
        return done / seconds
    finally:
        await conn.close()


async def board_query_count(url: str, board_id: int, username: str) -> int:
    """SQL statements behind one GET /boards/{id}, counted in-process."""
    import httpx
    from sqlalchemy import event

    from src.auth.services.token_service import token_service
    from src.config.database.db_config import DatabaseSettings
    from src.config.database.db_helper import Database
    from src.main import create_app
    from src.user.user_service import user_service

    app = create_app()
    database = Database.from_url(url, DatabaseSettings(DATABASE_URL=url))
    app.state.database = database
    async with database.transaction() as session:
        user = await user_service.find_by_username(session, username)
        assert user is not None
    token = token_service.issue_access_token(user.id).token
    count = 0

    def counter(*_: Any, **__: Any) -> None:
        nonlocal count
        count += 1

    event.listen(database.engine.sync_engine, "before_cursor_execute", counter)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        await client.get(f"/api/v1/boards/{board_id}", headers={"Authorization": f"Bearer {token}"})
        count = 0
        response = await client.get(
            f"/api/v1/boards/{board_id}", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
    await database.dispose()
    return count


async def check_positions(url: str, board_id: int, expected_cards: int) -> str:
    conn = await asyncpg.connect(url)
    try:
        duplicates = await conn.fetchval(
            """SELECT count(*) FROM (SELECT column_id, position FROM cards
                WHERE board_id = $1 AND archived_at IS NULL
                GROUP BY 1, 2 HAVING count(*) > 1) d""",
            board_id,
        )
        cards = await conn.fetchval(
            "SELECT count(*) FROM cards WHERE board_id = $1 AND archived_at IS NULL", board_id
        )
    finally:
        await conn.close()
    return f"{cards} of {expected_cards} cards, {duplicates} duplicate positions"


async def run(args: argparse.Namespace) -> int:
    size = SIZES[args.size]
    (ROOT / ".data").mkdir(exist_ok=True)
    server_url = server_dsn(args.database_url)
    name = args.database_name or f"internhub_bench_{size.name}"
    saved = ROOT / ".data" / f"bench-{name}.json"
    # The app's own folder for uploads (the import scenario): never the app's DATA_DIR,
    # and emptied with its database.
    bench_data_dir = ROOT / ".data" / f"bench-{name}-files"
    data: Dataset | None = None
    if args.reuse and saved.exists():
        url = database_url(server_url, name)
        data = Dataset(**json.loads(saved.read_text()))
        load_seconds = float(data.counts.get("seconds", 0))
        print(f"reusing {name} as loaded earlier: {data.counts}", flush=True)
    if data is None:
        saved.unlink(missing_ok=True)
        shutil.rmtree(bench_data_dir, ignore_errors=True)
        url = await fresh_database(server_url, name)
        print(f"migrating and loading the {size.name} data set…", flush=True)
        await migrate(url)
        started = time.perf_counter()
        data = await generate(url, size)
        load_seconds = time.perf_counter() - started
        saved.write_text(json.dumps(dataclasses.asdict(data)))
        print(f"loaded {data.counts} in {load_seconds:.1f}s", flush=True)

    bench_data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret-key-0123456789-abcdefghijklmnop",
        "LOG_LEVEL": "WARNING",
        "LOGIN_MAX_FAILURES_PER_IP": "1000000",
        "DB_POOL_SIZE": str(args.pool),
        "DB_MAX_OVERFLOW": "5",
        "DATA_DIR": str(bench_data_dir),
    }
    app = await start_server("internhub", "src.main:app", env, workers=args.workers)
    baseline = await start_server("baseline", "bench.baseline_app:app", {"BASELINE_DSN": url})
    results: list[Result] = []
    try:
        tokens = {
            "admin": await login(app.base, data.admin_username),
            "intern": await login(app.base, data.big_board_intern),
        }
        intern_tokens = [
            await login(app.base, f"bench.intern.{n}") for n in range(1, min(size.interns, 40) + 1)
        ]
        results += await scenarios(args, app, baseline, data, tokens, intern_tokens)
        sql_rate = await sql_only(url, data.big_board_id, min(args.duration, 5))
        queries = await board_query_count(url, data.big_board_id, data.big_board_intern)
        positions = await check_positions(url, data.big_board_id, size.big_board_cards)
        # Last: the imported boards change the tables' statistics, and with them the plans
        # of the SQL-only measurement above.
        if not args.scenarios or any(s.startswith("trello_import") for s in args.scenarios):
            cards = 300 if args.smoke else 5000
            print(f"  trello_import_{cards} on internhub…", flush=True)
            results.append(
                await trello_import(
                    app,
                    url,
                    data.big_board_id,
                    tokens["admin"],
                    cards=cards,
                    runs=1 if args.smoke else 3,
                )
            )
    finally:
        app.stop()
        baseline.stop()
    errors = sum(r.errors for r in results)
    write_report(args, size.name, data, load_seconds, results, sql_rate, queries, positions)
    for r in results:
        print(
            f"{r.scenario:<22} {r.target:<9} {r.rps:8.1f} rps  p50 {r.p50:7.1f}  p95 {r.pct(0.95):7.1f}"
            f"  p99 {r.pct(0.99):7.1f} ms  errors {r.errors}  rss {r.peak_worker_rss_mb} MB"
            + (f"  ({', '.join(r.error_samples)})" if r.error_samples else "")
        )
    print(f"SQL statements per board read: {queries}; moves left {positions}")
    if errors or "0 duplicate" not in positions:
        print("FAILED: errors during the benchmark", file=sys.stderr)
        return 1
    return 0


async def scenarios(
    args: argparse.Namespace,
    app: Server,
    baseline: Server,
    data: Dataset,
    tokens: dict[str, str],
    intern_tokens: list[str],
) -> list[Result]:
    conc, duration = args.concurrency, args.duration
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    member = {"Authorization": f"Bearer {tokens['intern']}"}
    board = data.big_board_id
    results: list[Result] = []

    def as_random_intern(rng: random.Random) -> dict[str, str]:
        return {"Authorization": f"Bearer {rng.choice(intern_tokens)}"}

    async def get(session: aiohttp.ClientSession, path: str, headers: dict[str, str]) -> int:
        async with session.get(path, headers=headers) as response:
            await response.read()
            return response.status

    async def login_request(session: aiohttp.ClientSession, rng: random.Random) -> int:
        body = {
            "login": f"bench.intern.{rng.randint(1, len(intern_tokens))}",
            "password": BENCH_PASSWORD,
        }
        async with session.post("/api/v1/auth/login", json=body) as response:
            await response.read()
            return response.status

    async def move(session: aiohttp.ClientSession, rng: random.Random) -> int:
        card = rng.choice(data.card_ids_on_big_board)
        body = {
            "column_id": rng.choice(data.big_board_columns),
            "to": rng.choice(["top", "bottom"]),
            "force": True,
        }
        async with session.post(f"/api/v1/cards/{card}/move", json=body, headers=admin) as response:
            await response.read()
            return response.status

    plan: list[tuple[str, Server, Any, int, tuple[int, ...]]] = [
        ("login", app, login_request, conc, (200,)),
        ("board_1000", baseline, lambda s, r: get(s, f"/boards/{board}", {}), conc, (200,)),
        ("board_1000", app, lambda s, r: get(s, f"/api/v1/boards/{board}", member), conc, (200,)),
        ("card_move_20", app, move, 20, (200,)),
        # The floor under a move: the cheapest authenticated request (session, token
        # check, one read, commit), with as many clients as the movers.
        ("auth_me_20", app, lambda s, r: get(s, "/api/v1/auth/me", admin), 20, (200,)),
        (
            "my_cards",
            app,
            lambda s, r: get(s, "/api/v1/cards/my", as_random_intern(r)),
            conc,
            (200,),
        ),
        (
            "search",
            app,
            lambda s, r: get(
                s, f"/api/v1/cards/search?q={r.choice(SEARCH_WORDS)}", as_random_intern(r)
            ),
            conc,
            (200,),
        ),
        (
            "intern_dashboard",
            app,
            lambda s, r: get(
                s, f"/api/v1/internships/{data.internship_id}/analytics/me", as_random_intern(r)
            ),
            conc,
            (200,),
        ),
        (
            "internship_dashboard",
            app,
            lambda s, r: get(s, f"/api/v1/internships/{data.internship_id}/analytics", admin),
            conc,
            (200,),
        ),
        (
            "csv_export",
            app,
            lambda s, r: get(
                s, f"/api/v1/internships/{data.internship_id}/analytics/export?format=csv", admin
            ),
            conc,
            (200,),
        ),
    ]
    for name, target, request, concurrency, expected in plan:
        if args.scenarios and name not in args.scenarios:
            continue
        print(f"  {name} on {target.name}…", flush=True)
        results.append(
            await drive(
                name, target, request, concurrency=concurrency, duration=duration, expected=expected
            )
        )
    return results


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import psutil

    return {
        "cpu": f"{cpu} × {os.cpu_count()}",
        "memory": f"{psutil.virtual_memory().total / 2**30:.0f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": ", ".join(
            f"{p} {version(p)}"
            for p in ("fastapi", "starlette", "sqlalchemy", "asyncpg", "uvicorn", "pydantic")
        ),
    }


def write_report(
    args: argparse.Namespace,
    size: str,
    data: Dataset,
    load_seconds: float,
    results: list[Result],
    sql_rate: float,
    queries: int,
    positions: str,
) -> None:
    info = machine()
    base = next((r for r in results if r.scenario == "board_1000" and r.target == "baseline"), None)
    ours = next(
        (r for r in results if r.scenario == "board_1000" and r.target == "internhub"), None
    )
    ratio = f"{ours.rps / base.rps:.0%}" if base and ours and base.rps else "n/a"
    lines = [
        "# InternHub benchmark results",
        "",
        f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `uv run python -m bench {' '.join(sys.argv[1:])}`.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        f"- data set `{size}`: {json.dumps(data.counts, ensure_ascii=False)} (loaded with COPY in {load_seconds:.1f} s)",
        f"- InternHub: uvicorn (httptools, uvloop), {args.workers} worker(s), pool {args.pool}; clients: {args.concurrency} concurrent (card moves: 20), {args.duration:g} s per scenario",
        "",
        "## Figures",
        "",
        "| scenario | server | requests | req/s | p50 ms | p95 ms | p99 ms | errors | peak RSS / worker MB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.target} | {r.requests} | {r.rps:.1f} | {r.p50:.1f} | {r.pct(0.95):.1f} | {r.pct(0.99):.1f} | {r.errors} | {r.peak_worker_rss_mb} |"
        )
    lines += [
        "",
        "## The limit",
        "",
        f"- Full board of {SIZES[size].big_board_cards} cards: InternHub {ours.rps:.1f} req/s vs baseline (Starlette + asyncpg, hand-written SQL) {base.rps:.1f} req/s → **{ratio}** of the baseline."
        if base and ours
        else "- board scenario not run",
        f"- The board's SQL alone, one connection, back to back: {sql_rate:.1f} boards/s.",
        f"- SQL statements per `GET /api/v1/boards/{{id}}` (any board size): {queries}.",
        f"- After the concurrent moves: {positions}.",
        "",
    ]
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.output}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pool", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--scenarios", nargs="*", default=None)
    parser.add_argument(
        "--only",
        default=None,
        help="comma-separated scenarios to run (same as --scenarios a b)",
    )
    parser.add_argument(
        "--database-name",
        default=None,
        help="database built for the run (default: internhub_bench_<size>)",
    )
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL server (default: embedded)"
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data set a previous run of the same size and database name loaded"
        " (for profiling; the report's figures come from fresh loads)",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="short run for CI: fails on errors only"
    )
    args = parser.parse_args()
    if args.only:
        args.scenarios = [*(args.scenarios or []), *filter(None, args.only.split(","))]
    if args.smoke:
        args.duration = min(args.duration, 2.0)
        args.output = str(ROOT / ".data" / "bench-smoke.md")
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
