"""Loads the demo data set through the contexts' own services; running it twice adds nothing."""

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from ..internship.constants import InternshipStatus, ParticipantRole
from ..internship.schemas.internship_schema import InternshipCreate, InternshipStatusChange
from ..internship.schemas.team_schema import ProjectCreate, ProjectLink, TeamCreate
from ..internship.services.internship_service import internship_service
from ..internship.services.team_service import team_service
from ..lib.pagination import PageParams
from ..lib.security.actor import Actor
from ..user.user_schema import UserCreate
from ..user.user_service import user_service
from .demo_board_service import demo_board_service
from .demo_data import (
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    INTERNS,
    INTERNSHIP_DESCRIPTION,
    INTERNSHIP_NAME,
    MENTORS,
    OBSERVER,
    ORGANISER,
    TEAMS,
)

WEEKS = 12
WEEKS_PASSED = 5


class DemoService:
    async def seed(
        self, session: AsyncSession, *, today: dt.date | None = None
    ) -> list[tuple[str, str, str]]:
        """Create what is missing; return (role, username, password) of the demo logins."""
        people = [("organiser", *ORGANISER)]
        people += [("mentor", *m) for m in MENTORS]
        people += [("observer", *OBSERVER)]
        people += [("intern", *i) for i in INTERNS]
        ids: dict[str, int] = {}
        for role, username, full_name in people:
            ids[username] = await self._ensure_user(
                session, username, full_name, is_admin=role == "organiser"
            )
        await self._ensure_internship(session, ids, today or dt.date.today())
        return [(role, username, DEMO_PASSWORD) for role, username, _ in people]

    async def _ensure_user(
        self, session: AsyncSession, username: str, full_name: str, *, is_admin: bool
    ) -> int:
        existing = await user_service.find_by_username(session, username)
        if existing is not None:
            return existing.id
        data = UserCreate(
            email=f"{username}@{EMAIL_DOMAIN}",
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
        )
        return (await user_service.register(session, data, is_admin=is_admin)).id

    async def _ensure_internship(
        self, session: AsyncSession, ids: dict[str, int], today: dt.date
    ) -> None:
        system = Actor.system()
        found = await internship_service.list_internships(
            session, system, status=None, q=INTERNSHIP_NAME, page=PageParams(limit=1)
        )
        if found.items:
            return
        start = today - dt.timedelta(weeks=WEEKS_PASSED)
        internship = await internship_service.create(
            session,
            system,
            InternshipCreate(
                name=INTERNSHIP_NAME,
                description=INTERNSHIP_DESCRIPTION,
                start_date=start,
                end_date=start + dt.timedelta(weeks=WEEKS, days=-1),
            ),
        )
        await internship_service.change_status(
            session, system, internship.id, InternshipStatusChange(status=InternshipStatus.ACTIVE)
        )
        for username, _ in MENTORS:
            await internship_service.enrol(
                session, internship.id, ids[username], ParticipantRole.MENTOR
            )
        await internship_service.enrol(
            session, internship.id, ids[OBSERVER[0]], ParticipantRole.OBSERVER
        )
        for username, _ in INTERNS:
            await internship_service.enrol(
                session, internship.id, ids[username], ParticipantRole.INTERN
            )
        per_team = len(INTERNS) // len(TEAMS)
        for index, (team_name, mentor, project_name, goal) in enumerate(TEAMS):
            members = INTERNS[index * per_team : (index + 1) * per_team]
            team = await team_service.create_team(
                session,
                system,
                internship.id,
                TeamCreate(
                    name=team_name,
                    description=f"Команда «{team_name}»: {project_name.lower()}.",
                    mentor_ids=[ids[mentor]],
                    member_ids=[ids[username] for username, _ in members],
                ),
            )
            slug = f"team-{index + 1}"
            project = await team_service.create_project(
                session,
                system,
                team.id,
                ProjectCreate(
                    name=project_name,
                    description=goal,
                    goal=goal,
                    start_date=start,
                    end_date=start + dt.timedelta(weeks=WEEKS, days=-1),
                    status="active",
                    links=[
                        ProjectLink(
                            title="Репозиторий",
                            url=f"https://git.example.com/internship-2026/{slug}",
                        )
                    ],
                ),
            )
            await demo_board_service.fill(
                session,
                project_id=project.id,
                project_name=project_name,
                mentor_id=ids[mentor],
                intern_ids=[ids[username] for username, _ in members],
                start=start,
                now=dt.datetime.now(dt.UTC),
                seed=index + 1,
            )


demo_service = DemoService()
