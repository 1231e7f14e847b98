"""Queries on `projects`."""

from collections.abc import Sequence

from sqlalchemy import select

from ...lib.repository import ArchivableRepositoryBase
from ..models.project_model import Project
from ..models.team_model import Team


class ProjectRepository(ArchivableRepositoryBase[Project]):
    model = Project

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
        return await self.get_all(stmt.order_by(Project.team_id, Project.name, Project.id))
