"""Queries on `projects`."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.project_model import Project
from ..models.team_model import Team


class ProjectRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_id(self, project_id: int) -> Project | None:
        return await self.session.get(Project, project_id)

    async def get_with_team(self, project_id: int) -> tuple[Project, Team] | None:
        stmt = (
            select(Project, Team)
            .join(Team, Team.id == Project.team_id)
            .where(Project.id == project_id)
        )
        row = (await self.session.execute(stmt)).first()
        return None if row is None else (row[0], row[1])

    async def get_multi(
        self, *, team_ids: Sequence[int], include_archived: bool
    ) -> Sequence[Project]:
        if not team_ids:
            return []
        stmt = select(Project).where(Project.team_id.in_(team_ids))
        if not include_archived:
            stmt = stmt.where(Project.archived_at.is_(None))
        rows = await self.session.execute(stmt.order_by(Project.team_id, Project.name, Project.id))
        return rows.scalars().all()

    async def add(self, project: Project) -> Project:
        self.session.add(project)
        await self.session.flush()
        return project

    async def save(self, project: Project) -> Project:
        await self.session.flush()
        return project
