"""The Trello import scenario: upload a generated export of N cards, follow the job.

Each run uploads the same export (with `allow_copy`) into the big board's project and
polls `GET /api/v1/imports/{id}` until the job ends; the latency is upload → succeeded.
"""

import asyncio
import time

import aiohttp
import asyncpg
import orjson

from .runner import Result, Server
from .trello_export import build_export


async def trello_import(
    server: Server, dsn: str, board_id: int, token: str, *, cards: int, runs: int
) -> Result:
    conn = await asyncpg.connect(dsn)
    try:
        project_id = await conn.fetchval("SELECT project_id FROM boards WHERE id = $1", board_id)
    finally:
        await conn.close()
    body = orjson.dumps(build_export(cards=cards, lists=6, members=8, seed=11, closed_lists=1))
    result = Result(
        scenario=f"trello_import_{cards}",
        target=server.name,
        concurrency=1,
        seconds=0.0,
        note=f"{len(body) / 1e6:.1f} MB export",
    )
    headers = {"Authorization": f"Bearer {token}"}
    peak = [0, 0]

    async def sample_memory() -> None:
        while True:
            peak[0] = max(peak[0], server.rss_bytes())
            peak[1] = max(peak[1], server.worker_rss_bytes())
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample_memory())
    began_all = time.perf_counter()
    timeout = aiohttp.ClientTimeout(total=600)
    try:
        async with aiohttp.ClientSession(base_url=server.base, timeout=timeout) as session:
            for _ in range(runs):
                began = time.perf_counter()
                form = aiohttp.FormData()
                form.add_field(
                    "file", body, filename="trello.json", content_type="application/json"
                )
                form.add_field("allow_copy", "true")
                async with session.post(
                    f"/api/v1/projects/{project_id}/imports/trello", data=form, headers=headers
                ) as response:
                    job = await response.json()
                    if response.status != 202:
                        result.errors += 1
                        result.error_samples.append(f"{response.status} {job}"[:200])
                        continue
                status = job["status"]
                while status in ("queued", "running"):
                    await asyncio.sleep(0.1)
                    async with session.get(f"/api/v1/imports/{job['id']}", headers=headers) as r:
                        job = await r.json()
                        status = job["status"]
                result.latencies_ms.append((time.perf_counter() - began) * 1000)
                if status != "succeeded":
                    result.errors += 1
                    result.error_samples.append(str(job.get("error"))[:200])
    finally:
        sampler.cancel()
    result.seconds = time.perf_counter() - began_all
    result.peak_rss_mb = round(peak[0] / 2**20, 1)
    result.peak_worker_rss_mb = round(peak[1] / 2**20, 1)
    return result
