"""The analytics world, built through the services as the system, plus scenario builders.

Internship «Весна 2026» (grading scale 2–5, time zone Europe/Moscow unless a test asks
for another) with two teams:
- «Команда Альфа»: mentor Кузнецова Мария (mentor_a); interns Сидорова Анна (intern_a)
  and Волков Пётр (intern_a2); project «Трекер задач» with its default board;
- «Команда Бета»: mentor Морозов Олег (mentor_b); interns Орлов Дмитрий (intern_b) and
  Жукова Елена (intern_b2); project «Чат-бот» with its default board;
plus an observer (Лебедева Наталья), an organiser (admin) and another internship
«Осень 2026» whose team «Команда Гамма» has the intern Фёдоров Сергей (outsider).

Cards are created with their history (`card_service.import_card`): fixed timestamps, the
activity log carrying those times. Reviews are inserted as rows for exact control of
grades, decisions, scores and response times. Everything is committed into the test's
rolled-back transaction.
"""

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from src.analytics.services import analytics_service as analytics_module
from src.board.repositories.activity_repository import ActivityRepository
from src.board.schemas.card_schema import CardImport, ImportedStep
from src.board.services.board_service import board_service
from src.board.services.card_service import card_service
from src.internship.constants import ParticipantRole
from src.internship.schemas.internship_schema import InternshipCreate, InternshipStatusChange
from src.internship.schemas.team_schema import ProjectCreate, TeamCreate
from src.internship.services.internship_service import internship_service
from src.internship.services.team_service import team_service
from src.lib.security.actor import Actor
from src.review.models.review_model import Review, ReviewRequest, RubricCriterion
from src.wiring import wire
from tests.conftest import auth_headers
from tests.factories import create_user

API = "/api/v1"
PROBLEM = "application/problem+json"
MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
UTC = dt.UTC

# key: (username, full name, role in «Весна 2026», team key or None)
PEOPLE: dict[str, tuple[str, str, ParticipantRole | None, str | None]] = {
    "mentor_a": ("m.kuznetsova", "Кузнецова Мария", ParticipantRole.MENTOR, "a"),
    "intern_a": ("a.sidorova", "Сидорова Анна", ParticipantRole.INTERN, "a"),
    "intern_a2": ("p.volkov", "Волков Пётр", ParticipantRole.INTERN, "a"),
    "mentor_b": ("o.morozov", "Морозов Олег", ParticipantRole.MENTOR, "b"),
    "intern_b": ("d.orlov", "Орлов Дмитрий", ParticipantRole.INTERN, "b"),
    "intern_b2": ("e.zhukova", "Жукова Елена", ParticipantRole.INTERN, "b"),
    "observer": ("n.lebedeva", "Лебедева Наталья", ParticipantRole.OBSERVER, None),
    "outsider": ("s.fedorov", "Фёдоров Сергей", None, None),
}
INTERNS = ("intern_a", "intern_a2", "intern_b", "intern_b2")


def utc(month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def msk(month: int, day: int, hour: int = 0, minute: int = 0, *, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=MOSCOW)


@dataclass
class World:
    """Ids and bearer headers only: no ORM objects, so nothing expires under the tests."""

    internship_id: int
    other_internship_id: int
    team_ids: dict[str, int]  # "a", "b", "other"
    board_ids: dict[str, int]
    columns: dict[str, dict[str, int]]  # team key -> column kind -> column id
    user_ids: dict[str, int]
    names: dict[str, str]
    headers: dict[str, dict[str, str]]
    cards: dict[str, int] = field(default_factory=dict)
    criteria: dict[str, int] = field(default_factory=dict)

    def h(self, who: str) -> dict[str, str]:
        return self.headers[who]

    def uid(self, who: str) -> int:
        return self.user_ids[who]


async def build_world(
    session: AsyncSession,
    *,
    timezone: str = "Europe/Moscow",
    start: dt.date = dt.date(2026, 3, 2),
    end: dt.date = dt.date(2026, 5, 29),
) -> World:
    wire()  # the subscribers: default boards of new projects
    system = Actor.system()
    internship = await internship_service.create(
        session,
        system,
        InternshipCreate(name="Весна 2026", start_date=start, end_date=end, timezone=timezone),
    )
    await internship_service.change_status(
        session, system, internship.id, InternshipStatusChange(status="active")
    )
    other = await internship_service.create(
        session,
        system,
        InternshipCreate(name="Осень 2026", start_date=start, end_date=end, timezone=timezone),
    )
    admin = await create_user(
        session, username="an.organizer", full_name="Миронова Ольга", is_admin=True
    )
    ids = {"admin": admin.id}
    headers = {"admin": auth_headers(admin), "anonymous": {}}
    names = {"admin": admin.full_name}
    for key, (username, full_name, role, _) in PEOPLE.items():
        user = await create_user(session, username=username, full_name=full_name)
        ids[key], names[key], headers[key] = user.id, full_name, auth_headers(user)
        if role is not None:
            await internship_service.enrol(session, internship.id, user.id, role)
    await internship_service.enrol(session, other.id, ids["outsider"], ParticipantRole.INTERN)

    def of(team: str, role: ParticipantRole) -> list[int]:
        return [ids[k] for k, (_, _, r, t) in PEOPLE.items() if t == team and r is role]

    specs = {
        "a": (internship.id, "Команда Альфа", "Трекер задач", "a"),
        "b": (internship.id, "Команда Бета", "Чат-бот", "b"),
        "other": (other.id, "Команда Гамма", "Поиск", None),
    }
    team_ids: dict[str, int] = {}
    board_ids: dict[str, int] = {}
    columns: dict[str, dict[str, int]] = {}
    for key, (internship_id, team_name, project_name, roster) in specs.items():
        team = await team_service.create_team(
            session,
            system,
            internship_id,
            TeamCreate(
                name=team_name,
                mentor_ids=of(roster, ParticipantRole.MENTOR) if roster else [],
                member_ids=of(roster, ParticipantRole.INTERN) if roster else [ids["outsider"]],
            ),
        )
        project = await team_service.create_project(
            session, system, team.id, ProjectCreate(name=project_name)
        )
        board = (await board_service.list_boards(session, system, project.id, archived=False))[0]
        cols = await board_service.list_columns(session, system, board.id, archived=False)
        team_ids[key], board_ids[key] = team.id, board.id
        columns[key] = {c.kind.value: c.id for c in cols}
    await session.commit()
    return World(
        internship_id=internship.id,
        other_internship_id=other.id,
        team_ids=team_ids,
        board_ids=board_ids,
        columns=columns,
        user_ids=ids,
        names=names,
        headers=headers,
    )


@pytest.fixture(autouse=True)
def _clear_dashboard_cache() -> Any:
    """Dashboards are cached in-process: every test starts afresh."""
    analytics_module.dashboard_cache.clear()
    analytics_module.intern_cache.clear()
    yield
    analytics_module.dashboard_cache.clear()
    analytics_module.intern_cache.clear()


@pytest.fixture
async def world(session: AsyncSession, app: FastAPI) -> World:
    return await build_world(session)


@pytest.fixture
def now() -> dt.datetime:
    """Read once per test: scenarios about «now» are built relative to it."""
    return dt.datetime.now(UTC)


@pytest.fixture
async def live_world(session: AsyncSession, app: FastAPI, now: dt.datetime) -> World:
    """The same people in an internship running now (60 days ago to 30 days ahead)."""
    today = now.astimezone(MOSCOW).date()
    return await build_world(
        session, start=today - dt.timedelta(days=60), end=today + dt.timedelta(days=30)
    )


def live_period(now: dt.datetime) -> dict[str, str]:
    """The last 40 days up to tomorrow (Moscow): every «recent» event falls inside."""
    today = now.astimezone(MOSCOW).date()
    return {
        "date_from": (today - dt.timedelta(days=40)).isoformat(),
        "date_to": (today + dt.timedelta(days=1)).isoformat(),
    }


# --- Building history ------------------------------------------------------------------

Step = tuple[str, dt.datetime] | tuple[str, dt.datetime, str]


async def add_card(
    session: AsyncSession,
    world: World,
    *,
    title: str,
    created_at: dt.datetime,
    column: str = "todo",
    moves: Sequence[Step] = (),
    team: str = "a",
    assignees: Sequence[str] = ("intern_a",),
    by: str | None = None,
    due_at: dt.datetime | None = None,
    estimate: str | None = None,
    archived_at: dt.datetime | None = None,
) -> int:
    """A card created at `created_at` in `column` (a kind) of the team's default board, then
    moved along `moves`: (kind, at) by the creator, or (kind, at, who). The creator is
    `by`, else the first assignee."""
    cols = world.columns[team]
    creator = by or (assignees[0] if assignees else "mentor_a")
    steps = [ImportedStep(column_id=cols[column], at=created_at, actor_id=world.uid(creator))]
    for move in moves:
        who = move[2] if len(move) == 3 else creator
        steps.append(ImportedStep(column_id=cols[move[0]], at=move[1], actor_id=world.uid(who)))
    card = await card_service.import_card(
        session,
        world.board_ids[team],
        CardImport(
            title=title,
            created_at=created_at,
            created_by_id=world.uid(creator),
            steps=steps,
            assignee_ids=[world.uid(a) for a in assignees],
            due_at=due_at,
            estimate=None if estimate is None else Decimal(estimate),
            archived_at=archived_at,
        ),
    )
    await session.commit()
    return card.id


async def add_review(
    session: AsyncSession,
    world: World,
    card_id: int,
    *,
    decision: str,
    at: dt.datetime,
    grade: str | None = None,
    team: str = "a",
    reviewer: str = "mentor_a",
    response: dt.timedelta = dt.timedelta(hours=1),
    scores: dict[str, int] | None = None,
    submitted_by: str = "intern_a",
) -> int:
    """A closed request submitted `response` before `at` and the mentor's review at `at`;
    `scores` by criterion key of `world.criteria`."""
    request = ReviewRequest(
        card_id=card_id,
        internship_id=world.internship_id,
        team_id=world.team_ids[team],
        submitted_by_id=world.uid(submitted_by),
        submitted_at=at - response,
        status="accepted" if decision == "accept" else "returned",
        closed_at=at,
        created_at=at - response,
    )
    session.add(request)
    await session.flush()
    review = Review(
        request_id=request.id,
        card_id=card_id,
        internship_id=world.internship_id,
        team_id=world.team_ids[team],
        reviewer_id=world.uid(reviewer),
        decision=decision,
        grade=None if grade is None else Decimal(grade),
        scores={str(world.criteria[k]): v for k, v in (scores or {}).items()},
        feedback="",
        response_seconds=int(response.total_seconds()),
        created_at=at,
    )
    session.add(review)
    await session.commit()
    return review.id


async def add_event(
    session: AsyncSession,
    world: World,
    *,
    card_id: int | None,
    kind: str,
    at: dt.datetime,
    who: str | None,
    team: str = "a",
    data: dict[str, Any] | None = None,
) -> None:
    """One activity entry with its original time (as imports write them)."""
    await ActivityRepository(session).add_past(
        board_id=world.board_ids[team],
        card_id=card_id,
        actor_id=None if who is None else world.uid(who),
        kind=kind,
        data=data or {},
        at=at,
    )
    await session.commit()


async def add_rubric(session: AsyncSession, world: World) -> None:
    """«Качество кода», «Сроки», «Коммуникация», each out of 5."""
    for position, (key, name) in enumerate(
        (("code", "Качество кода"), ("deadlines", "Сроки"), ("talk", "Коммуникация"))
    ):
        criterion = RubricCriterion(
            internship_id=world.internship_id, name=name, max_score=5, position=position
        )
        session.add(criterion)
        await session.flush()
        world.criteria[key] = criterion.id
    await session.commit()


# --- The cohort: a fortnight of work with fixed timestamps ------------------------------

COHORT_FROM, COHORT_TO = "2026-03-02", "2026-03-15"
COHORT_PERIOD = {"date_from": COHORT_FROM, "date_to": COHORT_TO}


async def build_cohort(session: AsyncSession, world: World) -> World:
    """Cards, reviews and a rubric over 2–15 March 2026 (Moscow); times below are UTC.

    Сидорова Анна (intern_a), board A:
      C1 created 02.03 09:00 todo → in progress 02.03 12:00 → review 03.03 10:00 → done
         03.03 12:00; due 04.03 12:00 (on time); estimate 3; accepted 5 after 2 h.
         cycle 24 h, lead 27 h.
      C2 created 03.03 09:00 backlog → todo 03.03 10:00 → in progress 04.03 09:00 →
         review 06.03 09:00 → returned 06.03 15:00 (after 6 h) → review 07.03 09:00 →
         done 09.03 09:00 (accepted 3 after 48 h); due 08.03 09:00 (late); estimate 5.
         cycle 120 h, lead 144 h.
      C3 created 04.03 08:30 todo → in progress 09:30 → review 14:00 → done 15:30, due
         exactly 15:30 (on time); no estimate; accepted 4 after 1.5 h. cycle 6 h, lead 7 h.
      C4 created 05.03 09:00 todo → in progress 05.03 10:00, open; due 10.03 09:00
         (overdue now); estimate 2.
    Волков Пётр (intern_a2), board A:
      D1 created 05.03 09:00 todo → in progress 05.03 12:00 → review 06.03 10:00 → done
         06.03 13:00; no due; estimate 1; accepted 4 after 3 h. cycle 25 h, lead 28 h.
      D2 created 06.03 09:00 in the backlog, open, no due.
    F1 on board A: created 10.03 09:00 by the mentor, unassigned, open.
    Орлов Дмитрий (intern_b), board B:
      E1 created 02.03 09:00 todo → in progress 02.03 10:00 → review 14:00 → done 18:00;
         due 03.03 09:00 (on time); estimate 2; accepted 4.5 by mentor_b after 4 h.
         cycle 8 h, lead 9 h.
    Жукова Елена (intern_b2): nothing.
    Rubric scores: C1 {code 5, deadlines 5}, C2 {code 3, deadlines 2}, C3 {code 4},
    D1 {code 4, deadlines 4}, E1 {code 5, deadlines 4}; «Коммуникация» never scored.
    """
    await add_rubric(session, world)
    cards = world.cards
    cards["C1"] = await add_card(
        session,
        world,
        title="Настроить CI",
        created_at=utc(3, 2, 9),
        moves=[
            ("in_progress", utc(3, 2, 12)),
            ("review", utc(3, 3, 10)),
            ("done", utc(3, 3, 12), "mentor_a"),
        ],
        due_at=utc(3, 4, 12),
        estimate="3",
    )
    await add_review(
        session,
        world,
        cards["C1"],
        decision="accept",
        grade="5",
        at=utc(3, 3, 12),
        response=dt.timedelta(hours=2),
        scores={"code": 5, "deadlines": 5},
    )
    cards["C2"] = await add_card(
        session,
        world,
        title="Написать API",
        created_at=utc(3, 3, 9),
        column="backlog",
        moves=[
            ("todo", utc(3, 3, 10)),
            ("in_progress", utc(3, 4, 9)),
            ("review", utc(3, 6, 9)),
            ("in_progress", utc(3, 6, 15), "mentor_a"),
            ("review", utc(3, 7, 9)),
            ("done", utc(3, 9, 9), "mentor_a"),
        ],
        due_at=utc(3, 8, 9),
        estimate="5",
    )
    await add_review(
        session,
        world,
        cards["C2"],
        decision="return",
        at=utc(3, 6, 15),
        response=dt.timedelta(hours=6),
    )
    await add_review(
        session,
        world,
        cards["C2"],
        decision="accept",
        grade="3",
        at=utc(3, 9, 9),
        response=dt.timedelta(hours=48),
        scores={"code": 3, "deadlines": 2},
    )
    cards["C3"] = await add_card(
        session,
        world,
        title="Исправить вёрстку",
        created_at=utc(3, 4, 8, 30),
        moves=[
            ("in_progress", utc(3, 4, 9, 30)),
            ("review", utc(3, 4, 14)),
            ("done", utc(3, 4, 15, 30), "mentor_a"),
        ],
        due_at=utc(3, 4, 15, 30),
    )
    await add_review(
        session,
        world,
        cards["C3"],
        decision="accept",
        grade="4",
        at=utc(3, 4, 15, 30),
        response=dt.timedelta(hours=1, minutes=30),
        scores={"code": 4},
    )
    cards["C4"] = await add_card(
        session,
        world,
        title="Документация",
        created_at=utc(3, 5, 9),
        moves=[("in_progress", utc(3, 5, 10))],
        due_at=utc(3, 10, 9),
        estimate="2",
    )
    cards["D1"] = await add_card(
        session,
        world,
        title="Страница входа",
        created_at=utc(3, 5, 9),
        moves=[
            ("in_progress", utc(3, 5, 12)),
            ("review", utc(3, 6, 10)),
            ("done", utc(3, 6, 13), "mentor_a"),
        ],
        assignees=["intern_a2"],
        estimate="1",
    )
    await add_review(
        session,
        world,
        cards["D1"],
        decision="accept",
        grade="4",
        at=utc(3, 6, 13),
        response=dt.timedelta(hours=3),
        scores={"code": 4, "deadlines": 4},
        submitted_by="intern_a2",
    )
    cards["D2"] = await add_card(
        session,
        world,
        title="Тёмная тема",
        created_at=utc(3, 6, 9),
        column="backlog",
        assignees=["intern_a2"],
    )
    cards["F1"] = await add_card(
        session,
        world,
        title="Обновить зависимости",
        created_at=utc(3, 10, 9),
        assignees=[],
        by="mentor_a",
    )
    cards["E1"] = await add_card(
        session,
        world,
        title="Команда /start",
        created_at=utc(3, 2, 9),
        moves=[
            ("in_progress", utc(3, 2, 10)),
            ("review", utc(3, 2, 14)),
            ("done", utc(3, 2, 18), "mentor_b"),
        ],
        team="b",
        assignees=["intern_b"],
        due_at=utc(3, 3, 9),
        estimate="2",
    )
    await add_review(
        session,
        world,
        cards["E1"],
        decision="accept",
        grade="4.5",
        at=utc(3, 2, 18),
        team="b",
        reviewer="mentor_b",
        response=dt.timedelta(hours=4),
        scores={"code": 5, "deadlines": 4},
        submitted_by="intern_b",
    )
    return world


# The cohort's interns over 2–15 March, worked out by hand.

# Сидорова Анна:
#   assigned 4, completed 3 (C1, C2, C3) → completion 3/4 = 0.75;
#   completed with a due date: C1, C2, C3; on or before it: C1, C3 (C3 exactly at due)
#     → on time 2/3 = 0.6667;
#   open overdue: C4 (due 10.03, still in progress) → 1;
#   accepted grades 5, 3, 4 → average 4.0; weighted by estimate: C3 has none, so
#     (5·3 + 3·5) / (3 + 5) = 30/8 = 3.75;
#   reviews 4 (C1 accept, C2 return + accept, C3 accept), returns 1 → rework 0.25;
#   cycle (in progress → done) 24, 120, 6 h → average 50.0, median 24.0;
#   lead (created → done) 27, 144, 7 h → average 178/3 = 59.33, median 27.0.
ANNA = {
    "assigned": 4,
    "completed": 3,
    "completion_rate": 0.75,
    "on_time_rate": 0.6667,
    "open_overdue": 1,
    "average_grade": 4.0,
    "weighted_grade": 3.75,
    "rework_rate": 0.25,
    "cycle_hours_avg": 50.0,
    "cycle_hours_median": 24.0,
    "lead_hours_avg": 59.33,
    "lead_hours_median": 27.0,
    # 100 · (0.35·0.75 + 0.25·0.6667 + 0.30·(4.0 − 2)/3 + 0.10·(1 − 0.25)) / 1.0
    #   = 100 · (0.2625 + 0.166675 + 0.2 + 0.075) = 70.4175 → 70.4
    "progress_score": 70.4,
}
# Волков Пётр: D1 done (no due, estimate 1, grade 4, never returned), D2 open in the
# backlog. No card with a due date → the on-time part is left out and the other weights
# renormalised: 100 · (0.35·0.5 + 0.30·(4 − 2)/3 + 0.10·1) / (0.35 + 0.30 + 0.10)
#   = 100 · 0.475 / 0.75 = 63.33 → 63.3
PETR = {
    "assigned": 2,
    "completed": 1,
    "completion_rate": 0.5,
    "on_time_rate": None,
    "open_overdue": 0,
    "average_grade": 4.0,
    "weighted_grade": 4.0,
    "rework_rate": 0.0,
    "cycle_hours_avg": 25.0,
    "cycle_hours_median": 25.0,
    "lead_hours_avg": 28.0,
    "lead_hours_median": 28.0,
    "progress_score": 63.3,
}
# Орлов Дмитрий: E1 on time, grade 4.5 →
#   100 · (0.35·1 + 0.25·1 + 0.30·(4.5 − 2)/3 + 0.10·1) = 100 · 0.95 = 95.0
DMITRY = {
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
# Жукова Елена: no cards, no reviews → no part has data → no score.
ELENA = {
    "assigned": 0,
    "completed": 0,
    "completion_rate": None,
    "on_time_rate": None,
    "open_overdue": 0,
    "average_grade": None,
    "weighted_grade": None,
    "rework_rate": None,
    "cycle_hours_avg": None,
    "cycle_hours_median": None,
    "lead_hours_avg": None,
    "lead_hours_median": None,
    "progress_score": None,
}


@pytest.fixture
async def cohort(session: AsyncSession, world: World) -> World:
    return await build_cohort(session, world)


# --- Responses -------------------------------------------------------------------------


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert an RFC 9457 error with `status` (and `code`); return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM, response.headers["content-type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


def by_user(world: World, rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows of interns keyed by the world's person key."""
    keys = {uid: key for key, uid in world.user_ids.items()}
    return {keys[row["user_id"]]: row for row in rows}


METRIC_FIELDS = (
    "assigned",
    "completed",
    "completion_rate",
    "on_time_rate",
    "open_overdue",
    "average_grade",
    "weighted_grade",
    "rework_rate",
    "cycle_hours_avg",
    "cycle_hours_median",
    "lead_hours_avg",
    "lead_hours_median",
    "progress_score",
)


def metrics_of(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in METRIC_FIELDS}
