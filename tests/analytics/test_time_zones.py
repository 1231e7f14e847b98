"""Periods are days in the internship's time zone (Europe/Moscow, UTC+3).

Four cards of Сидорова Анна, all created on 1 March, each done at the edge of a day:
  T4 Sunday   01.03 23:30 MSK = 01.03 20:30 UTC — before the week of 2 March;
  T3 Monday   02.03 00:30 MSK = 01.03 21:30 UTC — the first half hour of that week;
  T1 Sunday   08.03 23:30 MSK = 08.03 20:30 UTC — the last half hour of that week;
  T2 Monday   09.03 00:30 MSK = 08.03 21:30 UTC — already the next week, though in UTC
                                                   it is still the 8th.
"""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import (
    API,
    World,
    add_card,
    add_event,
    msk,
    ok,
    utc,
)


async def _edges(session: AsyncSession, world: World) -> None:
    for title, done in (
        ("T1", msk(3, 8, 23, 30)),
        ("T2", msk(3, 9, 0, 30)),
        ("T3", msk(3, 2, 0, 30)),
        ("T4", msk(3, 1, 23, 30)),
    ):
        await add_card(
            session, world, title=title, created_at=utc(3, 1, 10), moves=[("done", done)]
        )


def test_the_edges_are_what_the_scenario_says() -> None:
    assert msk(3, 8, 23, 30) == utc(3, 8, 20, 30)
    assert msk(3, 9, 0, 30) == utc(3, 8, 21, 30)
    assert msk(3, 2, 0, 30) == utc(3, 1, 21, 30)
    assert msk(3, 1, 23, 30) == utc(3, 1, 20, 30)


async def _completed(client: httpx.AsyncClient, world: World, date_from: str, date_to: str) -> int:
    body = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics/interns/{world.uid('intern_a')}",
            params={"date_from": date_from, "date_to": date_to},
            headers=world.h("intern_a"),
        )
    )
    return int(body["metrics"]["completed"])


async def test_card_done_at_2330_moscow_on_the_last_day_counts_in_the_period(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _edges(session, world)
    # 2–8 March (Moscow) is 01.03 21:00 UTC .. 08.03 21:00 UTC: T3 and T1.
    assert await _completed(client, world, "2026-03-02", "2026-03-08") == 2
    # The last day alone: only T1 (23:30 MSK), not T2 (00:30 MSK the next day).
    assert await _completed(client, world, "2026-03-08", "2026-03-08") == 1


async def test_card_done_at_0030_moscow_of_the_next_day_counts_in_the_next_period(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _edges(session, world)
    assert await _completed(client, world, "2026-03-09", "2026-03-15") == 1  # T2
    assert await _completed(client, world, "2026-03-09", "2026-03-09") == 1
    # 1 March (Moscow) holds T4 only: T3 is 21:30 UTC on the 1st but 00:30 MSK on the 2nd.
    assert await _completed(client, world, "2026-03-01", "2026-03-01") == 1


async def test_same_history_in_a_utc_internship_splits_differently(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    ok(
        await client.patch(
            f"{API}/internships/{world.internship_id}",
            json={"timezone": "UTC"},
            headers=world.h("admin"),
        )
    )
    await _edges(session, world)
    # In UTC, 2–8 March holds T1 and T2 (20:30 and 21:30 on the 8th), not T3 (the 1st).
    assert await _completed(client, world, "2026-03-02", "2026-03-08") == 2
    assert await _completed(client, world, "2026-03-08", "2026-03-08") == 2
    assert await _completed(client, world, "2026-03-01", "2026-03-01") == 2  # T3, T4


async def test_weekly_throughput_buckets_by_moscow_monday(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _edges(session, world)
    # A comment in the second week (Tuesday 10.03 12:00 MSK).
    await add_event(
        session,
        world,
        card_id=None,
        kind="comment_added",
        at=msk(3, 10, 12),
        who="intern_a",
    )
    body = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics/interns/{world.uid('intern_a')}",
            params={"date_from": "2026-03-02", "date_to": "2026-03-15"},
            headers=world.h("mentor_a"),
        )
    )
    # Events: each card's move to done (the creations on 1 March are outside the period).
    assert body["weekly"] == [
        {"week": "2026-03-02", "completed": 2, "events": 2, "comments": 0},
        {"week": "2026-03-09", "completed": 1, "events": 2, "comments": 1},
    ]


async def test_weekly_points_start_on_the_monday_of_the_first_day(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _edges(session, world)
    # Wednesday 4 March .. Tuesday 10 March: two weeks, from Monday the 2nd; T1 counts in
    # the first, T2 in the second; T3 (2 March) is before the period.
    body = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics/interns/{world.uid('intern_a')}",
            params={"date_from": "2026-03-04", "date_to": "2026-03-10"},
            headers=world.h("mentor_a"),
        )
    )
    assert [(w["week"], w["completed"]) for w in body["weekly"]] == [
        ("2026-03-02", 1),
        ("2026-03-09", 1),
    ]


async def test_team_weekly_throughput_buckets_by_moscow_monday(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _edges(session, world)
    body = ok(
        await client.get(
            f"{API}/teams/{world.team_ids['a']}/analytics",
            params={"date_from": "2026-03-02", "date_to": "2026-03-15"},
            headers=world.h("mentor_a"),
        )
    )
    assert body["weekly"] == [
        {"week": "2026-03-02", "completed": 2, "events": 0, "comments": 0},
        {"week": "2026-03-09", "completed": 1, "events": 0, "comments": 0},
    ]
    assert body["metrics"]["completed"] == 3


@pytest.mark.parametrize(
    ("timezone", "expected"),
    [
        # 8 March 2026 is the day DST starts in Los Angeles (a 23-hour day, UTC−7 from
        # 02:00): 20:30 and 21:30 UTC are 13:30 and 14:30 there, both on the 8th.
        ("America/Los_Angeles", 2),
        # Vladivostok is UTC+10: 20:30 UTC on the 8th is already 06:30 on the 9th.
        ("Asia/Vladivostok", 0),
    ],
)
async def test_the_last_day_follows_the_internship_time_zone(
    client: httpx.AsyncClient, session: AsyncSession, world: World, timezone: str, expected: int
) -> None:
    ok(
        await client.patch(
            f"{API}/internships/{world.internship_id}",
            json={"timezone": timezone},
            headers=world.h("admin"),
        )
    )
    await _edges(session, world)
    assert await _completed(client, world, "2026-03-08", "2026-03-08") == expected
