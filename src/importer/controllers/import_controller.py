"""HTTP endpoints of imports (Trello and InternHub exports) and board exports."""

import json
from dataclasses import dataclass
from typing import Annotated, Any, cast

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    File,
    Form,
    Header,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS, Problem, problem_responses
from ...lib.security.actor import Actor
from ..constants import CSV_LANGUAGES, ImportSource
from ..schemas.import_schema import (
    CsvLanguage,
    ExportFormat,
    ImportJobRead,
    ImportOptions,
)
from ..services.board_export_service import board_export_service
from ..services.board_import_service import Parsed, board_import_service

project_router = APIRouter()
router = APIRouter()
board_router = APIRouter()

_IMPORT_ERRORS: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    **problem_responses(
        409,
        413,
        422,
        s409="This export was imported into the project before (send allow_copy=true).",
        s413="The file is larger than IMPORT_MAX_BYTES.",
        s422="Not valid JSON, not a board export, a required key missing, or bad options.",
    ),
}


def _options(allow_copy: bool, member_map: str | None, column_kinds: str | None) -> ImportOptions:
    raw: dict[str, Any] = {"allow_copy": allow_copy}
    for name, text in (("member_map", member_map), ("column_kinds", column_kinds)):
        if text is None or not text.strip():
            continue
        try:
            raw[name] = json.loads(text)
        except ValueError:
            raise RequestValidationError(
                [{"type": "json_invalid", "loc": ("body", name), "msg": "must be JSON text"}]
            ) from None
    try:
        return ImportOptions.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_input=False)]
        ) from None


@dataclass(frozen=True, slots=True)
class _Runner:
    """Runs an import job after the response (the job row is committed by then)."""

    request: Request
    tasks: BackgroundTasks

    def run(self, job_id: int, parsed: Parsed | None) -> None:
        self.tasks.add_task(
            board_import_service.run, self.request.app.state.database, job_id, parsed
        )


def _runner(request: Request, tasks: BackgroundTasks) -> _Runner:
    return _Runner(request, tasks)


RunnerDep = Annotated[_Runner, Depends(_runner)]


async def _start(
    source: ImportSource,
    project_id: int,
    file: UploadFile,
    options: ImportOptions,
    actor: Actor,
    session: AsyncSession,
    runner: _Runner,
) -> ImportJobRead:
    job, parsed = await board_import_service.start(
        session,
        actor,
        project_id,
        source=source,
        filename=file.filename,
        stream=file.file,
        options=options,
    )
    runner.run(job.id, parsed)
    return job


def _csv_language(accept_language: str | None) -> CsvLanguage:
    """The language of a CSV export from an Accept-Language header: the supported one
    the client prefers most (`q` weights; `q=0` refuses), else Russian."""
    best: CsvLanguage = "ru"
    best_weight = 0.0
    for part in (accept_language or "").split(","):
        tag, *params = part.strip().split(";")
        weight = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in CSV_LANGUAGES and weight > best_weight:
            best, best_weight = cast(CsvLanguage, primary), weight
    return best


_ALLOW_COPY = Form(description="Import again even if this export was imported before.")
_MEMBER_MAP = Form(description='JSON: {"trello member id or username": "internhub username"}.')
_COLUMN_KINDS = Form(
    description='JSON: {"list id or name": "done"}; kinds: backlog, todo, '
    "in_progress, review, done."
)


@project_router.post(
    "/{project_id}/imports/trello",
    status_code=202,
    response_model=ImportJobRead,
    responses=_IMPORT_ERRORS,
)
async def import_trello(
    project_id: IdPath,
    file: Annotated[UploadFile, File(description="Trello's board export (JSON).")],
    actor: CurrentActor,
    session: SessionDep,
    runner: RunnerDep,
    allow_copy: Annotated[bool, _ALLOW_COPY] = False,
    member_map: Annotated[str | None, _MEMBER_MAP] = None,
    column_kinds: Annotated[str | None, _COLUMN_KINDS] = None,
) -> ImportJobRead:
    """Import a Trello board export as a new board of the project (mentors of the team,
    organisers). The file is checked at once; the import itself runs in the background:
    follow it at `GET /imports/{id}`."""
    options = _options(allow_copy, member_map, column_kinds)
    return await _start(ImportSource.TRELLO, project_id, file, options, actor, session, runner)


@project_router.post(
    "/{project_id}/imports/internhub",
    status_code=202,
    response_model=ImportJobRead,
    responses=_IMPORT_ERRORS,
)
async def import_internhub(
    project_id: IdPath,
    file: Annotated[UploadFile, File(description="A board exported by InternHub (JSON).")],
    actor: CurrentActor,
    session: SessionDep,
    runner: RunnerDep,
    allow_copy: Annotated[bool, _ALLOW_COPY] = False,
    member_map: Annotated[str | None, _MEMBER_MAP] = None,
) -> ImportJobRead:
    """Import a board exported by InternHub (`GET /boards/{id}/export?format=json`)."""
    options = _options(allow_copy, member_map, None)
    return await _start(ImportSource.INTERNHUB, project_id, file, options, actor, session, runner)


@project_router.get(
    "/{project_id}/imports", response_model=Page[ImportJobRead], responses=WRITE_ERRORS
)
async def list_imports(
    project_id: IdPath, page: PageDep, actor: CurrentActor, session: SessionDep
) -> Page[ImportJobRead]:
    """Imports into the project, newest first (whoever may import into it)."""
    return await board_import_service.list_for_project(session, actor, project_id, page)


@router.get("/{import_id}", response_model=ImportJobRead, responses=READ_ERRORS)
async def get_import(import_id: IdPath, actor: CurrentActor, session: SessionDep) -> ImportJobRead:
    """An import's status, progress and report."""
    return await board_import_service.get(session, actor, import_id)


@router.post(
    "/{import_id}/retry",
    status_code=202,
    response_model=ImportJobRead,
    responses={**WRITE_ERRORS, 409: {"model": Problem, "description": "Not a failed import."}},
)
async def retry_import(
    import_id: IdPath, actor: CurrentActor, session: SessionDep, runner: RunnerDep
) -> ImportJobRead:
    """Run a failed import again from its stored file."""
    job = await board_import_service.retry(session, actor, import_id)
    runner.run(job.id, None)
    return job


@board_router.get(
    "/{board_id}/export",
    response_class=Response,
    responses={
        **READ_ERRORS,
        200: {
            "content": {"application/json": {}, "text/csv": {}},
            "description": "The board in InternHub's format (JSON) or as a CSV table.",
        },
    },
)
async def export_board(
    board_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    format: Annotated[ExportFormat, Query(description="json or csv")] = "json",
    lang: Annotated[
        CsvLanguage | None,
        Query(
            description="csv: the language of headers and statuses (else Accept-Language, else ru)."
        ),
    ] = None,
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Response:
    """Export a board: `json` is InternHub's own format (imports back without loss),
    `csv` one row per card (UTF-8 with BOM, `;`) in one language, Russian or English."""
    headers = {"Content-Disposition": f'attachment; filename="board-{board_id}.{format}"'}
    if format == "csv":
        language = lang or _csv_language(accept_language)
        body = await board_export_service.export_csv(session, actor, board_id, language=language)
        media = "text/csv; charset=utf-8"
        headers["Content-Language"] = language
    else:
        body = await board_export_service.export_json(session, actor, board_id)
        media = "application/json"
    return Response(content=body, media_type=media, headers=headers)
