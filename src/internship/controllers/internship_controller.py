"""Internships: create, list, read, edit, change status."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import IdPath
from ...lib.problem_details import Problem
from ..constants import InternshipStatus
from ..schemas.internship_schema import (
    InternshipCreate,
    InternshipRead,
    InternshipStatusChange,
    InternshipUpdate,
)
from ..services.internship_service import internship_service

router = APIRouter()

_READ: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem},
    404: {"model": Problem, "description": "No such internship, or not yours to see."},
}
_WRITE: dict[int | str, dict[str, Any]] = {
    **_READ,
    403: {"model": Problem, "description": "Organisers only."},
    409: {"model": Problem, "description": "Archived, or an illegal status change."},
}


@router.post(
    "",
    status_code=201,
    response_model=InternshipRead,
    responses={401: {"model": Problem}, 403: {"model": Problem}},
)
async def create_internship(
    data: InternshipCreate, actor: CurrentActor, session: SessionDep
) -> InternshipRead:
    """Create an internship (a cohort); it starts as a draft."""
    return InternshipRead.model_validate(await internship_service.create(session, actor, data))


@router.get("", response_model=Page[InternshipRead], responses={401: {"model": Problem}})
async def list_internships(
    actor: CurrentActor,
    session: SessionDep,
    page: PageDep,
    status: InternshipStatus | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[InternshipRead]:
    """Internships you take part in (organisers: all), newest first."""
    return await internship_service.list_internships(session, actor, status=status, q=q, page=page)


@router.get("/{internship_id}", response_model=InternshipRead, responses=_READ)
async def get_internship(
    internship_id: IdPath, actor: CurrentActor, session: SessionDep
) -> InternshipRead:
    """Read one internship."""
    return InternshipRead.model_validate(
        await internship_service.get(session, actor, internship_id)
    )


@router.patch("/{internship_id}", response_model=InternshipRead, responses=_WRITE)
async def update_internship(
    internship_id: IdPath, data: InternshipUpdate, actor: CurrentActor, session: SessionDep
) -> InternshipRead:
    """Edit name, description, dates, time zone or grading scale (organisers)."""
    return InternshipRead.model_validate(
        await internship_service.update(session, actor, internship_id, data)
    )


@router.post("/{internship_id}/status", response_model=InternshipRead, responses=_WRITE)
async def change_internship_status(
    internship_id: IdPath, data: InternshipStatusChange, actor: CurrentActor, session: SessionDep
) -> InternshipRead:
    """Move the internship along draft → active → finished → archived (organisers)."""
    return InternshipRead.model_validate(
        await internship_service.change_status(session, actor, internship_id, data)
    )
