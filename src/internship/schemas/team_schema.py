"""Bodies of teams and projects."""

import datetime as dt
from typing import Annotated, Self

from pydantic import AnyHttpUrl, Field, StrictInt, StringConstraints, model_validator

from ...lib.dtos.base_dto import BaseDTO, InputDTO
from ...lib.params import PG_BIGINT_MAX
from ..constants import ProjectStatus, TeamRole
from .internship_schema import LongText, PlanDate

TeamName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
ProjectName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
UserId = Annotated[StrictInt, Field(ge=1, le=PG_BIGINT_MAX)]


class TeamCreate(InputDTO):
    name: TeamName
    description: LongText = ""
    mentor_ids: Annotated[list[UserId], Field(max_length=20)] = []
    member_ids: Annotated[list[UserId], Field(max_length=200)] = []


class TeamUpdate(InputDTO):
    name: TeamName | None = None
    description: LongText | None = None


class TeamMemberAdd(InputDTO):
    user_id: UserId
    role: TeamRole = TeamRole.MEMBER


class TeamMemberRead(BaseDTO):
    user_id: int
    role: TeamRole
    created_at: dt.datetime


class TeamRead(BaseDTO):
    id: int
    internship_id: int
    name: str
    description: str
    archived_at: dt.datetime | None
    created_at: dt.datetime
    mentors: list[TeamMemberRead]
    members: list[TeamMemberRead]


class ProjectLink(InputDTO):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    url: AnyHttpUrl


class ProjectCreate(InputDTO):
    name: ProjectName
    description: LongText = ""
    goal: LongText = ""
    start_date: PlanDate | None = None
    end_date: PlanDate | None = None
    links: Annotated[list[ProjectLink], Field(max_length=50)] = []
    status: ProjectStatus = ProjectStatus.PLANNED

    @model_validator(mode="after")
    def _dates_ordered(self) -> Self:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class ProjectUpdate(InputDTO):
    name: ProjectName | None = None
    description: LongText | None = None
    goal: LongText | None = None
    start_date: PlanDate | None = None
    end_date: PlanDate | None = None
    links: Annotated[list[ProjectLink] | None, Field(max_length=50)] = None
    status: ProjectStatus | None = None


class ProjectLinkRead(BaseDTO):
    title: str
    url: str


class ProjectRead(BaseDTO):
    id: int
    team_id: int
    internship_id: int
    name: str
    description: str
    goal: str
    start_date: dt.date | None
    end_date: dt.date | None
    links: list[ProjectLinkRead]
    status: ProjectStatus
    archived_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
