"""The internship view: interns sorted by a metric, teams compared, grade distribution,
rubric averages, mentors' response times and the at-risk list; who sees whom; and an
intern's own dashboard beside the cohort median."""

import datetime as dt
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import (
    ANNA,
    API,
    COHORT_PERIOD,
    DMITRY,
    PETR,
    World,
    add_card,
    add_review,
    live_period,
    metrics_of,
    ok,
    problem,
    utc,
)


async def _dashboard(
    client: httpx.AsyncClient, world: World, who: str = "admin", **params: str
) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics",
            params={**COHORT_PERIOD, **params},
            headers=world.h(who),
        )
    )
    return body


def _names(rows: list[dict[str, Any]]) -> list[str]:
    return [row["full_name"] for row in rows]


# --- sorting -----------------------------------------------------------------------------

# Scores: Волков 63.3, Жукова none, Орлов 95.0, Сидорова 70.4.
# Lead-time medians: Волков 28, Жукова none, Орлов 9, Сидорова 27.
# On-time rates: Волков none, Жукова none, Орлов 1.0, Сидорова 0.6667.
# Last activity: Волков 06.03 10:00, Жукова never, Орлов 02.03 14:00, Сидорова 07.03 09:00.
SORTS = [
    ("full_name", "asc", ["Волков Пётр", "Жукова Елена", "Орлов Дмитрий", "Сидорова Анна"]),
    ("full_name", "desc", ["Сидорова Анна", "Орлов Дмитрий", "Жукова Елена", "Волков Пётр"]),
    ("progress_score", "asc", ["Волков Пётр", "Сидорова Анна", "Орлов Дмитрий", "Жукова Елена"]),
    ("progress_score", "desc", ["Орлов Дмитрий", "Сидорова Анна", "Волков Пётр", "Жукова Елена"]),
    ("lead_hours_median", "asc", ["Орлов Дмитрий", "Сидорова Анна", "Волков Пётр", "Жукова Елена"]),
    (
        "lead_hours_median",
        "desc",
        ["Волков Пётр", "Сидорова Анна", "Орлов Дмитрий", "Жукова Елена"],
    ),
    ("on_time_rate", "asc", ["Сидорова Анна", "Орлов Дмитрий", "Волков Пётр", "Жукова Елена"]),
    ("on_time_rate", "desc", ["Орлов Дмитрий", "Сидорова Анна", "Волков Пётр", "Жукова Елена"]),
    ("assigned", "desc", ["Сидорова Анна", "Волков Пётр", "Орлов Дмитрий", "Жукова Елена"]),
    ("last_activity_at", "asc", ["Орлов Дмитрий", "Волков Пётр", "Сидорова Анна", "Жукова Елена"]),
    (
        "last_activity_at",
        "desc",
        ["Сидорова Анна", "Волков Пётр", "Орлов Дмитрий", "Жукова Елена"],
    ),
]


@pytest.mark.parametrize(("sort", "order", "expected"), SORTS)
async def test_interns_sorted_by_a_metric_with_empty_values_last(
    client: httpx.AsyncClient, cohort: World, sort: str, order: str, expected: list[str]
) -> None:
    body = await _dashboard(client, cohort, "observer", sort=sort, order=order)
    assert _names(body["interns"]) == expected


async def test_default_order_is_by_name(client: httpx.AsyncClient, cohort: World) -> None:
    body = await _dashboard(client, cohort)
    assert _names(body["interns"]) == [
        "Волков Пётр",
        "Жукова Елена",
        "Орлов Дмитрий",
        "Сидорова Анна",
    ]
    assert [metrics_of(r) for r in body["interns"]][::2] == [PETR, DMITRY]
    assert metrics_of(body["interns"][3]) == ANNA


# --- teams, grades, rubric, mentors ------------------------------------------------------


async def test_teams_are_compared_side_by_side(client: httpx.AsyncClient, cohort: World) -> None:
    body = await _dashboard(client, cohort)
    teams = {t["name"]: t for t in body["teams"]}
    assert _names_of_teams(body) == ["Команда Альфа", "Команда Бета"]
    assert {
        name: (t["assigned"], t["completed"], t["completion_rate"], t["progress_score"])
        for name, t in teams.items()
    } == {
        "Команда Альфа": (7, 4, 0.5714, 64.7),
        "Команда Бета": (1, 1, 1.0, 95.0),
    }
    assert teams["Команда Альфа"]["team_id"] == cohort.team_ids["a"]


def _names_of_teams(body: dict[str, Any]) -> list[str]:
    return [t["name"] for t in body["teams"]]


async def test_grade_distribution_buckets_accepted_grades(
    client: httpx.AsyncClient, cohort: World
) -> None:
    # Accepted: 5 (C1), 3 (C2), 4 (C3), 4 (D1), 4.5 (E1, rounds half up into 5);
    # the return of C2 carries no grade.
    body = await _dashboard(client, cohort)
    assert body["grade_distribution"] == [
        {"grade": 3.0, "count": 1},
        {"grade": 4.0, "count": 2},
        {"grade": 5.0, "count": 2},
    ]


async def test_grade_distribution_outside_the_period_is_empty(
    client: httpx.AsyncClient, cohort: World
) -> None:
    body = await _dashboard(client, cohort, date_from="2026-03-16", date_to="2026-03-31")
    assert body["grade_distribution"] == []
    assert [c["reviews"] for c in body["rubric_averages"]] == [0, 0, 0]
    assert body["mentor_response"] == []


async def test_rubric_averages_per_criterion(client: httpx.AsyncClient, cohort: World) -> None:
    body = await _dashboard(client, cohort)
    c = cohort.criteria
    assert body["rubric_averages"] == [
        # 5, 3, 4, 4, 5
        {
            "criterion_id": c["code"],
            "name": "Качество кода",
            "max_score": 5,
            "average": 4.2,
            "reviews": 5,
        },
        # 5, 2, 4, 4 (C3 was not scored on it)
        {
            "criterion_id": c["deadlines"],
            "name": "Сроки",
            "max_score": 5,
            "average": 3.75,
            "reviews": 4,
        },
        {
            "criterion_id": c["talk"],
            "name": "Коммуникация",
            "max_score": 5,
            "average": None,
            "reviews": 0,
        },
    ]


async def test_mentor_response_times_average_and_median_in_hours(
    client: httpx.AsyncClient, cohort: World
) -> None:
    body = await _dashboard(client, cohort)
    # Кузнецова: 2, 6, 48, 1.5, 3 h → average 60.5/5 = 12.1, median 3.0; Морозов: 4 h.
    assert body["mentor_response"] == [
        {
            "reviewer_id": cohort.uid("mentor_a"),
            "full_name": "Кузнецова Мария",
            "reviews": 5,
            "hours_avg": 12.1,
            "hours_median": 3.0,
        },
        {
            "reviewer_id": cohort.uid("mentor_b"),
            "full_name": "Морозов Олег",
            "reviews": 1,
            "hours_avg": 4.0,
            "hours_median": 4.0,
        },
    ]


# --- who sees what -----------------------------------------------------------------------


async def test_mentor_sees_only_their_teams(client: httpx.AsyncClient, cohort: World) -> None:
    body = await _dashboard(client, cohort, "mentor_a")
    assert _names(body["interns"]) == ["Волков Пётр", "Сидорова Анна"]
    assert _names_of_teams(body) == ["Команда Альфа"]
    assert body["grade_distribution"] == [
        {"grade": 3.0, "count": 1},
        {"grade": 4.0, "count": 2},
        {"grade": 5.0, "count": 1},
    ]
    assert [(r["name"], r["average"], r["reviews"]) for r in body["rubric_averages"]] == [
        ("Качество кода", 4.0, 4),  # 5, 3, 4, 4
        ("Сроки", 3.67, 3),  # 5, 2, 4
        ("Коммуникация", None, 0),
    ]
    assert [r["full_name"] for r in body["mentor_response"]] == ["Кузнецова Мария"]
    assert _names(body["at_risk"]) == ["Волков Пётр", "Сидорова Анна"]
    other = await _dashboard(client, cohort, "mentor_b")
    assert _names(other["interns"]) == ["Жукова Елена", "Орлов Дмитрий"]
    assert _names_of_teams(other) == ["Команда Бета"]


@pytest.mark.parametrize("who", ["observer", "admin"])
async def test_observer_and_organiser_see_everyone(
    client: httpx.AsyncClient, cohort: World, who: str
) -> None:
    body = await _dashboard(client, cohort, who)
    assert len(body["interns"]) == 4
    assert _names_of_teams(body) == ["Команда Альфа", "Команда Бета"]
    assert len(body["mentor_response"]) == 2


@pytest.mark.parametrize("who", ["intern_a", "intern_b2"])
async def test_interns_do_not_see_the_internship_view(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    response = await client.get(
        f"{API}/internships/{world.internship_id}/analytics", headers=world.h(who)
    )
    problem(response, 403, "analytics_permission_denied")


async def test_outsiders_do_not_find_the_internship(
    client: httpx.AsyncClient, world: World
) -> None:
    response = await client.get(
        f"{API}/internships/{world.internship_id}/analytics", headers=world.h("outsider")
    )
    problem(response, 404)


# --- at-risk list (about now) -----------------------------------------------------------


async def test_at_risk_lists_the_flagged_interns_with_reasons(
    client: httpx.AsyncClient, session: AsyncSession, live_world: World, now: dt.datetime
) -> None:
    day, hour = dt.timedelta(days=1), dt.timedelta(hours=1)
    w = live_world
    # Анна: last seen 8 days ago; Пётр: worked yesterday; Дмитрий: 3 open overdue cards
    # made yesterday; Елена: active an hour ago, graded 2.5.
    await add_card(
        session, w, title="Старое", created_at=now - 9 * day, moves=[("done", now - 8 * day)]
    )
    await add_card(
        session,
        w,
        title="Вчера",
        created_at=now - 2 * day,
        moves=[("done", now - day)],
        assignees=["intern_a2"],
    )
    for n in range(3):
        await add_card(
            session,
            w,
            title=f"Просрочено {n}",
            created_at=now - day,
            team="b",
            assignees=["intern_b"],
            due_at=now - hour,
        )
    card = await add_card(
        session,
        w,
        title="Оценено",
        created_at=now - 2 * hour,
        moves=[("done", now - hour)],
        team="b",
        assignees=["intern_b2"],
    )
    await add_review(
        session,
        w,
        card,
        decision="accept",
        grade="2.5",
        at=now - hour,
        team="b",
        reviewer="mentor_b",
        submitted_by="intern_b2",
    )
    body = ok(
        await client.get(
            f"{API}/internships/{w.internship_id}/analytics",
            params=live_period(now),
            headers=w.h("observer"),
        )
    )
    assert [(r["full_name"], r["flags"]) for r in body["at_risk"]] == [
        ("Жукова Елена", [{"code": "low_grade", "reason": "Средняя оценка 2.5 ниже 3.5"}]),
        (
            "Орлов Дмитрий",
            [{"code": "overdue", "reason": "Просрочено открытых задач: 3 (порог — 3)"}],
        ),
        (
            "Сидорова Анна",
            [{"code": "inactive", "reason": "Нет активности 8 дн. (порог — 5 дн.)"}],
        ),
    ]
    assert body["at_risk"] == [r for r in body["interns"] if r["flags"]]
    mine = ok(
        await client.get(
            f"{API}/internships/{w.internship_id}/analytics",
            params=live_period(now),
            headers=w.h("mentor_a"),
        )
    )
    assert _names(mine["at_risk"]) == ["Сидорова Анна"]


# --- the intern's own dashboard -----------------------------------------------------------

# The median intern of the four (Елена has no rates, grades or times, so those medians
# are over the other three; counts are over all four and truncated to whole cards).
COHORT_MEDIAN = {
    "assigned": 1,  # 4, 2, 1, 0 → 1.5 → 1
    "completed": 1,  # 3, 1, 1, 0
    "completion_rate": 0.75,  # 0.75, 0.5, 1.0
    "on_time_rate": pytest.approx(0.83335),  # 0.6667, 1.0
    "open_overdue": 0,  # 1, 0, 0, 0
    "average_grade": 4.0,  # 4.0, 4.0, 4.5
    "weighted_grade": 4.0,  # 3.75, 4.0, 4.5
    "rework_rate": 0.0,  # 0.25, 0.0, 0.0
    "cycle_hours_avg": 25.0,  # 50, 25, 8
    "cycle_hours_median": 24.0,  # 24, 25, 8
    "lead_hours_avg": 28.0,  # 59.33, 28, 9
    "lead_hours_median": 27.0,  # 27, 28, 9
    "progress_score": 70.4,  # 70.4, 63.3, 95.0
}
OTHER_INTERNS = ("Волков", "Жукова", "Орлов", "p.volkov", "e.zhukova", "d.orlov")


async def test_my_dashboard_shows_my_metrics_and_the_cohort_median(
    client: httpx.AsyncClient, cohort: World
) -> None:
    response = await client.get(
        f"{API}/internships/{cohort.internship_id}/analytics/me",
        params=COHORT_PERIOD,
        headers=cohort.h("intern_a"),
    )
    body = ok(response)
    assert body["metrics"]["user_id"] == cohort.uid("intern_a")
    assert metrics_of(body["metrics"]) == ANNA
    assert body["cohort_median"] == COHORT_MEDIAN
    # C1, C3 in the first week, C2 on Monday the 9th.
    assert [(w["week"], w["completed"]) for w in body["weekly"]] == [
        ("2026-03-02", 2),
        ("2026-03-09", 1),
    ]
    for name in OTHER_INTERNS:
        assert name not in response.text


async def test_my_dashboard_is_the_same_as_the_mentors_view_of_me(
    client: httpx.AsyncClient, cohort: World
) -> None:
    mine = ok(
        await client.get(
            f"{API}/internships/{cohort.internship_id}/analytics/me",
            params=COHORT_PERIOD,
            headers=cohort.h("intern_b"),
        )
    )
    mentors = ok(
        await client.get(
            f"{API}/internships/{cohort.internship_id}/analytics/interns/{cohort.uid('intern_b')}",
            params=COHORT_PERIOD,
            headers=cohort.h("mentor_b"),
        )
    )
    assert mine == mentors
    assert metrics_of(mine["metrics"]) == DMITRY
    assert mine["cohort_median"] == COHORT_MEDIAN


async def test_intern_sees_own_analytics_by_id_but_not_a_teammates(
    client: httpx.AsyncClient, cohort: World
) -> None:
    path = f"{API}/internships/{cohort.internship_id}/analytics/interns"
    ok(await client.get(f"{path}/{cohort.uid('intern_a')}", headers=cohort.h("intern_a")))
    response = await client.get(f"{path}/{cohort.uid('intern_a2')}", headers=cohort.h("intern_a"))
    body = problem(response, 403, "analytics_permission_denied")
    assert "Волков" not in response.text
    assert "Волков" not in str(body)


@pytest.mark.parametrize("who", ["mentor_a", "observer", "admin"])
async def test_my_dashboard_is_for_interns_only(
    client: httpx.AsyncClient, world: World, who: str
) -> None:
    response = await client.get(
        f"{API}/internships/{world.internship_id}/analytics/me", headers=world.h(who)
    )
    problem(response, 404)


async def test_cohort_median_follows_writes_and_is_kept_per_period(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World
) -> None:
    path = f"{API}/internships/{cohort.internship_id}/analytics/me"
    first = ok(await client.get(path, params=COHORT_PERIOD, headers=cohort.h("intern_a")))
    assert first["cohort_median"] == COHORT_MEDIAN
    # Пётр finishes two more cards (3 h from creation to done each)...
    for n in range(2):
        await add_card(
            session,
            cohort,
            title=f"Ещё {n}",
            created_at=utc(3, 11, 9),
            moves=[("done", utc(3, 11, 12))],
            assignees=["intern_a2"],
        )
    again = ok(await client.get(path, params=COHORT_PERIOD, headers=cohort.h("intern_a2")))
    assert again["metrics"]["completed"] == 3
    # ...and the cached cohort is no longer fresh: the median moves with the next read.
    assert again["cohort_median"] == {
        **COHORT_MEDIAN,
        "assigned": 2,  # 4, 4, 1, 0 → 2.5 → 2
        "completed": 2,  # 3, 3, 1, 0
        "lead_hours_avg": 11.33,  # 59.33, 11.33 (28, 3, 3), 9
        "lead_hours_median": 9.0,  # 27, 3, 9
        "progress_score": 75.0,  # 70.4, 75.0, 95.0
    }
    # Another period is computed on its own: 2–14 March, now Пётр has 3 done of 4.
    other = ok(
        await client.get(
            path,
            params={"date_from": "2026-03-02", "date_to": "2026-03-14"},
            headers=cohort.h("intern_a2"),
        )
    )
    assert other["cohort_median"]["completed"] == 2  # 3, 3, 1, 0 → 2
