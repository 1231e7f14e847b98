"""Reviews: rubric, submit, review, correct a grade, read grades, the review queue."""

from fastapi import APIRouter

from ...auth.dependencies import CurrentActor
from ...config.database.db_helper import SessionDep
from ...lib.pagination import Page, PageDep
from ...lib.params import IdPath
from ...lib.problem_details import READ_ERRORS, WRITE_ERRORS
from ..schemas.review_schema import (
    CriterionRead,
    GradeCorrectionCreate,
    ReviewCreate,
    ReviewRead,
    ReviewRequestRead,
    RubricUpdate,
)
from ..services.review_service import review_service

internship_router = APIRouter()
card_router = APIRouter()
router = APIRouter()


@internship_router.get(
    "/{internship_id}/rubric", response_model=list[CriterionRead], responses=READ_ERRORS
)
async def get_rubric(
    internship_id: IdPath, actor: CurrentActor, session: SessionDep
) -> list[CriterionRead]:
    """The internship's rubric (empty: plain grades)."""
    return await review_service.rubric(session, actor, internship_id)


@internship_router.put(
    "/{internship_id}/rubric", response_model=list[CriterionRead], responses=WRITE_ERRORS
)
async def set_rubric(
    internship_id: IdPath, data: RubricUpdate, actor: CurrentActor, session: SessionDep
) -> list[CriterionRead]:
    """Replace the rubric: criteria with a maximum and a label per score (organisers)."""
    return await review_service.set_rubric(session, actor, internship_id, data)


@internship_router.get(
    "/{internship_id}/reviews/pending",
    response_model=Page[ReviewRequestRead],
    responses=WRITE_ERRORS,
)
async def review_queue(
    internship_id: IdPath, actor: CurrentActor, session: SessionDep, page: PageDep
) -> Page[ReviewRequestRead]:
    """Cards waiting for review, oldest first (mentors: their teams)."""
    return await review_service.queue(session, actor, internship_id, page)


@card_router.post(
    "/{card_id}/submit", status_code=201, response_model=ReviewRequestRead, responses=WRITE_ERRORS
)
async def submit_card(
    card_id: IdPath, actor: CurrentActor, session: SessionDep
) -> ReviewRequestRead:
    """Send the card for review (it moves into the review column)."""
    return await review_service.submit(session, actor, card_id)


@card_router.post(
    "/{card_id}/review", status_code=201, response_model=ReviewRead, responses=WRITE_ERRORS
)
async def review_card(
    card_id: IdPath, data: ReviewCreate, actor: CurrentActor, session: SessionDep
) -> ReviewRead:
    """Accept with a grade and feedback (→ done) or return for rework (→ in progress)."""
    return await review_service.review(session, actor, card_id, data)


@card_router.get("/{card_id}/reviews", response_model=list[ReviewRead], responses=READ_ERRORS)
async def card_reviews(
    card_id: IdPath, actor: CurrentActor, session: SessionDep
) -> list[ReviewRead]:
    """Every review of the card (interns: only of their own cards)."""
    return await review_service.card_reviews(session, actor, card_id)


@router.post("/{review_id}/corrections", response_model=ReviewRead, responses=WRITE_ERRORS)
async def correct_grade(
    review_id: IdPath, data: GradeCorrectionCreate, actor: CurrentActor, session: SessionDep
) -> ReviewRead:
    """Correct a grade; the old grade, the new one and the reason are recorded."""
    return await review_service.correct(session, actor, review_id, data)
