"""The cached dashboards: a write is in the next dashboard (the freshness check), the
maximum age bounds what the check cannot see, concurrent misses compute once and wait
holding no pooled connection, and a transaction running during a computation is seen
once it commits."""

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from src.analytics.repositories.metrics_repository import Freshness
from src.analytics.services.dashboard_cache import CachedDashboard, DashboardCache, DashboardKey
from src.config.database.db_config import DatabaseSettings
from src.config.database.db_helper import Database
from src.config.project_config import ProjectSettings
from src.main import create_app
from src.review.models.review_model import Review, ReviewRequest
from tests.analytics.conftest import (
    API,
    COHORT_PERIOD,
    World,
    add_card,
    add_review,
    build_cohort,
    build_world,
    by_user,
    ok,
    utc,
)


async def _dashboard(client: httpx.AsyncClient, world: World, **params: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics",
            params={**COHORT_PERIOD, **params},
            headers=world.h("admin"),
        )
    )
    return body


def _graded(body: dict[str, Any]) -> int:
    return sum(bucket["count"] for bucket in body["grade_distribution"])


# --- the freshness check, in the test's transaction -----------------------------------


async def test_a_card_write_is_in_the_next_internship_dashboard(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World
) -> None:
    before = by_user(cohort, (await _dashboard(client, cohort))["interns"])
    await add_card(
        session,
        cohort,
        title="Ещё одна",
        created_at=utc(3, 11, 9),
        moves=[("done", utc(3, 11, 12))],
        assignees=["intern_a2"],
    )
    after = by_user(cohort, (await _dashboard(client, cohort))["interns"])
    assert after["intern_a2"]["completed"] == before["intern_a2"]["completed"] + 1
    assert after["intern_a2"]["assigned"] == before["intern_a2"]["assigned"] + 1


async def test_a_review_is_in_the_next_internship_dashboard_in_every_order(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World
) -> None:
    first = await _dashboard(client, cohort)
    by_progress = await _dashboard(client, cohort, sort="progress_score", order="desc")
    card = await add_card(session, cohort, title="Оценка", created_at=utc(3, 10, 9))
    await add_review(session, cohort, card, decision="accept", grade="2", at=utc(3, 12, 9))
    assert _graded(await _dashboard(client, cohort)) == _graded(first) + 1
    again = await _dashboard(client, cohort, sort="progress_score", order="desc")
    assert _graded(again) == _graded(by_progress) + 1


async def test_leaving_the_internship_is_in_the_next_dashboard(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World
) -> None:
    assert len((await _dashboard(client, cohort))["interns"]) == 4
    await session.execute(
        text(
            "UPDATE internship_participants SET archived_at = now()"
            " WHERE internship_id = :i AND user_id = :u"
        ),
        {"i": cohort.internship_id, "u": cohort.uid("intern_b2")},
    )
    await session.commit()
    interns = (await _dashboard(client, cohort))["interns"]
    assert cohort.uid("intern_b2") not in [row["user_id"] for row in interns]


async def test_what_the_check_does_not_watch_is_served_for_the_maximum_age_at_most(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World, settings: ProjectSettings
) -> None:
    # A user's new name is not part of the freshness stamp: the maximum age bounds it.
    assert "Волков Пётр" in str(await _dashboard(client, cohort))
    await session.execute(
        text("UPDATE users SET full_name = 'Волков-Лесной Пётр' WHERE id = :u"),
        {"u": cohort.uid("intern_a2")},
    )
    await session.commit()
    assert "Волков-Лесной" not in str(await _dashboard(client, cohort))
    previous = settings.analytics.cache_max_age_seconds
    settings.analytics.cache_max_age_seconds = 0.05
    try:
        await asyncio.sleep(0.1)
        assert "Волков-Лесной Пётр" in str(await _dashboard(client, cohort))
    finally:
        settings.analytics.cache_max_age_seconds = previous


async def test_the_cache_can_be_turned_off(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World, settings: ProjectSettings
) -> None:
    previous = settings.analytics.cache_max_age_seconds
    settings.analytics.cache_max_age_seconds = 0
    try:
        await _dashboard(client, cohort)
        await session.execute(
            text("UPDATE users SET full_name = 'Волков-Лесной Пётр' WHERE id = :u"),
            {"u": cohort.uid("intern_a2")},
        )
        await session.commit()
        assert "Волков-Лесной Пётр" in str(await _dashboard(client, cohort))
    finally:
        settings.analytics.cache_max_age_seconds = previous


async def test_an_interns_cached_dashboard_follows_their_writes(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World
) -> None:
    path = f"{API}/internships/{cohort.internship_id}/analytics/me"
    first = ok(await client.get(path, params=COHORT_PERIOD, headers=cohort.h("intern_a")))
    await add_card(
        session,
        cohort,
        title="Ещё одна",
        created_at=utc(3, 11, 9),
        moves=[("done", utc(3, 11, 12))],
        assignees=["intern_a"],
    )
    again = ok(await client.get(path, params=COHORT_PERIOD, headers=cohort.h("intern_a")))
    assert again["metrics"]["completed"] == first["metrics"]["completed"] + 1


def test_the_cache_forgets_the_least_recently_used_past_its_weight() -> None:
    cache: DashboardCache[str] = DashboardCache(max_weight=10, weigh=len)
    stamp = Freshness(stamp=(), in_flight=())

    def key(n: int) -> DashboardKey:
        return (n, None, dt.date(2026, 3, 2), dt.date(2026, 3, 15))

    for n, body in enumerate(["aaaa", "bbbb", "cccc"]):
        cache.put(
            key(n), CachedDashboard(dashboard=body, freshness=stamp, computed_at=time.monotonic())
        )
        assert cache.get(key(0), max_age=60) is not None  # used: the others go first
    assert [cache.get(key(n), max_age=60) is not None for n in range(3)] == [True, False, True]
    assert cache.get(key(0), max_age=0) is None  # too old


# --- real commits: concurrency and transactions in flight -----------------------------


@pytest.fixture
async def committed_cohort(engine: AsyncEngine, committing_app: Any) -> World:
    """The cohort committed for real; `committing_app` empties the tables afterwards."""
    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as session:
        return await build_cohort(session, await build_world(session))


@pytest.fixture
async def small_pool(
    settings: ProjectSettings, database_url_for_tests: str
) -> AsyncIterator[tuple[httpx.AsyncClient, Database, list[str]]]:
    """The app on a pool of two connections (no overflow, 5 s to get one), its database
    and the SQL it runs."""
    small = DatabaseSettings(
        DATABASE_URL=database_url_for_tests,
        DB_POOL_SIZE=2,
        DB_MAX_OVERFLOW=0,
        DB_POOL_TIMEOUT=5,
    )
    database = Database.from_url(database_url_for_tests, small)
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    application = create_app(settings)
    application.state.database = database
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, database, statements
    finally:
        await database.dispose()


async def test_sixteen_concurrent_misses_compute_once_and_wait_without_a_connection(
    committed_cohort: World,
    small_pool: tuple[httpx.AsyncClient, Database, list[str]],
    engine: AsyncEngine,
) -> None:
    client, database, statements = small_pool
    world = committed_cohort
    async with engine.connect() as blocker:
        # The computation reads the reviews first: it waits here until the lock goes.
        await blocker.execute(text("LOCK TABLE reviews IN ACCESS EXCLUSIVE MODE"))
        requests = [
            asyncio.create_task(
                client.get(
                    f"{API}/internships/{world.internship_id}/analytics",
                    params=COHORT_PERIOD,
                    headers=world.h("admin"),
                )
            )
            for _ in range(16)
        ]
        # Fifteen requests wait for the one computing, and hold no connection doing so:
        # once they have all passed authentication, one connection is left checked out.
        # (Polled rather than slept on: a busy machine may take longer to get there.)
        pool = database.engine.pool
        steady = 0
        for _ in range(400):  # until one connection stays the only one for 0.5 s
            steady = steady + 1 if pool.checkedout() == 1 else 0  # type: ignore[attr-defined]
            if steady == 10:
                break
            await asyncio.sleep(0.05)
        assert pool.checkedout() == 1  # type: ignore[attr-defined]
        await blocker.rollback()
        answers = await asyncio.gather(*requests)
    assert [a.status_code for a in answers] == [200] * 16, answers[0].text
    assert len({a.content for a in answers}) == 1
    assert sum("per_intern AS" in sql for sql in statements) == 1


async def _pending_review(session: AsyncSession, world: World, card_id: int) -> None:
    """An accepted review (grade 2) flushed in `session`'s transaction, not committed."""
    at = utc(3, 12, 9)
    request = ReviewRequest(
        card_id=card_id,
        internship_id=world.internship_id,
        team_id=world.team_ids["a"],
        submitted_by_id=world.uid("intern_a"),
        submitted_at=at - dt.timedelta(hours=1),
        status="accepted",
        closed_at=at,
        created_at=at - dt.timedelta(hours=1),
    )
    session.add(request)
    await session.flush()
    session.add(
        Review(
            request_id=request.id,
            card_id=card_id,
            internship_id=world.internship_id,
            team_id=world.team_ids["a"],
            reviewer_id=world.uid("mentor_a"),
            decision="accept",
            grade=Decimal("2"),
            scores={},
            feedback="",
            response_seconds=3600,
            created_at=at,
        )
    )
    await session.flush()


async def test_a_transaction_running_during_the_computation_is_seen_once_it_commits(
    committed_cohort: World, committing_client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    world = committed_cohort
    sessions = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with sessions() as setup:
        card = await add_card(setup, world, title="Оценки", created_at=utc(3, 10, 9))
    before = _graded(await _dashboard(committing_client, world))
    async with sessions() as slow, sessions() as quick:
        await _pending_review(slow, world, card)  # the lower id, still uncommitted
        await _pending_review(quick, world, card)
        await quick.commit()  # the newest review id is now committed
        computed = await _dashboard(committing_client, world)
        assert _graded(computed) == before + 1
        await slow.commit()  # below the newest id: only the in-flight list can tell
    assert _graded(await _dashboard(committing_client, world)) == before + 2
