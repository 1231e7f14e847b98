"""The tracker's world, built through the services as the system.

Internship «Весна 2026» (active) with two teams:
- «Команда Альфа»: mentor Мария Кузнецова (m.kuznetsova); interns Анна Сидорова
  (a.sidorova) and Пётр Волков (p.volkov); project «Трекер задач» with its default board;
- «Команда Бета»: mentor Олег Морозов (o.morozov); intern Дмитрий Орлов (d.orlov);
  project «Чат-бот» with its default board;
plus an observer of the internship (hr.lebedeva), an intern of another internship
(s.fedorov) and an organiser (board.admin).

`tracker` lives in the test's rolled-back transaction; `committed_tracker` is committed for
real (for races on `committing_client`) and emptied with the tables afterwards.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from src.board.services.board_service import board_service
from src.internship.constants import ParticipantRole
from src.internship.schemas.internship_schema import InternshipCreate, InternshipStatusChange
from src.internship.schemas.team_schema import ProjectCreate, TeamCreate
from src.internship.services.internship_service import internship_service
from src.internship.services.team_service import team_service
from src.lib.security.actor import Actor
from src.user.user_model import User
from tests.conftest import auth_headers
from tests.factories import create_user


@dataclass
class Tracker:
    admin: User
    mentor_a: User
    intern_a: User
    intern_a2: User
    mentor_b: User
    intern_b: User
    observer: User
    outsider: User
    internship_id: int
    team_a_id: int
    team_b_id: int
    project_a_id: int
    project_b_id: int
    board_id: int
    board_b_id: int
    # Column kind -> id, for the default boards of team A and team B.
    columns: dict[str, int]
    columns_b: dict[str, int]

    @staticmethod
    def h(user: User) -> dict[str, str]:
        return auth_headers(user)


async def build_tracker(session: AsyncSession) -> Tracker:
    system = Actor.system()
    admin = await create_user(
        session, username="board.admin", full_name="Ольга Миронова", is_admin=True
    )
    people = {
        "mentor_a": ("m.kuznetsova", "Кузнецова Мария Игоревна", ParticipantRole.MENTOR),
        "intern_a": ("a.sidorova", "Сидорова Анна Викторовна", ParticipantRole.INTERN),
        "intern_a2": ("p.volkov", "Волков Пётр Андреевич", ParticipantRole.INTERN),
        "mentor_b": ("o.morozov", "Морозов Олег Сергеевич", ParticipantRole.MENTOR),
        "intern_b": ("d.orlov", "Орлов Дмитрий Ильич", ParticipantRole.INTERN),
        "observer": ("hr.lebedeva", "Лебедева Наталья", ParticipantRole.OBSERVER),
    }
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
    users: dict[str, User] = {}
    for key, (username, full_name, role) in people.items():
        users[key] = await create_user(session, username=username, full_name=full_name)
        await internship_service.enrol(session, internship.id, users[key].id, role)
    outsider = await create_user(session, username="s.fedorov", full_name="Фёдоров Сергей")
    await internship_service.enrol(session, other.id, outsider.id, ParticipantRole.INTERN)
    team_a = await team_service.create_team(
        session,
        system,
        internship.id,
        TeamCreate(
            name="Команда Альфа",
            mentor_ids=[users["mentor_a"].id],
            member_ids=[users["intern_a"].id, users["intern_a2"].id],
        ),
    )
    team_b = await team_service.create_team(
        session,
        system,
        internship.id,
        TeamCreate(
            name="Команда Бета",
            mentor_ids=[users["mentor_b"].id],
            member_ids=[users["intern_b"].id],
        ),
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
    return Tracker(
        admin=admin,
        outsider=outsider,
        internship_id=internship.id,
        team_a_id=team_a.id,
        team_b_id=team_b.id,
        project_a_id=project_a.id,
        project_b_id=project_b.id,
        board_id=board_a.id,
        board_b_id=board_b.id,
        columns={c.kind.value: c.id for c in columns_a},
        columns_b={c.kind.value: c.id for c in columns_b},
        **users,
    )


@pytest.fixture
async def tracker(session: AsyncSession) -> Tracker:
    world = await build_tracker(session)
    await session.commit()
    return world


@pytest.fixture
async def committed_tracker(engine: AsyncEngine, committing_app: FastAPI) -> Tracker:
    """Committed for real; `committing_app` empties the tables when the test ends."""
    maker = async_sessionmaker(bind=engine, expire_on_commit=False)
    async with maker() as session:
        world = await build_tracker(session)
        await session.commit()
    return world


@dataclass
class StatementCounter:
    statements: list[str]

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@pytest.fixture
def count_statements(
    connection: AsyncConnection,
) -> Iterator[Callable[[], StatementCounter]]:
    """Start counting the SQL statements sent on the test's connection (which every
    request session of the `client` app uses); stops when the test ends."""
    listeners: list[Callable[..., None]] = []
    sync_connection = connection.sync_connection
    assert sync_connection is not None

    def start() -> StatementCounter:
        counter = StatementCounter(statements=[])

        def before_cursor_execute(*args: object) -> None:
            counter.statements.append(str(args[2]))

        event.listen(sync_connection, "before_cursor_execute", before_cursor_execute)
        listeners.append(before_cursor_execute)
        return counter

    yield start
    for listener in listeners:
        event.remove(sync_connection, "before_cursor_execute", listener)
