"""An intern's metrics over a period and the progress score built from them.

The cohort (see `build_cohort`) gives Сидорова Анна four cards over 2–15 March:
C1 (on time, grade 5, estimate 3), C2 (late, returned once then grade 3, estimate 5),
C3 (completed exactly at its due time, grade 4, no estimate) and C4 (open, overdue).
"""

import httpx
import pytest

from tests.analytics.conftest import (
    ANNA,
    API,
    COHORT_PERIOD,
    DMITRY,
    ELENA,
    PETR,
    World,
    by_user,
    metrics_of,
    ok,
)


async def _intern(client: httpx.AsyncClient, world: World, who: str, **params: str) -> dict:
    body = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics/interns/{world.uid(who)}",
            params={**COHORT_PERIOD, **params},
            headers=world.h("mentor_a" if who.startswith("intern_a") else "mentor_b"),
        )
    )
    return body["metrics"]


async def test_intern_metrics_over_the_period_are_exact(
    client: httpx.AsyncClient, cohort: World
) -> None:
    metrics = await _intern(client, cohort, "intern_a")
    assert metrics_of(metrics) == ANNA
    assert metrics["full_name"] == "Сидорова Анна"
    assert metrics["username"] == "a.sidorova"
    assert metrics["team_id"] == cohort.team_ids["a"]
    assert metrics["stuck_cards"] == 1  # C4 in progress since 5 March


async def test_dashboard_period_echoes_the_dates_and_time_zone(
    client: httpx.AsyncClient, cohort: World
) -> None:
    body = ok(
        await client.get(
            f"{API}/internships/{cohort.internship_id}/analytics/interns/{cohort.uid('intern_a')}",
            params=COHORT_PERIOD,
            headers=cohort.h("mentor_a"),
        )
    )
    assert body["period"] == {
        "date_from": "2026-03-02",
        "date_to": "2026-03-15",
        "timezone": "Europe/Moscow",
    }


async def test_completed_exactly_at_due_counts_as_on_time(
    client: httpx.AsyncClient, cohort: World
) -> None:
    # Only C3 (completed at 15:30, due 15:30) falls into 4 March.
    metrics = await _intern(
        client, cohort, "intern_a", date_from="2026-03-04", date_to="2026-03-04"
    )
    assert metrics["completed"] == 1
    assert metrics["on_time_rate"] == 1.0
    assert metrics["cycle_hours_avg"] == 6.0
    assert metrics["lead_hours_avg"] == 7.0


async def test_cards_completed_after_the_period_do_not_count(
    client: httpx.AsyncClient, cohort: World
) -> None:
    # 2–8 March: C1 and C3 are done, C2 is completed on 9 March; the C2 return (6 March)
    # and the C1 and C3 acceptances are the reviews of the week.
    metrics = await _intern(
        client, cohort, "intern_a", date_from="2026-03-02", date_to="2026-03-08"
    )
    assert metrics_of(metrics) == {
        "assigned": 4,
        "completed": 2,
        "completion_rate": 0.5,
        "on_time_rate": 1.0,
        "open_overdue": 1,
        "average_grade": 4.5,  # 5 and 4
        "weighted_grade": 5.0,  # only C1 has an estimate
        "rework_rate": 0.3333,  # 1 return of 3 reviews
        "cycle_hours_avg": 15.0,  # 24 and 6
        "cycle_hours_median": 15.0,
        "lead_hours_avg": 17.0,  # 27 and 7
        "lead_hours_median": 17.0,
        # 100 · (0.35·0.5 + 0.25·1 + 0.30·(4.5 − 2)/3 + 0.10·(1 − 0.3333))
        #   = 100 · (0.175 + 0.25 + 0.25 + 0.06667) = 74.17 → 74.2
        "progress_score": 74.2,
    }


async def test_progress_score_renormalises_over_parts_with_data(
    client: httpx.AsyncClient, cohort: World
) -> None:
    body = ok(
        await client.get(
            f"{API}/internships/{cohort.internship_id}/analytics",
            params=COHORT_PERIOD,
            headers=cohort.h("observer"),
        )
    )
    rows = by_user(cohort, body["interns"])
    assert {key: metrics_of(row) for key, row in rows.items()} == {
        "intern_a": ANNA,
        "intern_a2": PETR,
        "intern_b": DMITRY,
        "intern_b2": ELENA,
    }


async def _set_config(
    client: httpx.AsyncClient, world: World, config: dict
) -> dict:  # the internship as read back
    return ok(
        await client.patch(
            f"{API}/internships/{world.internship_id}",
            json={"analytics_config": config},
            headers=world.h("admin"),
        )
    )


async def _scores(client: httpx.AsyncClient, world: World) -> dict[str, float | None]:
    body = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics",
            params=COHORT_PERIOD,
            headers=world.h("admin"),
        )
    )
    return {key: row["progress_score"] for key, row in by_user(world, body["interns"]).items()}


async def test_default_weights_give_the_hand_computed_scores(
    client: httpx.AsyncClient, cohort: World
) -> None:
    assert await _scores(client, cohort) == {
        "intern_a": 70.4,
        "intern_a2": 63.3,
        "intern_b": 95.0,
        "intern_b2": None,
    }


async def test_custom_weights_set_through_the_internship_change_the_score(
    client: httpx.AsyncClient, cohort: World
) -> None:
    internship = await _set_config(
        client,
        cohort,
        {"weights": {"completion": 0.2, "on_time": 0.2, "grade": 0, "quality": 0}},
    )
    assert internship["analytics_config"]["weights"] == {
        "completion": 0.2,
        "on_time": 0.2,
        "grade": 0.0,
        "quality": 0.0,
    }
    assert await _scores(client, cohort) == {
        # (0.2·0.75 + 0.2·0.6667) / 0.4 = 0.70835 → 70.8
        "intern_a": 70.8,
        # no due dates: only completion is left → 0.5 → 50.0
        "intern_a2": 50.0,
        "intern_b": 100.0,
        "intern_b2": None,
    }


async def test_grade_only_weights_score_the_grade_alone(
    client: httpx.AsyncClient, cohort: World
) -> None:
    await _set_config(
        client,
        cohort,
        {"weights": {"completion": 0, "on_time": 0, "grade": 1, "quality": 0}},
    )
    # (4.0 − 2)/3 = 0.6667 → 66.7; (4.5 − 2)/3 = 0.8333 → 83.3
    assert await _scores(client, cohort) == {
        "intern_a": 66.7,
        "intern_a2": 66.7,
        "intern_b": 83.3,
        "intern_b2": None,
    }


async def test_all_weights_zero_leave_no_score(client: httpx.AsyncClient, cohort: World) -> None:
    await _set_config(
        client,
        cohort,
        {"weights": {"completion": 0, "on_time": 0, "grade": 0, "quality": 0}},
    )
    assert set((await _scores(client, cohort)).values()) == {None}


@pytest.mark.parametrize("weight", [-0.1, 1.5])
async def test_weights_outside_zero_to_one_are_refused(
    client: httpx.AsyncClient, world: World, weight: float
) -> None:
    response = await client.patch(
        f"{API}/internships/{world.internship_id}",
        json={"analytics_config": {"weights": {"grade": weight}}},
        headers=world.h("admin"),
    )
    assert response.status_code == 422, response.text
