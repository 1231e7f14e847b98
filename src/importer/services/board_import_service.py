"""Imports of board exports (Trello's JSON, InternHub's own) into a project.

How an import runs:
1. `start` (the request, or the CLI): the upload is stored under DATA_DIR/imports, parsed
   and checked at once — malformed JSON, a file that is no board export, missing keys,
   bad options, or a second import of the same export answer 4xx before any job exists.
   A job row is committed as `queued`.
2. `run` (a background task after the 202, or the CLI in the foreground): the whole
   board is written in ONE transaction, which also marks the job `succeeded` — a failed
   import leaves no board behind and the job `failed` with the reason. Progress is
   committed on the side. While it works the transaction holds an advisory lock on
   the job, so `recover_interrupted` (at start-up) can tell a job whose process died
   from one still running elsewhere, and marks only the former failed.
3. A failed job keeps its file and can be retried, for IMPORT_FAILED_RETENTION_DAYS;
   `prune_uploads` (at start-up, or `internhub prune-imports`) then removes the file.
"""

import asyncio
import datetime as dt
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.ext.asyncio import AsyncSession

from ...board.schemas.board_snapshot import BoardSnapshot
from ...board.services.board_transfer_service import board_transfer_service
from ...config.database.db_helper import Database, on_rollback
from ...config.project_config import get_settings
from ...lib.clock import utcnow
from ...lib.errors import AppError
from ...lib.file_store import ABANDONED_AFTER_SECONDS, strip_invisible
from ...lib.pagination import Page, PageParams
from ...lib.rate_limit import enforce_rate_limit
from ...lib.security.actor import Actor
from ...user.user_service import user_service
from ..constants import ImportSource, JobStatus
from ..exceptions import (
    DuplicateImportError,
    ImportJobNotFoundError,
    ImportNotRetryableError,
    ImportTooLargeError,
    InvalidImportOptionError,
)
from ..internhub_format.internhub_export_reader import ParsedExport, read_internhub_export
from ..internhub_format.internhub_snapshot_mapper import export_to_snapshot
from ..models.import_job_model import ImportJob
from ..repositories.import_job_repository import ImportJobRepository
from ..repositories.upload_file_repository import FileTooLargeError, UploadFileRepository
from ..schemas.import_schema import ImportJobRead, ImportOptions
from ..schemas.people_schema import PersonRef
from ..trello_format.board_mapper import MappingReport, trello_to_snapshot
from ..trello_format.member_mapper import member_refs
from ..trello_format.trello_export_reader import read_trello_export
from ..trello_format.trello_records import TrelloBoard
from .people_matching_service import people_matching_service

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UploadPruneReport:
    expired_job_ids: list[int]  # failed jobs whose file was removed
    orphan_files: int
    partial_files: int


Parsed = TrelloBoard | ParsedExport


def uploads() -> UploadFileRepository:
    return UploadFileRepository(get_settings().data_dir / "imports")


def _internhub_refs(parsed: ParsedExport) -> dict[str, PersonRef]:
    """Each person of the export by its key ("person-1"). Keys are numbered per document;
    across exports a person (and the placeholder made for them) is known by the username."""
    return {
        p.key: PersonRef(key=p.username or p.key, username=p.username, full_name=p.full_name)
        for p in parsed.people
    }


def _unknown_member_map_keys(parsed: Parsed, options: ImportOptions) -> list[str]:
    """member_map keys that name none of the people matching will be given (it looks a
    key up by each person's key and username)."""
    if isinstance(parsed, TrelloBoard):
        members, former = member_refs(parsed)
        refs = [*members, *former]
    else:
        refs = list(_internhub_refs(parsed).values())
    handles = {name.lower() for ref in refs for name in (ref.key, ref.username) if name}
    return [key for key in options.member_map if key.lower() not in handles]


def _parse(source: ImportSource, path: Path) -> Parsed:
    if source is ImportSource.TRELLO:
        return read_trello_export(path)
    return read_internhub_export(path)


def _external_id(parsed: Parsed) -> str | None:
    if isinstance(parsed, TrelloBoard):
        return f"trello:{parsed.id}"
    return parsed.board.external_id


def _without_nul(value: Any) -> Any:
    """The report with NUL characters dropped from its texts (names from the file):
    PostgreSQL's JSON cannot hold them."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    return value


class BoardImportService:
    # --- starting -----------------------------------------------------------------------

    async def start(
        self,
        session: AsyncSession,
        actor: Actor,
        project_id: int,
        *,
        source: ImportSource,
        filename: str | None,
        stream: BinaryIO,
        options: ImportOptions,
    ) -> tuple[ImportJobRead, Parsed]:
        """Store, parse and check the upload; queue a job (4xx before any job exists)."""
        await enforce_rate_limit(
            session, get_settings().rate_limits.imports, ImportJob.created_by_id, actor.user_id
        )
        await board_transfer_service.importing_access(session, actor, project_id)
        store = uploads()
        limit = get_settings().import_max_bytes
        try:
            storage_name, size, _ = await asyncio.to_thread(store.store, stream, max_bytes=limit)
        except FileTooLargeError:
            raise ImportTooLargeError(f"Exports are limited to {limit} bytes.") from None
        on_rollback(session, lambda: store.remove(storage_name))
        parsed = await asyncio.to_thread(_parse, source, store.path_of(storage_name))
        # Checked when the import starts only: a job queued earlier keeps running.
        unknown = _unknown_member_map_keys(parsed, options)
        if unknown:
            raise InvalidImportOptionError(
                f"member_map names {unknown[0]!r}, which is nobody in the export.",
                field="member_map",
            )
        await self._check(session, project_id, parsed, options)
        job = await ImportJobRepository(session).add(
            ImportJob(
                project_id=project_id,
                created_by_id=actor.user_id or None,
                source=source.value,
                status=JobStatus.QUEUED.value,
                filename=(strip_invisible(filename or "").strip() or "export.json")[:255],
                size=size,
                storage_name=storage_name,
                options=options.model_dump(mode="json"),
                stage="queued",
                progress=0,
                attempts=0,
            )
        )
        return ImportJobRead.model_validate(job), parsed

    async def _check(
        self, session: AsyncSession, project_id: int, parsed: Parsed, options: ImportOptions
    ) -> None:
        external_id = _external_id(parsed)
        if external_id and not options.allow_copy:
            existing = await board_transfer_service.board_imported_from(
                session, project_id, external_id
            )
            if existing is not None:
                raise DuplicateImportError(existing)
        if isinstance(parsed, TrelloBoard):
            lists = {item.id for item in parsed.lists} | {
                item.name.strip().lower() for item in parsed.lists
            }
            for key in options.column_kinds:
                if key not in lists and key.lower() not in lists:
                    raise InvalidImportOptionError(
                        f"column_kinds names {key!r}, which is no list of the export.",
                        field="column_kinds",
                    )
        for username in options.member_map.values():
            found = await user_service.find_by_username(session, username)
            if found is None or found.is_placeholder or not found.is_active:
                raise InvalidImportOptionError(
                    f"member_map names {username!r}, which is no active user.",
                    field="member_map",
                )

    # --- running ------------------------------------------------------------------------

    async def run(self, database: Database, job_id: int, parsed: Parsed | None = None) -> None:
        """Do the job; never raises (the outcome is in the job row)."""
        try:
            async with database.transaction() as session:
                job = await ImportJobRepository(session).claim(job_id)
                if job is None:
                    return
                await ImportJobRepository(session).update_fields(
                    job_id,
                    status=JobStatus.RUNNING.value,
                    started_at=utcnow(),
                    attempts=job.attempts + 1,
                    stage="reading",
                    progress=0,
                    error=None,
                )
        except Exception:
            logger.exception("import %s: could not start", job_id)
            return
        started = time.perf_counter()
        try:
            storage_name = await self._import(database, job, parsed, started)
        except Exception as exc:
            if isinstance(exc, AppError):
                message = exc.detail
            else:
                logger.exception("import %s failed", job_id)
                message = "The import failed unexpectedly; nothing was imported. Retry it."
            await self._finish_failed(database, job_id, message[:2000])
            return
        if storage_name:
            uploads().remove(storage_name)
        logger.info("import %s succeeded in %.1f s", job_id, time.perf_counter() - started)

    async def _import(
        self, database: Database, job: ImportJob, parsed: Parsed | None, started: float
    ) -> str | None:
        async def progress(stage: str, percent: int) -> None:
            async with database.transaction() as side:
                await ImportJobRepository(side).update_fields(
                    job.id, stage=stage, progress=max(0, min(99, percent))
                )

        if parsed is None:
            if not job.storage_name:
                raise ImportNotRetryableError("The uploaded file is gone.")
            path = uploads().path_of(job.storage_name)
            if not path.exists():
                raise ImportNotRetryableError("The uploaded file is gone.")
            parsed = await asyncio.to_thread(_parse, ImportSource(job.source), path)
        options = ImportOptions.model_validate(job.options)
        async with database.transaction() as session:
            jobs = ImportJobRepository(session)
            await jobs.hold(job.id)
            external_id = _external_id(parsed)
            if external_id:  # two imports of one export into one project: one at a time
                await jobs.serialize_on(f"{job.project_id}:{external_id}")
            await self._check(session, job.project_id, parsed, options)
            await progress("people", 2)
            if isinstance(parsed, TrelloBoard):
                snapshot, details, people_report = await self._trello_snapshot(
                    session, parsed, options
                )
            else:
                snapshot, people_report = await self._internhub_snapshot(session, parsed, options)
                details = MappingReport().as_dict()
            result = await board_transfer_service.write_snapshot(
                session,
                job.project_id,
                snapshot,
                created_by_id=job.created_by_id,
                progress=progress,
            )
            await progress("statistics", 97)
            await board_transfer_service.refresh_statistics(session, result)
            report = {
                "board_id": result.board_id,
                "imported": result.counts,
                "skipped": details["skipped"],
                "counts": {**details["counts"], **result.extra},
                "warnings": details["warnings"],
                "columns": details["columns"],
                "people": people_report,
                "seconds": round(time.perf_counter() - started, 2),
            }
            await jobs.update_fields(
                job.id,
                status=JobStatus.SUCCEEDED.value,
                board_id=result.board_id,
                report=_without_nul(report),
                stage="done",
                progress=100,
                finished_at=utcnow(),
                storage_name=None,
            )
        return job.storage_name

    async def _trello_snapshot(
        self, session: AsyncSession, parsed: TrelloBoard, options: ImportOptions
    ) -> tuple[BoardSnapshot, dict[str, Any], list[dict[str, Any]]]:
        members, former = member_refs(parsed)
        matched = await people_matching_service.match(
            session, members, source=ImportSource.TRELLO, member_map=options.member_map
        )
        people, report = dict(matched.user_ids), list(matched.report)
        # Authors of actions who left the board: matched to accounts where possible,
        # otherwise their comments keep the name written in the action.
        if former:
            authors = await people_matching_service.match(
                session,
                former,
                source=ImportSource.TRELLO,
                member_map=options.member_map,
                placeholders=False,
            )
            people |= authors.user_ids
            report += authors.report
        snapshot, mapping = trello_to_snapshot(
            parsed, people=people, column_kinds=options.column_kinds, now=utcnow()
        )
        return snapshot, mapping.as_dict(), report

    async def _internhub_snapshot(
        self, session: AsyncSession, parsed: ParsedExport, options: ImportOptions
    ) -> tuple[BoardSnapshot, list[dict[str, Any]]]:
        refs = _internhub_refs(parsed)
        matched = await people_matching_service.match(
            session,
            list({ref.key: ref for ref in refs.values()}.values()),
            source=ImportSource.INTERNHUB,
            member_map=options.member_map,
        )
        people = {
            key: matched.user_ids[ref.key]
            for key, ref in refs.items()
            if ref.key in matched.user_ids
        }
        return export_to_snapshot(parsed, people), matched.report

    async def _finish_failed(self, database: Database, job_id: int, message: str) -> None:
        try:
            async with database.transaction() as session:
                await ImportJobRepository(session).update_fields(
                    job_id,
                    status=JobStatus.FAILED.value,
                    stage="failed",
                    error=message,
                    finished_at=utcnow(),
                )
        except Exception:
            logger.exception("import %s: could not record the failure", job_id)

    async def recover_interrupted(self, database: Database) -> list[int]:
        """At start-up: jobs whose process died are marked failed (they can be retried)."""
        async with database.transaction() as session:
            failed = await ImportJobRepository(session).fail_abandoned(queued_grace_seconds=60)
        if failed:
            logger.warning("imports interrupted by a restart, marked failed: %s", failed)
        return failed

    async def prune_uploads(
        self,
        database: Database,
        *,
        retention: dt.timedelta | None = None,
        orphans: bool = False,
    ) -> UploadPruneReport:
        """Uploaded files nobody will use again, removed:

        - the file of a failed import once the retention for retries has passed (the job
          stays, with its error; a retry asks for the file again);
        - a half-written upload an hour after its last write (a request storing one now
          is never that slow);
        - with `orphans`, a file that no job of this database points to, an hour after
          its last write (its request failed after storing it and the process died
          before the clean-up). Only right when DATA_DIR belongs to this database
          alone, so only `internhub prune-imports --orphans` asks for it.
        """
        if retention is None:
            retention = dt.timedelta(days=get_settings().import_failed_retention_days)
        store = uploads()
        async with database.transaction() as session:
            expired = await ImportJobRepository(session).expire_failed_uploads(utcnow() - retention)
        await asyncio.to_thread(store.remove_all, [name for _, name in expired])
        unused: list[str] = []
        if orphans:
            candidates = await asyncio.to_thread(store.files_older_than, ABANDONED_AFTER_SECONDS)
            async with database.transaction() as session:
                kept = await ImportJobRepository(session).referenced_storage_names(candidates)
            unused = sorted(set(candidates) - kept)
            await asyncio.to_thread(store.remove_all, unused)
        partial = await asyncio.to_thread(store.remove_partial_older_than, ABANDONED_AFTER_SECONDS)
        report = UploadPruneReport(
            expired_job_ids=sorted(job_id for job_id, _ in expired),
            orphan_files=len(unused),
            partial_files=partial,
        )
        if expired or unused or partial:
            logger.info("import uploads pruned: %s", report)
        return report

    # --- reading and retrying -----------------------------------------------------------

    async def _visible_job(
        self, session: AsyncSession, actor: Actor, job_id: int, *, for_update: bool = False
    ) -> ImportJob:
        job = await ImportJobRepository(session).get_by_id(job_id, for_update=for_update)
        if job is None:
            raise ImportJobNotFoundError
        try:
            await board_transfer_service.importing_access(session, actor, job.project_id)
        except AppError:
            # Whoever may not import into the project does not see its imports.
            raise ImportJobNotFoundError from None
        return job

    async def get(self, session: AsyncSession, actor: Actor, job_id: int) -> ImportJobRead:
        return ImportJobRead.model_validate(await self._visible_job(session, actor, job_id))

    async def list_for_project(
        self, session: AsyncSession, actor: Actor, project_id: int, page: PageParams
    ) -> Page[ImportJobRead]:
        await board_transfer_service.importing_access(session, actor, project_id)
        jobs, total = await ImportJobRepository(session).get_multi_by_project(
            project_id, limit=page.limit, offset=page.offset
        )
        return Page[ImportJobRead](
            items=[ImportJobRead.model_validate(j) for j in jobs],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def retry(self, session: AsyncSession, actor: Actor, job_id: int) -> ImportJobRead:
        job = await self._visible_job(session, actor, job_id, for_update=True)
        if job.status != JobStatus.FAILED.value:
            raise ImportNotRetryableError("Only a failed import can be retried.")
        if not job.storage_name or not uploads().path_of(job.storage_name).exists():
            raise ImportNotRetryableError("The uploaded file is gone; upload it again.")
        await ImportJobRepository(session).update_fields(
            job.id, status=JobStatus.QUEUED.value, stage="queued", progress=0, error=None
        )
        return ImportJobRead.model_validate(
            await ImportJobRepository(session).get_by_id(job.id, for_update=True)
        )

    # --- the command line ---------------------------------------------------------------

    async def import_file(
        self,
        database: Database,
        actor: Actor,
        project_id: int,
        path: Path,
        *,
        source: ImportSource,
        options: ImportOptions,
    ) -> ImportJobRead:
        """Import a file in the foreground (CLI); the job is recorded like any other."""
        async with database.transaction() as session:
            with path.open("rb") as stream:
                job, parsed = await self.start(
                    session,
                    actor,
                    project_id,
                    source=source,
                    filename=path.name,
                    stream=stream,
                    options=options,
                )
        await self.run(database, job.id, parsed)
        async with database.transaction() as session:
            found = await ImportJobRepository(session).get_by_id(job.id)
            assert found is not None
            return ImportJobRead.model_validate(found)


board_import_service = BoardImportService()
