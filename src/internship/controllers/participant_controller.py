"""Participants of an internship: add, list, change role or status, remove, CSV import."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import PG_BIGINT_MAX, IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS, Problem
from ..constants import ParticipantRole, ParticipantStatus
from ..schemas.internship_schema import (
    ImportReport,
    ParticipantCreate,
    ParticipantFilters,
    ParticipantRead,
    ParticipantUpdate,
)
from ..services.import_service import MAX_CSV_BYTES, import_service
from ..services.internship_service import internship_service

router = APIRouter()


def participant_filters(
    role: ParticipantRole | None = None,
    status: ParticipantStatus | None = None,
    team_id: Annotated[int | None, Query(ge=1, le=PG_BIGINT_MAX)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Text in name or e-mail.")] = None,
    include_archived: bool = False,
) -> ParticipantFilters:
    return ParticipantFilters(
        role=role, status=status, team_id=team_id, q=q, include_archived=include_archived
    )


@router.post(
    "/{internship_id}/participants",
    status_code=201,
    response_model=ParticipantRead,
    responses=WRITE_ERRORS,
)
async def add_participant(
    internship_id: IdPath, data: ParticipantCreate, actor: CurrentActor, session: SessionDep
) -> ParticipantRead:
    """Add a user to the internship as mentor, intern or observer (organisers)."""
    return await internship_service.add_participant(session, actor, internship_id, data)


@router.get(
    "/{internship_id}/participants", response_model=Page[ParticipantRead], responses=READ_ERRORS
)
async def list_participants(
    internship_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    page: PageDep,
    filters: Annotated[ParticipantFilters, Depends(participant_filters)],
) -> Page[ParticipantRead]:
    """Participants you may see (interns: their teammates and the mentors)."""
    return await internship_service.list_participants(session, actor, internship_id, filters, page)


@router.get(
    "/{internship_id}/participants/{user_id}", response_model=ParticipantRead, responses=READ_ERRORS
)
async def get_participant(
    internship_id: IdPath, user_id: IdPath, actor: CurrentActor, session: SessionDep
) -> ParticipantRead:
    """One participant."""
    return await internship_service.get_participant(session, actor, internship_id, user_id)


@router.patch(
    "/{internship_id}/participants/{user_id}",
    response_model=ParticipantRead,
    responses=WRITE_ERRORS,
)
async def update_participant(
    internship_id: IdPath,
    user_id: IdPath,
    data: ParticipantUpdate,
    actor: CurrentActor,
    session: SessionDep,
) -> ParticipantRead:
    """Change role, or status (completed / dropped, with the reason); organisers."""
    return await internship_service.update_participant(session, actor, internship_id, user_id, data)


@router.delete(
    "/{internship_id}/participants/{user_id}",
    response_model=ParticipantRead,
    responses=WRITE_ERRORS,
)
async def remove_participant(
    internship_id: IdPath, user_id: IdPath, actor: CurrentActor, session: SessionDep
) -> ParticipantRead:
    """Remove from the internship: archived, with tasks, comments and grades kept."""
    return await internship_service.remove_participant(session, actor, internship_id, user_id)


@router.post(
    "/{internship_id}/participants/import",
    response_model=ImportReport,
    responses={
        **WRITE_ERRORS,
        400: {"model": Problem, "description": "Not a CSV file, or empty."},
        413: {"model": Problem},
    },
)
async def import_participants(
    internship_id: IdPath,
    actor: CurrentActor,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="CSV: email; full name; role; team")],
    dry_run: bool = False,
) -> ImportReport:
    """Bulk onboarding from a CSV file as Excel writes it; `dry_run` reports and writes
    nothing; the real run is all-or-nothing (422 with the report when any row is wrong)."""
    content = await file.read(MAX_CSV_BYTES + 1)
    return await import_service.import_csv(session, actor, internship_id, content, dry_run=dry_run)
