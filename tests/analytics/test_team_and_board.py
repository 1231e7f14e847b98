"""The team view, and a board's cumulative flow and burndown rebuilt from the activity log.

Days are Moscow days: a day ends at 00:00 MSK = 21:00 UTC of the same date.
"""

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import (
    API,
    COHORT_PERIOD,
    World,
    add_card,
    add_event,
    metrics_of,
    msk,
    ok,
    utc,
)

# --- team view (the cohort of `build_cohort`) -------------------------------------------


async def test_team_metrics_cover_every_card_of_the_team(
    client: httpx.AsyncClient, cohort: World
) -> None:
    body = ok(
        await client.get(
            f"{API}/teams/{cohort.team_ids['a']}/analytics",
            params=COHORT_PERIOD,
            headers=cohort.h("mentor_a"),
        )
    )
    assert body["metrics"]["team_id"] == cohort.team_ids["a"]
    assert body["metrics"]["name"] == "Команда Альфа"
    # Board A: C1–C4 (Анна), D1–D2 (Пётр) and F1 (nobody's) → 7 cards, 4 done.
    assert metrics_of(body["metrics"]) == {
        "assigned": 7,
        "completed": 4,
        "completion_rate": 0.5714,  # 4/7
        "on_time_rate": 0.6667,  # C1, C3 of C1, C2, C3
        "open_overdue": 1,  # C4
        "average_grade": 4.0,  # 5, 3, 4, 4
        "weighted_grade": 3.78,  # (5·3 + 3·5 + 4·1) / (3 + 5 + 1) = 34/9
        "rework_rate": 0.2,  # 1 return of 5 reviews
        "cycle_hours_avg": 43.75,  # 24, 120, 6, 25
        "cycle_hours_median": 24.5,
        "lead_hours_avg": 51.5,  # 27, 144, 7, 28
        "lead_hours_median": 27.5,
        # 100 · (0.35·0.5714 + 0.25·0.6667 + 0.30·(4 − 2)/3 + 0.10·0.8) = 64.67 → 64.7
        "progress_score": 64.7,
    }
    assert [m["full_name"] for m in body["members"]] == ["Волков Пётр", "Сидорова Анна"]
    assert [m["completed"] for m in body["members"]] == [1, 3]
    # C1 (03.03), C3 (04.03), D1 (06.03) in the first week; C2 (09.03 12:00 MSK) after.
    assert body["weekly"] == [
        {"week": "2026-03-02", "completed": 3, "events": 0, "comments": 0},
        {"week": "2026-03-09", "completed": 1, "events": 0, "comments": 0},
    ]
    assert body["period"] == {
        "date_from": "2026-03-02",
        "date_to": "2026-03-15",
        "timezone": "Europe/Moscow",
    }


async def test_team_view_is_the_same_for_observer_and_organiser(
    client: httpx.AsyncClient, cohort: World
) -> None:
    path = f"{API}/teams/{cohort.team_ids['b']}/analytics"
    seen = [
        ok(await client.get(path, params=COHORT_PERIOD, headers=cohort.h(who)))
        for who in ("mentor_b", "observer", "admin")
    ]
    assert seen[0] == seen[1] == seen[2]
    assert metrics_of(seen[0]["metrics"]) == {
        "assigned": 1,
        "completed": 1,
        "completion_rate": 1.0,
        "on_time_rate": 1.0,
        "open_overdue": 0,
        "average_grade": 4.5,
        "weighted_grade": 4.5,
        "rework_rate": 0.0,
        "cycle_hours_avg": 8.0,
        "cycle_hours_median": 8.0,
        "lead_hours_avg": 9.0,
        "lead_hours_median": 9.0,
        "progress_score": 95.0,
    }
    assert [m["full_name"] for m in seen[0]["members"]] == ["Жукова Елена", "Орлов Дмитрий"]


@pytest.mark.parametrize(("who", "status"), [("intern_a", 403), ("mentor_b", 403)])
async def test_team_view_is_for_its_mentors_observers_and_organisers(
    client: httpx.AsyncClient, world: World, who: str, status: int
) -> None:
    response = await client.get(
        f"{API}/teams/{world.team_ids['a']}/analytics", headers=world.h(who)
    )
    assert response.status_code == status, response.text


# --- cumulative flow and burndown ------------------------------------------------------

FLOW_PERIOD = {"date_from": "2026-03-02", "date_to": "2026-03-05"}


async def _flow_scenario(session: AsyncSession, world: World) -> None:
    """Board A, 2–5 March (UTC times):
    K1 created 01.03 10:00 in todo → in progress 02.03 09:00 → review 03.03 23:30 MSK
       (20:30 UTC) → done 04.03 12:00; estimate 3.
    K2 created 02.03 08:00 in the backlog → todo 03.03 09:00 → reordered inside todo on
       04.03 10:00 (not a move between columns); estimate 5.
    K3 created 02.03 10:00 in progress → done 05.03 08:00; estimate 2.
    K4 created 03.03 12:00 in todo, archived 05.03 10:00; estimate 1.
    A card on board B must not show up on board A.
    """
    await add_card(
        session,
        world,
        title="K1",
        created_at=utc(3, 1, 10),
        moves=[
            ("in_progress", utc(3, 2, 9)),
            ("review", msk(3, 3, 23, 30)),
            ("done", utc(3, 4, 12), "mentor_a"),
        ],
        estimate="3",
    )
    await add_card(
        session,
        world,
        title="K2",
        created_at=utc(3, 2, 8),
        column="backlog",
        moves=[("todo", utc(3, 3, 9)), ("todo", utc(3, 4, 10))],
        estimate="5",
    )
    await add_card(
        session,
        world,
        title="K3",
        created_at=utc(3, 2, 10),
        column="in_progress",
        moves=[("done", utc(3, 5, 8), "mentor_a")],
        estimate="2",
    )
    await add_card(
        session,
        world,
        title="K4",
        created_at=utc(3, 3, 12),
        estimate="1",
        archived_at=utc(3, 5, 10),
    )
    await add_card(
        session,
        world,
        title="Чужая доска",
        created_at=utc(3, 2, 10),
        team="b",
        assignees=["intern_b"],
        estimate="8",
    )


def _day(day: str, **counts: int) -> dict[str, object]:
    return {
        "day": day,
        **{k: counts.get(k, 0) for k in ("backlog", "todo", "in_progress", "review", "done")},
    }


async def test_cumulative_flow_counts_cards_per_column_kind_at_the_end_of_each_day(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _flow_scenario(session, world)
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/flow",
            params=FLOW_PERIOD,
            headers=world.h("mentor_a"),
        )
    )
    assert body["board_id"] == world.board_ids["a"]
    assert body["period"] == {**FLOW_PERIOD, "timezone": "Europe/Moscow"}
    assert body["days"] == [
        _day("2026-03-02", backlog=1, in_progress=2),
        # K1's move to review at 23:30 MSK counts on the 3rd.
        _day("2026-03-03", todo=2, in_progress=1, review=1),
        _day("2026-03-04", todo=2, in_progress=1, done=1),
        # K4 is archived: gone from the 5th.
        _day("2026-03-05", todo=1, done=2),
    ]


async def test_burndown_in_cards_runs_from_the_first_days_remaining_to_zero(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _flow_scenario(session, world)
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/burndown",
            params=FLOW_PERIOD,
            headers=world.h("intern_a"),
        )
    )
    assert body["unit"] == "cards"
    assert body["days"] == [
        {"day": "2026-03-02", "remaining": 3.0, "ideal": 3.0},  # K1, K2, K3
        {"day": "2026-03-03", "remaining": 4.0, "ideal": 2.0},  # + K4
        {"day": "2026-03-04", "remaining": 3.0, "ideal": 1.0},  # K1 done
        {"day": "2026-03-05", "remaining": 1.0, "ideal": 0.0},  # K3 done, K4 archived
    ]


async def test_burndown_in_points_sums_the_estimates(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _flow_scenario(session, world)
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/burndown",
            params={**FLOW_PERIOD, "unit": "points"},
            headers=world.h("observer"),
        )
    )
    assert body["unit"] == "points"
    assert body["days"] == [
        {"day": "2026-03-02", "remaining": 10.0, "ideal": 10.0},  # 3 + 5 + 2
        {"day": "2026-03-03", "remaining": 11.0, "ideal": 6.67},  # + 1
        {"day": "2026-03-04", "remaining": 8.0, "ideal": 3.33},  # − 3
        {"day": "2026-03-05", "remaining": 5.0, "ideal": 0.0},  # − 2 − 1
    ]


async def test_single_day_burndown_has_an_ideal_of_zero(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _flow_scenario(session, world)
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/burndown",
            params={"date_from": "2026-03-03", "date_to": "2026-03-03"},
            headers=world.h("mentor_a"),
        )
    )
    assert body["days"] == [{"day": "2026-03-03", "remaining": 4.0, "ideal": 0.0}]


async def test_flow_without_dates_covers_the_internship(
    client: httpx.AsyncClient, world: World
) -> None:
    # The internship ran 2 March – 29 May 2026 and is over: the whole of it, 89 days.
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/flow", headers=world.h("mentor_a")
        )
    )
    assert body["period"] == {
        "date_from": "2026-03-02",
        "date_to": "2026-05-29",
        "timezone": "Europe/Moscow",
    }
    assert len(body["days"]) == 89
    assert all(d == _day(d["day"]) for d in body["days"])


async def test_move_at_0030_moscow_counts_on_the_next_day_in_flow(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await add_card(
        session,
        world,
        title="Ночная смена",
        created_at=utc(3, 2, 10),
        moves=[("in_progress", msk(3, 3, 0, 30))],  # 21:30 UTC on the 2nd
    )
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/flow",
            params={"date_from": "2026-03-02", "date_to": "2026-03-03"},
            headers=world.h("mentor_a"),
        )
    )
    assert body["days"] == [
        _day("2026-03-02", todo=1),
        _day("2026-03-03", in_progress=1),
    ]


async def test_card_done_after_moscow_midnight_still_remains_on_the_previous_day(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await add_card(
        session,
        world,
        title="Сдано ночью",
        created_at=utc(3, 2, 10),
        moves=[("done", msk(3, 3, 1))],  # 22:00 UTC on the 2nd
    )
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/burndown",
            params={"date_from": "2026-03-02", "date_to": "2026-03-03"},
            headers=world.h("mentor_a"),
        )
    )
    assert [d["remaining"] for d in body["days"]] == [1.0, 0.0]


async def test_restored_card_comes_back_into_the_flow(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    card = await add_card(session, world, title="Вернули из архива", created_at=utc(3, 2, 10))
    await add_event(
        session, world, card_id=card, kind="card_archived", at=utc(3, 3, 10), who="mentor_a"
    )
    await add_event(
        session, world, card_id=card, kind="card_restored", at=utc(3, 4, 10), who="mentor_a"
    )
    body = ok(
        await client.get(
            f"{API}/boards/{world.board_ids['a']}/analytics/flow",
            params={"date_from": "2026-03-02", "date_to": "2026-03-05"},
            headers=world.h("mentor_a"),
        )
    )
    assert [d["todo"] for d in body["days"]] == [1, 0, 1, 1]


async def test_flow_is_readable_by_whoever_sees_the_board(
    client: httpx.AsyncClient, session: AsyncSession, world: World
) -> None:
    await _flow_scenario(session, world)
    path = f"{API}/boards/{world.board_ids['a']}/analytics/flow"
    answers = [
        ok(await client.get(path, params=FLOW_PERIOD, headers=world.h(who)))["days"]
        for who in ("intern_a", "intern_a2", "mentor_a", "observer", "admin")
    ]
    assert all(days == answers[0] for days in answers)
