"""The review world, built through the services as the system, plus small helpers.

Internship «Весна 2026» (active, grading scale 2–5) with two teams:
- «Команда Альфа»: mentor Мария Кузнецова (mentor_a); interns Анна Сидорова (intern_a, the
  assignee of the cards the tests create) and Пётр Волков (intern_a2, a teammate who is not
  an assignee); project «Трекер задач» with its default board;
- «Команда Бета»: mentor Олег Морозов (mentor_b); intern Дмитрий Орлов (intern_b);
  project «Чат-бот» with its default board;
plus an observer of the internship, an intern of another internship (outsider) and an
organiser (admin). `world` is committed into the test's rolled-back transaction;
`committed_world` is committed for real, for races on `committing_client`.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from src.board.models.card_model import Card
from src.board.schemas.card_schema import CardCreate
from src.board.services.board_service import board_service
from src.board.services.card_service import card_service
from src.internship.constants import ParticipantRole
from src.internship.schemas.internship_schema import InternshipCreate, InternshipStatusChange
from src.internship.schemas.team_schema import ProjectCreate, TeamCreate
from src.internship.services.internship_service import internship_service
from src.internship.services.team_service import team_service
from src.lib.security.actor import Actor
from src.review.models.review_model import GradeCorrection, Review, ReviewRequest
from src.user.user_model import User
from src.wiring import wire
from tests.conftest import auth_headers
from tests.factories import create_user

PROBLEM = "application/problem+json"
API = "/api/v1"


@dataclass
class World:
    """Ids and bearer headers only: no ORM objects, so nothing expires under the tests."""

    user_ids: dict[str, int]
    headers: dict[str, dict[str, str]]
    internship_id: int
    other_internship_id: int
    team_a_id: int
    team_b_id: int
    project_a_id: int
    board_a_id: int
    board_b_id: int
    # Column kind -> id on the default boards of team A and team B.
    columns_a: dict[str, int]
    columns_b: dict[str, int]

    def h(self, who: str) -> dict[str, str]:
        return self.headers[who]

    def uid(self, who: str) -> int:
        return self.user_ids[who]


async def build_world(session: AsyncSession) -> World:
    wire()  # the subscribers: default boards of new projects, drag-to-review
    system = Actor.system()
    today = dt.date.today()
    internship = await internship_service.create(
        session,
        system,
        InternshipCreate(
            name="Весна 2026", start_date=today, end_date=today + dt.timedelta(days=90)
        ),
    )
    await internship_service.change_status(
        session, system, internship.id, InternshipStatusChange(status="active")
    )
    other = await internship_service.create(
        session,
        system,
        InternshipCreate(
            name="Осень 2026", start_date=today, end_date=today + dt.timedelta(days=90)
        ),
    )
    admin = await create_user(
        session, username="review.admin", full_name="Миронова Ольга", is_admin=True
    )
    people = {
        "mentor_a": ("m.kuznetsova", "Кузнецова Мария Игоревна", ParticipantRole.MENTOR),
        "intern_a": ("a.sidorova", "Сидорова Анна Викторовна", ParticipantRole.INTERN),
        "intern_a2": ("p.volkov", "Волков Пётр Андреевич", ParticipantRole.INTERN),
        "mentor_b": ("o.morozov", "Морозов Олег Сергеевич", ParticipantRole.MENTOR),
        "intern_b": ("d.orlov", "Орлов Дмитрий Ильич", ParticipantRole.INTERN),
        "observer": ("hr.lebedeva", "Лебедева Наталья (HR)", ParticipantRole.OBSERVER),
    }
    users: dict[str, User] = {"admin": admin}
    for key, (username, full_name, role) in people.items():
        users[key] = await create_user(session, username=username, full_name=full_name)
        await internship_service.enrol(session, internship.id, users[key].id, role)
    users["outsider"] = await create_user(session, username="s.fedorov", full_name="Фёдоров Сергей")
    await internship_service.enrol(session, other.id, users["outsider"].id, ParticipantRole.INTERN)
    ids = {name: user.id for name, user in users.items()}
    team_a = await team_service.create_team(
        session,
        system,
        internship.id,
        TeamCreate(
            name="Команда Альфа",
            mentor_ids=[ids["mentor_a"]],
            member_ids=[ids["intern_a"], ids["intern_a2"]],
        ),
    )
    team_b = await team_service.create_team(
        session,
        system,
        internship.id,
        TeamCreate(name="Команда Бета", mentor_ids=[ids["mentor_b"]], member_ids=[ids["intern_b"]]),
    )
    project_a = await team_service.create_project(
        session, system, team_a.id, ProjectCreate(name="Трекер задач")
    )
    project_b = await team_service.create_project(
        session, system, team_b.id, ProjectCreate(name="Чат-бот")
    )
    board_a = (await board_service.list_boards(session, system, project_a.id, archived=False))[0]
    board_b = (await board_service.list_boards(session, system, project_b.id, archived=False))[0]
    columns_a = await board_service.list_columns(session, system, board_a.id, archived=False)
    columns_b = await board_service.list_columns(session, system, board_b.id, archived=False)
    await session.commit()
    return World(
        user_ids=ids,
        headers={name: auth_headers(user) for name, user in users.items()},
        internship_id=internship.id,
        other_internship_id=other.id,
        team_a_id=team_a.id,
        team_b_id=team_b.id,
        project_a_id=project_a.id,
        board_a_id=board_a.id,
        board_b_id=board_b.id,
        columns_a={c.kind.value: c.id for c in columns_a},
        columns_b={c.kind.value: c.id for c in columns_b},
    )


@pytest.fixture
async def world(session: AsyncSession, app: FastAPI) -> World:
    return await build_world(session)


@pytest.fixture
async def committed_world(engine: AsyncEngine, committing_app: FastAPI) -> World:
    """Committed for real (for races on `committing_client`); `committing_app` empties
    the tables when the test ends."""
    async with async_sessionmaker(bind=engine, expire_on_commit=False)() as session:
        return await build_world(session)


# --- Responses -------------------------------------------------------------------------


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert an RFC 9457 error with `status` (and `code`); return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM, response.headers["content-type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


# --- Building --------------------------------------------------------------------------


async def new_card(
    session: AsyncSession,
    world: World,
    *,
    title: str = "Подготовить отчёт",
    team: str = "a",
    column: str = "in_progress",
    assignee: str | None = None,
) -> int:
    """A card in `column` of the team's default board, created by (and assigned to) an
    intern of the team: intern_a on team A, intern_b on team B."""
    assignee = assignee or ("intern_a" if team == "a" else "intern_b")
    board_id, columns = (
        (world.board_a_id, world.columns_a) if team == "a" else (world.board_b_id, world.columns_b)
    )
    card = await card_service.create(
        session,
        Actor(user_id=world.uid(assignee)),
        board_id,
        CardCreate(title=title, column_id=columns[column], assignee_ids=[world.uid(assignee)]),
    )
    await session.commit()
    return card.id


async def submit(
    client: httpx.AsyncClient, world: World, card_id: int, who: str = "intern_a"
) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        await client.post(f"{API}/cards/{card_id}/submit", headers=world.h(who)), 201
    )
    return body


async def review(
    client: httpx.AsyncClient,
    world: World,
    card_id: int,
    body: dict[str, Any],
    who: str = "mentor_a",
) -> httpx.Response:
    return await client.post(f"{API}/cards/{card_id}/review", json=body, headers=world.h(who))


async def accept(
    client: httpx.AsyncClient,
    world: World,
    card_id: int,
    grade: str = "4.5",
    who: str = "mentor_a",
) -> dict[str, Any]:
    body: dict[str, Any] = ok(
        await review(
            client,
            world,
            card_id,
            {"decision": "accept", "grade": grade, "feedback": "Хорошая работа"},
            who,
        ),
        201,
    )
    return body


async def backdate_request(session: AsyncSession, request_id: int, when: dt.datetime) -> None:
    await session.execute(
        update(ReviewRequest).where(ReviewRequest.id == request_id).values(submitted_at=when)
    )
    await session.commit()


# --- Reading the database --------------------------------------------------------------


async def card_row(session: AsyncSession, card_id: int) -> Card:
    row = await session.get(Card, card_id, populate_existing=True)
    assert row is not None
    return row


async def requests_of(session: AsyncSession, card_id: int) -> list[ReviewRequest]:
    rows = await session.execute(
        select(ReviewRequest)
        .where(ReviewRequest.card_id == card_id)
        .order_by(ReviewRequest.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def reviews_of(session: AsyncSession, card_id: int) -> list[Review]:
    rows = await session.execute(
        select(Review)
        .where(Review.card_id == card_id)
        .order_by(Review.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def corrections_of(session: AsyncSession, review_id: int) -> list[GradeCorrection]:
    rows = await session.execute(
        select(GradeCorrection)
        .where(GradeCorrection.review_id == review_id)
        .order_by(GradeCorrection.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())
