"""Bodies of internships and their participants."""

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    model_validator,
)

from ...lib.dtos.base_dto import BaseDTO, InputDTO, IsoDate
from ...lib.params import PG_BIGINT_MAX
from ...user.user_schema import UserRead
from ..constants import (
    DEFAULT_TIMEZONE,
    GradingScale,
    InternshipStatus,
    ParticipantRole,
    ParticipantStatus,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, Field(max_length=20_000)]
UserId = Annotated[StrictInt, Field(ge=1, le=PG_BIGINT_MAX)]
# Dates within a sane range: internships are planned, not historical.
PlanDate = Annotated[IsoDate, Field(ge=dt.date(2000, 1, 1), le=dt.date(2100, 12, 31))]


def _known_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{value}'") from None
    return value


TimeZone = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(_known_timezone),
    Field(description="IANA time zone, e.g. Europe/Moscow; decides what «a day» is."),
]


class ProgressWeights(InputDTO):
    """Weights of the progress score's parts (renormalised over the parts with data)."""

    completion: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.35
    on_time: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.25
    grade: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.30
    quality: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.10


class RiskThresholds(InputDTO):
    """When an intern is flagged as at risk."""

    inactive_days: Annotated[StrictInt, Field(ge=1, le=90)] = 5
    overdue_cards: Annotated[StrictInt, Field(ge=1, le=100)] = 3
    stuck_days: Annotated[StrictInt, Field(ge=1, le=90)] = 7
    min_grade: Annotated[Decimal | None, Field(ge=0, le=100)] = Field(
        default=None, description="Default: 3.5 on 2–5, 3 on 1–5, 60 on 0–100."
    )
    max_rework_rate: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.5


class AnalyticsConfig(InputDTO):
    weights: ProgressWeights = ProgressWeights()
    risk: RiskThresholds = RiskThresholds()


class InternshipCreate(InputDTO):
    name: Name
    description: LongText = ""
    start_date: PlanDate
    end_date: PlanDate
    timezone: TimeZone = DEFAULT_TIMEZONE
    grading_scale: GradingScale = GradingScale.FIVE_POINT
    analytics_config: AnalyticsConfig = AnalyticsConfig()

    @model_validator(mode="after")
    def _dates_ordered(self) -> Self:
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class InternshipUpdate(InputDTO):
    name: Name | None = None
    description: LongText | None = None
    start_date: PlanDate | None = None
    end_date: PlanDate | None = None
    timezone: TimeZone | None = None
    grading_scale: GradingScale | None = None
    analytics_config: AnalyticsConfig | None = None


class InternshipStatusChange(InputDTO):
    status: InternshipStatus


class InternshipRead(BaseDTO):
    id: int
    name: str
    description: str
    start_date: dt.date
    end_date: dt.date
    timezone: str
    status: InternshipStatus
    grading_scale: GradingScale
    analytics_config: AnalyticsConfig
    created_at: dt.datetime
    updated_at: dt.datetime


class ParticipantCreate(InputDTO):
    user_id: UserId
    role: ParticipantRole


class ParticipantUpdate(InputDTO):
    role: ParticipantRole | None = None
    status: ParticipantStatus | None = None
    reason: Annotated[str | None, Field(default=None, max_length=2000)] = None


class ParticipantRead(BaseDTO):
    internship_id: int
    user: UserRead
    role: ParticipantRole
    status: ParticipantStatus
    status_changed_at: dt.datetime | None
    status_reason: str | None
    team_id: int | None = Field(description="The team the intern belongs to, if any.")
    archived_at: dt.datetime | None
    created_at: dt.datetime


class ParticipantFilters(BaseDTO):
    role: ParticipantRole | None = None
    status: ParticipantStatus | None = None
    team_id: int | None = None
    q: str | None = None
    include_archived: bool = False


ImportAction = Literal["invite", "add_participant", "update", "already_there", "error"]


class ImportRowReport(BaseDTO):
    row: int = Field(description="Line number in the file (the header is line 1).")
    email: str
    full_name: str
    role: str
    team: str
    action: ImportAction
    detail: str
    user_id: int | None = None
    invitation_id: int | None = None
    accept_url: str | None = None


class ImportReport(BaseDTO):
    dry_run: bool
    applied: bool
    rows: list[ImportRowReport]
    teams_to_create: list[str]
    summary: dict[str, int]
