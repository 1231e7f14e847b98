"""What the dashboards return."""

import datetime as dt
from typing import Literal

from pydantic import Field

from ...lib.dtos.base_dto import BaseDTO


class Period(BaseDTO):
    date_from: dt.date = Field(description="First day, in the internship's time zone.")
    date_to: dt.date = Field(description="Last day (inclusive).")
    timezone: str


class RiskFlag(BaseDTO):
    code: Literal["inactive", "overdue", "stuck", "low_grade", "rework"]
    reason: str = Field(description="Why, in words (Russian, for the people who read it).")


class Metrics(BaseDTO):
    """Progress over the period; rates are 0..1, times in hours, grades on the scale."""

    assigned: int
    completed: int
    completion_rate: float | None
    on_time_rate: float | None
    open_overdue: int
    average_grade: float | None
    weighted_grade: float | None
    rework_rate: float | None
    cycle_hours_avg: float | None
    cycle_hours_median: float | None
    lead_hours_avg: float | None
    lead_hours_median: float | None
    progress_score: float | None = Field(description="0..100, see the README for the formula.")


class InternMetrics(Metrics):
    user_id: int
    full_name: str
    username: str
    team_id: int | None
    stuck_cards: int
    last_activity_at: dt.datetime | None
    flags: list[RiskFlag]


class TeamMetrics(Metrics):
    team_id: int
    name: str


class WeekPoint(BaseDTO):
    week: dt.date = Field(description="Monday of the week.")
    completed: int = 0
    events: int = 0
    comments: int = 0


class InternDashboard(BaseDTO):
    period: Period
    metrics: InternMetrics
    weekly: list[WeekPoint]
    cohort_median: Metrics = Field(description="The median intern of the internship.")


class TeamDashboard(BaseDTO):
    period: Period
    metrics: TeamMetrics
    members: list[InternMetrics]
    weekly: list[WeekPoint]


class GradeBucket(BaseDTO):
    grade: float
    count: int


class CriterionAverage(BaseDTO):
    criterion_id: int
    name: str
    max_score: int
    average: float | None
    reviews: int


class MentorResponse(BaseDTO):
    reviewer_id: int
    full_name: str
    reviews: int
    hours_avg: float | None
    hours_median: float | None


class InternshipDashboard(BaseDTO):
    period: Period
    interns: list[InternMetrics]
    teams: list[TeamMetrics]
    grade_distribution: list[GradeBucket]
    rubric_averages: list[CriterionAverage]
    mentor_response: list[MentorResponse]
    at_risk: list[InternMetrics]


class FlowDay(BaseDTO):
    day: dt.date
    backlog: int = 0
    todo: int = 0
    in_progress: int = 0
    review: int = 0
    done: int = 0


class BurndownDay(BaseDTO):
    day: dt.date
    remaining: float
    ideal: float


class BoardFlow(BaseDTO):
    board_id: int
    period: Period
    days: list[FlowDay]


class Burndown(BaseDTO):
    board_id: int
    period: Period
    unit: Literal["cards", "points"]
    days: list[BurndownDay]


InternSort = Literal[
    "full_name",
    "assigned",
    "completed",
    "completion_rate",
    "on_time_rate",
    "open_overdue",
    "average_grade",
    "weighted_grade",
    "rework_rate",
    "cycle_hours_median",
    "lead_hours_median",
    "progress_score",
    "last_activity_at",
]
