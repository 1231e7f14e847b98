"""Queries on `import_jobs`."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import String, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY

from ...lib.clock import utcnow
from ...lib.repository import RepositoryBase
from ..constants import JobStatus
from ..models.import_job_model import ImportJob

# Advisory-lock namespace of running imports: the job's transaction holds
# (namespace, job id) while it works, so a dead worker's jobs are recognisable.
LOCK_NAMESPACE = 7301

_NAMES = ARRAY(String(64))


class ImportJobRepository(RepositoryBase[ImportJob]):
    model = ImportJob

    async def get_multi_by_project(
        self, project_id: int, *, limit: int, offset: int
    ) -> tuple[Sequence[ImportJob], int]:
        base = select(ImportJob).where(ImportJob.project_id == project_id)
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.execute(
            base.order_by(ImportJob.id.desc()).limit(limit).offset(offset)
        )
        return rows.scalars().all(), int(total or 0)

    async def update_fields(self, job_id: int, **values: Any) -> None:
        await self.session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        )

    async def hold(self, job_id: int) -> None:
        """Mark the job as worked on until this transaction ends."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(:ns, :key)"),
            {"ns": LOCK_NAMESPACE, "key": job_id % 2_147_483_647},
        )

    async def serialize_on(self, key: str) -> None:
        """Wait for other transactions working on the same `key` (until this one ends)."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(:ns, hashtext(:key))"),
            {"ns": LOCK_NAMESPACE + 1, "key": key},
        )

    async def fail_abandoned(self, *, queued_grace_seconds: int) -> list[int]:
        """Jobs left queued or running by a process that is gone: marked failed.

        A running job is abandoned when nobody holds its advisory lock; a queued one
        when it has waited longer than the grace period (its worker never started it).
        """
        result = await self.session.execute(
            text(
                "UPDATE import_jobs SET status = 'failed', finished_at = now(), "
                "updated_at = now(), stage = 'interrupted', "
                "error = 'The import was interrupted (the application stopped); "
                "retry it.' "
                "WHERE id IN ("
                "  SELECT id FROM import_jobs"
                "  WHERE status IN ('queued', 'running')"
                "    AND (status = 'running' OR updated_at < now() - make_interval(secs => :grace))"
                "    AND pg_try_advisory_xact_lock(:ns, (id % 2147483647)::int)"
                "  FOR UPDATE SKIP LOCKED"
                ") RETURNING id"
            ),
            {"ns": LOCK_NAMESPACE, "grace": queued_grace_seconds},
        )
        return [row[0] for row in result]

    async def claim(self, job_id: int) -> ImportJob | None:
        """Take a queued job (None if someone else has it or it is not queued)."""
        stmt = (
            select(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status == JobStatus.QUEUED.value)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def expire_failed_uploads(self, finished_before: dt.datetime) -> list[tuple[int, str]]:
        """Failed jobs finished before the cut-off let go of their file (no more retries):
        (job id, storage name) of each, for the caller to remove after the commit."""
        expiring = (
            select(ImportJob.id, ImportJob.storage_name)
            .where(
                ImportJob.status == JobStatus.FAILED.value,
                ImportJob.storage_name.is_not(None),
                ImportJob.finished_at < finished_before,
            )
            .with_for_update(skip_locked=True)  # a retry in progress keeps its file
            .subquery("expiring")
        )
        # RETURNING shows the new row: the file's name comes from the subquery.
        result = await self.session.execute(
            update(ImportJob)
            .where(ImportJob.id == expiring.c.id)
            .values(storage_name=None, updated_at=utcnow())
            .returning(expiring.c.id, expiring.c.storage_name)
            .execution_options(synchronize_session=False)
        )
        return [(row[0], row[1]) for row in result if row[1] is not None]

    async def referenced_storage_names(self, names: Sequence[str]) -> set[str]:
        """Those of `names` that some job still points to."""
        if not names:
            return set()
        rows = await self.session.execute(
            # One array parameter, however many files (an IN list would bind each).
            select(ImportJob.storage_name).where(
                ImportJob.storage_name == any_(bindparam("names", list(names), type_=_NAMES))
            )
        )
        return {name for (name,) in rows if name is not None}
