"""Helpers shared by the internship tests: problem assertions and database reads."""

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models.invitation_model import Invitation
from src.internship.models.internship_model import Internship
from src.internship.models.participant_model import Participant
from src.internship.models.project_model import Project
from src.internship.models.team_model import Team, TeamMember

PROBLEM = "application/problem+json"
INTERNSHIPS = "/api/v1/internships"
TEAMS = "/api/v1/teams"
PROJECTS = "/api/v1/projects"
INVITATIONS = "/api/v1/auth/invitations"


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


async def fresh_internship(session: AsyncSession, internship_id: int) -> Internship:
    row = await session.get(Internship, internship_id, populate_existing=True)
    assert row is not None
    return row


async def internships_named(session: AsyncSession, name: str) -> list[Internship]:
    rows = await session.execute(
        select(Internship).where(Internship.name == name).execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def participant_row(
    session: AsyncSession, internship_id: int, user_id: int
) -> Participant | None:
    rows = await session.execute(
        select(Participant)
        .where(Participant.internship_id == internship_id, Participant.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    return rows.scalar_one_or_none()


async def participants_of(session: AsyncSession, internship_id: int) -> list[Participant]:
    rows = await session.execute(
        select(Participant)
        .where(Participant.internship_id == internship_id)
        .order_by(Participant.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def teams_of(session: AsyncSession, internship_id: int) -> list[Team]:
    rows = await session.execute(
        select(Team)
        .where(Team.internship_id == internship_id)
        .order_by(Team.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def team_row(session: AsyncSession, team_id: int) -> Team:
    row = await session.get(Team, team_id, populate_existing=True)
    assert row is not None
    return row


async def memberships(
    session: AsyncSession, *, team_id: int | None = None, user_id: int | None = None
) -> list[TeamMember]:
    stmt = select(TeamMember).order_by(TeamMember.id)
    if team_id is not None:
        stmt = stmt.where(TeamMember.team_id == team_id)
    if user_id is not None:
        stmt = stmt.where(TeamMember.user_id == user_id)
    rows = await session.execute(stmt.execution_options(populate_existing=True))
    return list(rows.scalars())


async def live_member_ids(session: AsyncSession, team_id: int, role: str) -> set[int]:
    return {
        m.user_id
        for m in await memberships(session, team_id=team_id)
        if m.role == role and m.archived_at is None
    }


async def project_row(session: AsyncSession, project_id: int) -> Project:
    row = await session.get(Project, project_id, populate_existing=True)
    assert row is not None
    return row


async def count_projects(session: AsyncSession, team_id: int) -> int:
    stmt = select(func.count()).select_from(Project).where(Project.team_id == team_id)
    return (await session.execute(stmt)).scalar_one()


async def invitations_for(session: AsyncSession, internship_id: int) -> list[Invitation]:
    rows = await session.execute(
        select(Invitation)
        .where(Invitation.internship_id == internship_id)
        .order_by(Invitation.id)
        .execution_options(populate_existing=True)
    )
    return list(rows.scalars())


async def count_invitations(session: AsyncSession) -> int:
    stmt = select(func.count()).select_from(Invitation)
    return (await session.execute(stmt)).scalar_one()
