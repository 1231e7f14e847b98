"""Bodies of rubrics, submissions and reviews."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, StrictInt, StringConstraints

from ...lib.dtos.base_dto import BaseDTO, InputDTO
from ..constants import Decision, RequestStatus

Feedback = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class CriterionIn(InputDTO):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    description: Annotated[str, Field(max_length=2000)] = ""
    max_score: Annotated[StrictInt, Field(ge=1, le=100)]
    score_labels: Annotated[
        dict[Annotated[int, Field(ge=0, le=100)], Annotated[str, Field(max_length=100)]],
        Field(max_length=101),
    ] = {}


class RubricUpdate(InputDTO):
    criteria: Annotated[list[CriterionIn], Field(max_length=20)]


class CriterionRead(BaseDTO):
    id: int
    name: str
    description: str
    max_score: int
    position: int
    score_labels: dict[str, str]


class ReviewCreate(InputDTO):
    decision: Decision
    grade: Annotated[Decimal | None, Field(ge=-1000, le=1000, max_digits=7, decimal_places=2)] = (
        Field(default=None, description="On the internship's scale (checked against it).")
    )
    scores: Annotated[
        dict[Annotated[int, Field(ge=1)], Annotated[StrictInt, Field(ge=0, le=100)]] | None,
        Field(max_length=20, description="Rubric: criterion id → score."),
    ] = None
    feedback: Feedback


class GradeCorrectionCreate(InputDTO):
    grade: Annotated[Decimal | None, Field(ge=0, le=100, max_digits=6, decimal_places=2)] = None
    scores: Annotated[
        dict[Annotated[int, Field(ge=1)], Annotated[int, Field(ge=0, le=100)]] | None,
        Field(max_length=20),
    ] = None
    reason: Feedback


class ReviewRequestRead(BaseDTO):
    id: int
    card_id: int
    internship_id: int
    team_id: int
    submitted_by_id: int | None
    submitted_at: dt.datetime
    status: RequestStatus
    closed_at: dt.datetime | None


class GradeCorrectionRead(BaseDTO):
    corrected_by_id: int | None
    old_grade: Decimal
    new_grade: Decimal
    reason: str
    created_at: dt.datetime


class ReviewRead(BaseDTO):
    id: int
    card_id: int
    internship_id: int
    reviewer_id: int | None
    decision: Decision
    grade: Decimal | None
    scores: dict[str, Any]
    feedback: str
    response_seconds: int
    created_at: dt.datetime
    corrected_at: dt.datetime | None
    corrections: list[GradeCorrectionRead] = []
