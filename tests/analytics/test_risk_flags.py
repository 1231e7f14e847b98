"""At-risk flags, each with its reason, and their thresholds set per internship.

These metrics are about now: every timestamp is built relative to one `now` read at the
start of the test. Defaults: inactive > 5 days, ≥ 3 open overdue cards, a card without
movement for > 7 days outside the backlog and done, average grade < 3.5 (scale 2–5),
rework rate > 0.5.
"""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import (
    API,
    World,
    add_card,
    add_review,
    by_user,
    live_period,
    ok,
)

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


async def _interns(
    client: httpx.AsyncClient, world: World, now: dt.datetime
) -> dict[str, dict[str, Any]]:
    body = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics",
            params=live_period(now),
            headers=world.h("admin"),
        )
    )
    return by_user(world, body["interns"])


async def _flags(
    client: httpx.AsyncClient, world: World, now: dt.datetime
) -> dict[str, list[dict[str, str]]]:
    return {key: row["flags"] for key, row in (await _interns(client, world, now)).items()}


async def _risk(client: httpx.AsyncClient, world: World, **risk: Any) -> None:
    ok(
        await client.patch(
            f"{API}/internships/{world.internship_id}",
            json={"analytics_config": {"risk": risk}},
            headers=world.h("admin"),
        )
    )


async def _done_card(
    session: AsyncSession,
    world: World,
    who: str,
    at: dt.datetime,
    *,
    team: str = "a",
    title: str = "Задача",
) -> int:
    """Created an hour before `at`, done at `at` (both by `who`)."""
    return await add_card(
        session,
        world,
        title=title,
        created_at=at - HOUR,
        moves=[("done", at)],
        team=team,
        assignees=[who],
    )


# --- inactive ---------------------------------------------------------------------------


async def test_inactive_flag_after_more_than_five_days_without_events(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _done_card(session, live_world, "intern_a", now - 8 * DAY)
    await _done_card(session, live_world, "intern_a2", now - 4 * DAY)
    await _done_card(session, live_world, "intern_b", now - 10 * HOUR, team="b")
    rows = await _interns(client, live_world, now)
    assert rows["intern_a"]["flags"] == [
        {"code": "inactive", "reason": "Нет активности 8 дн. (порог — 5 дн.)"}
    ]
    assert dt.datetime.fromisoformat(rows["intern_a"]["last_activity_at"]) == now - 8 * DAY
    assert rows["intern_a2"]["flags"] == []
    assert rows["intern_b"]["flags"] == []
    # No event at all.
    assert rows["intern_b2"]["flags"] == [
        {"code": "inactive", "reason": "Нет активности ни разу (порог — 5 дн.)"}
    ]
    assert rows["intern_b2"]["last_activity_at"] is None


async def test_inactive_threshold_is_configurable(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _done_card(session, live_world, "intern_a", now - 8 * DAY)
    await _done_card(session, live_world, "intern_a2", now - 4 * DAY)
    await _risk(client, live_world, inactive_days=10)
    flags = await _flags(client, live_world, now)
    assert flags["intern_a"] == []
    assert flags["intern_b2"] == [
        {"code": "inactive", "reason": "Нет активности ни разу (порог — 10 дн.)"}
    ]
    await _risk(client, live_world, inactive_days=3)
    flags = await _flags(client, live_world, now)
    assert flags["intern_a2"] == [
        {"code": "inactive", "reason": "Нет активности 4 дн. (порог — 3 дн.)"}
    ]


async def test_only_the_interns_own_events_count_as_activity(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    # Her card was created 8 days ago; the mentor moved it yesterday: she is inactive.
    await add_card(
        session,
        live_world,
        title="Чужие руки",
        created_at=now - 8 * DAY,
        moves=[("in_progress", now - DAY, "mentor_a")],
    )
    flags = await _flags(client, live_world, now)
    assert flags["intern_a"] == [
        {"code": "inactive", "reason": "Нет активности 8 дн. (порог — 5 дн.)"}
    ]


# --- overdue ----------------------------------------------------------------------------


async def _open_card(
    session: AsyncSession,
    world: World,
    who: str,
    *,
    created: dt.datetime,
    due: dt.datetime | None,
    column: str = "todo",
    team: str = "a",
) -> int:
    return await add_card(
        session,
        world,
        title="Открытая задача",
        created_at=created,
        column=column,
        team=team,
        assignees=[who],
        due_at=due,
    )


async def test_overdue_flag_at_three_open_overdue_cards(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    for _ in range(3):
        await _open_card(session, live_world, "intern_a", created=now - DAY, due=now - 2 * HOUR)
    # Петр: two open overdue, one done after its due date, one due tomorrow.
    for _ in range(2):
        await _open_card(session, live_world, "intern_a2", created=now - DAY, due=now - HOUR)
    await add_card(
        session,
        live_world,
        title="Сдано поздно",
        created_at=now - 3 * DAY,
        moves=[("done", now - DAY)],
        assignees=["intern_a2"],
        due_at=now - 2 * DAY,
    )
    await _open_card(session, live_world, "intern_a2", created=now - DAY, due=now + DAY)
    rows = await _interns(client, live_world, now)
    assert rows["intern_a"]["open_overdue"] == 3
    assert rows["intern_a"]["flags"] == [
        {"code": "overdue", "reason": "Просрочено открытых задач: 3 (порог — 3)"}
    ]
    assert rows["intern_a2"]["open_overdue"] == 2
    assert rows["intern_a2"]["flags"] == []


async def test_overdue_threshold_is_configurable(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    for _ in range(2):
        await _open_card(session, live_world, "intern_a2", created=now - DAY, due=now - HOUR)
    await _risk(client, live_world, overdue_cards=2)
    flags = await _flags(client, live_world, now)
    assert flags["intern_a2"] == [
        {"code": "overdue", "reason": "Просрочено открытых задач: 2 (порог — 2)"}
    ]


# --- stuck ------------------------------------------------------------------------------


async def _stuck_scenario(session: AsyncSession, world: World, now: dt.datetime) -> None:
    """Anna: todo untouched for 11 days, in progress for 10, in review for 8 (stuck by
    default); in progress for 6 days, backlog for 20 days, done 15 days ago (never
    stuck); and a fresh backlog card an hour ago, so she is not inactive."""
    await _open_card(session, world, "intern_a", created=now - 11 * DAY, due=None)
    await add_card(
        session,
        world,
        title="В работе давно",
        created_at=now - 12 * DAY,
        moves=[("in_progress", now - 10 * DAY)],
    )
    await add_card(
        session,
        world,
        title="На проверке давно",
        created_at=now - 12 * DAY,
        moves=[("in_progress", now - 11 * DAY), ("review", now - 8 * DAY)],
    )
    await add_card(
        session,
        world,
        title="В работе недавно",
        created_at=now - 12 * DAY,
        moves=[("in_progress", now - 6 * DAY)],
    )
    await _open_card(session, world, "intern_a", created=now - 20 * DAY, due=None, column="backlog")
    await _done_card(session, world, "intern_a", now - 15 * DAY)
    await _open_card(session, world, "intern_a", created=now - HOUR, due=None, column="backlog")


async def test_stuck_flag_counts_cards_without_movement_outside_backlog_and_done(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _stuck_scenario(session, live_world, now)
    rows = await _interns(client, live_world, now)
    assert rows["intern_a"]["stuck_cards"] == 3
    assert rows["intern_a"]["flags"] == [
        {"code": "stuck", "reason": "Задач без движения дольше 7 дн.: 3"}
    ]


async def test_stuck_threshold_is_configurable(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _stuck_scenario(session, live_world, now)
    await _risk(client, live_world, stuck_days=9)
    rows = await _interns(client, live_world, now)
    assert rows["intern_a"]["stuck_cards"] == 2
    assert rows["intern_a"]["flags"] == [
        {"code": "stuck", "reason": "Задач без движения дольше 9 дн.: 2"}
    ]
    await _risk(client, live_world, stuck_days=12)
    rows = await _interns(client, live_world, now)
    assert rows["intern_a"]["stuck_cards"] == 0
    assert rows["intern_a"]["flags"] == []


# --- low grade --------------------------------------------------------------------------


async def _graded(
    session: AsyncSession,
    world: World,
    who: str,
    grades: list[str],
    now: dt.datetime,
    *,
    team: str = "a",
) -> None:
    mentor = "mentor_a" if team == "a" else "mentor_b"
    for n, grade in enumerate(grades, start=1):
        at = now - n * DAY
        card = await _done_card(session, world, who, at, team=team)
        await add_review(
            session,
            world,
            card,
            decision="accept",
            grade=grade,
            at=at,
            team=team,
            reviewer=mentor,
            submitted_by=who,
        )


async def test_low_grade_flag_below_three_and_a_half_on_the_five_point_scale(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _graded(session, live_world, "intern_a", ["3", "3.5"], now)
    await _graded(session, live_world, "intern_a2", ["3.5", "3.5"], now)
    await _graded(session, live_world, "intern_b", ["3"], now, team="b")
    rows = await _interns(client, live_world, now)
    assert rows["intern_a"]["average_grade"] == 3.25
    assert rows["intern_a"]["flags"] == [
        {"code": "low_grade", "reason": "Средняя оценка 3.25 ниже 3.5"}
    ]
    assert rows["intern_a2"]["flags"] == []  # exactly 3.5 is not below
    assert rows["intern_b"]["flags"] == [
        {"code": "low_grade", "reason": "Средняя оценка 3.0 ниже 3.5"}
    ]


async def test_low_grade_threshold_is_configurable(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _graded(session, live_world, "intern_a", ["3", "3.5"], now)
    await _graded(session, live_world, "intern_b", ["3"], now, team="b")
    await _risk(client, live_world, min_grade="3.2")
    flags = await _flags(client, live_world, now)
    assert flags["intern_a"] == []
    assert flags["intern_b"] == [{"code": "low_grade", "reason": "Средняя оценка 3.0 ниже 3.2"}]


async def test_low_grade_default_follows_the_grading_scale(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    # On the 1–5 scale the default threshold is 3: 3.25 is fine, 2.5 is not.
    ok(
        await client.patch(
            f"{API}/internships/{live_world.internship_id}",
            json={"grading_scale": "1-5"},
            headers=live_world.h("admin"),
        )
    )
    await _graded(session, live_world, "intern_a", ["3", "3.5"], now)
    await _graded(session, live_world, "intern_b", ["2", "3"], now, team="b")
    flags = await _flags(client, live_world, now)
    assert flags["intern_a"] == []
    assert flags["intern_b"] == [{"code": "low_grade", "reason": "Средняя оценка 2.5 ниже 3"}]


# --- rework -----------------------------------------------------------------------------


async def _reworked(
    session: AsyncSession, world: World, who: str, decisions: list[str], now: dt.datetime
) -> None:
    """One card done yesterday; its reviews in order over the last days."""
    card = await _done_card(session, world, who, now - DAY)
    for n, decision in enumerate(decisions):
        await add_review(
            session,
            world,
            card,
            decision=decision,
            grade="5" if decision == "accept" else None,
            at=now - (len(decisions) - n + 1) * DAY,
            submitted_by=who,
        )


async def test_rework_flag_above_half_of_the_reviews_returned(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _reworked(session, live_world, "intern_a", ["return", "return", "accept"], now)
    await _reworked(session, live_world, "intern_a2", ["return", "accept"], now)
    rows = await _interns(client, live_world, now)
    assert rows["intern_a"]["rework_rate"] == 0.6667
    assert rows["intern_a"]["flags"] == [
        {"code": "rework", "reason": "Доля возвратов на доработку 67% выше 50%"}
    ]
    assert rows["intern_a2"]["rework_rate"] == 0.5
    assert rows["intern_a2"]["flags"] == []  # exactly half is not above


async def test_rework_threshold_is_configurable(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    await _reworked(session, live_world, "intern_a", ["return", "return", "accept"], now)
    await _reworked(session, live_world, "intern_a2", ["return", "accept"], now)
    await _risk(client, live_world, max_rework_rate=0.4)
    flags = await _flags(client, live_world, now)
    assert flags["intern_a2"] == [
        {"code": "rework", "reason": "Доля возвратов на доработку 50% выше 40%"}
    ]
    await _risk(client, live_world, max_rework_rate=0.7)
    flags = await _flags(client, live_world, now)
    assert flags["intern_a"] == []
    assert flags["intern_a2"] == []


# --- together ---------------------------------------------------------------------------


async def test_several_flags_come_in_a_fixed_order(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    # Everything at once, all of it older than a week.
    for _ in range(3):
        await _open_card(session, live_world, "intern_a", created=now - 9 * DAY, due=now - 8 * DAY)
    card = await _done_card(session, live_world, "intern_a", now - 9 * DAY)
    await add_review(session, live_world, card, decision="return", at=now - 10 * DAY)
    await add_review(session, live_world, card, decision="accept", grade="2", at=now - 9 * DAY)
    await add_review(session, live_world, card, decision="return", at=now - 8 * DAY)
    flags = await _flags(client, live_world, now)
    assert flags["intern_a"] == [
        {"code": "inactive", "reason": "Нет активности 9 дн. (порог — 5 дн.)"},
        {"code": "overdue", "reason": "Просрочено открытых задач: 3 (порог — 3)"},
        {"code": "stuck", "reason": "Задач без движения дольше 7 дн.: 3"},
        {"code": "low_grade", "reason": "Средняя оценка 2.0 ниже 3.5"},
        {"code": "rework", "reason": "Доля возвратов на доработку 67% выше 50%"},
    ]


@pytest.mark.parametrize(
    "risk",
    [
        {"inactive_days": 0},
        {"overdue_cards": 0},
        {"stuck_days": 91},
        {"max_rework_rate": 1.5},
        {"min_grade": "-1"},
        {"unknown": 1},
    ],
)
async def test_thresholds_out_of_range_are_refused(
    client: httpx.AsyncClient, world: World, risk: dict[str, Any]
) -> None:
    response = await client.patch(
        f"{API}/internships/{world.internship_id}",
        json={"analytics_config": {"risk": risk}},
        headers=world.h("admin"),
    )
    assert response.status_code == 422, response.text
