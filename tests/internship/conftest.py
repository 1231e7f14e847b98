"""A cohort for the internship tests, built through the services as the system.

Internship «Весна 2026» (active) with two teams:
- «Команда Альфа»: mentor Мария Кузнецова; interns Анна Сидорова and Пётр Волков;
- «Команда Бета»: mentor Олег Морозов; intern Дмитрий Орлов;
plus an intern without a team, an observer, and a mentor of another internship.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from src.internship.constants import ParticipantRole
from src.internship.models.internship_model import Internship
from src.internship.schemas.internship_schema import InternshipCreate, InternshipStatusChange
from src.internship.schemas.team_schema import TeamCreate, TeamRead
from src.internship.services.internship_service import internship_service
from src.internship.services.team_service import team_service
from src.lib.security.actor import Actor
from src.user.user_model import User
from tests.conftest import auth_headers
from tests.factories import create_user

START = dt.date(2026, 3, 2)
END = dt.date(2026, 5, 29)


async def new_internship(
    session: AsyncSession, name: str, *, status: str | None = "active"
) -> Internship:
    system = Actor.system()
    internship = await internship_service.create(
        session, system, InternshipCreate(name=name, start_date=START, end_date=END)
    )
    if status is not None and status != "draft":
        path = {"active": ["active"], "finished": ["active", "finished"]}.get(
            status, ["active", "finished", status]
        )
        for step in path:
            await internship_service.change_status(
                session, system, internship.id, InternshipStatusChange(status=step)
            )
    return internship


async def new_team(
    session: AsyncSession,
    internship_id: int,
    name: str,
    *,
    mentors: Sequence[User] = (),
    members: Sequence[User] = (),
) -> TeamRead:
    return await team_service.create_team(
        session,
        Actor.system(),
        internship_id,
        TeamCreate(
            name=name,
            mentor_ids=[u.id for u in mentors],
            member_ids=[u.id for u in members],
        ),
    )


async def enrol(session: AsyncSession, internship_id: int, user: User, role: str) -> None:
    await internship_service.enrol(session, internship_id, user.id, ParticipantRole(role))


@dataclass
class Cohort:
    internship: Internship
    other_internship: Internship
    mentor_a: User
    mentor_b: User
    intern_a: User
    intern_a2: User
    intern_b: User
    free_intern: User
    observer: User
    other_mentor: User
    team_a: TeamRead
    team_b: TeamRead

    @property
    def id(self) -> int:
        return self.internship.id

    @staticmethod
    def headers(user: User) -> dict[str, str]:
        return auth_headers(user)


@pytest.fixture
async def cohort(session: AsyncSession) -> Cohort:
    internship = await new_internship(session, "Весна 2026")
    other = await new_internship(session, "Осень 2026")
    people = {
        "mentor_a": ("m.kuznetsova", "Кузнецова Мария Игоревна", "mentor"),
        "mentor_b": ("o.morozov", "Морозов Олег Сергеевич", "mentor"),
        "intern_a": ("a.sidorova", "Сидорова Анна Викторовна", "intern"),
        "intern_a2": ("p.volkov", "Волков Пётр Андреевич", "intern"),
        "intern_b": ("d.orlov", "Орлов Дмитрий Ильич", "intern"),
        "free_intern": ("e.belova", "Белова Екатерина Павловна", "intern"),
        "observer": ("hr.lebedeva", "Лебедева Наталья (HR)", "observer"),
    }
    users: dict[str, User] = {}
    for key, (username, full_name, role) in people.items():
        users[key] = await create_user(session, username=username, full_name=full_name)
        await enrol(session, internship.id, users[key], role)
    other_mentor = await create_user(
        session, username="s.fedorov", full_name="Фёдоров Сергей Олегович"
    )
    await enrol(session, other.id, other_mentor, "mentor")
    team_a = await new_team(
        session,
        internship.id,
        "Команда Альфа",
        mentors=[users["mentor_a"]],
        members=[users["intern_a"], users["intern_a2"]],
    )
    team_b = await new_team(
        session,
        internship.id,
        "Команда Бета",
        mentors=[users["mentor_b"]],
        members=[users["intern_b"]],
    )
    await session.commit()
    return Cohort(
        internship=internship,
        other_internship=other,
        other_mentor=other_mentor,
        team_a=team_a,
        team_b=team_b,
        **users,
    )
