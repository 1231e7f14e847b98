"""Constants of the internship context: statuses, roles, grading scales."""

from enum import StrEnum


class InternshipStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    FINISHED = "finished"
    ARCHIVED = "archived"


# draft → active → finished → archived; a draft may be dropped straight to the archive,
# and a finished internship may be reopened.
STATUS_TRANSITIONS: dict[InternshipStatus, frozenset[InternshipStatus]] = {
    InternshipStatus.DRAFT: frozenset({InternshipStatus.ACTIVE, InternshipStatus.ARCHIVED}),
    InternshipStatus.ACTIVE: frozenset({InternshipStatus.FINISHED}),
    InternshipStatus.FINISHED: frozenset({InternshipStatus.ARCHIVED, InternshipStatus.ACTIVE}),
    InternshipStatus.ARCHIVED: frozenset(),
}


class GradingScale(StrEnum):
    """Scales reviews grade on: the Russian school scale 2–5 (default), 1–5, 0–100 points."""

    FIVE_POINT = "2-5"
    ONE_TO_FIVE = "1-5"
    HUNDRED_POINT = "0-100"

    @property
    def bounds(self) -> tuple[int, int]:
        low, high = self.value.split("-")
        return int(low), int(high)


class ParticipantRole(StrEnum):
    MENTOR = "mentor"
    INTERN = "intern"
    # Read-only on everything in the internship, analytics included (HR, management).
    OBSERVER = "observer"


class ParticipantStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DROPPED = "dropped"


class TeamRole(StrEnum):
    MENTOR = "mentor"
    MEMBER = "member"


class ProjectStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


DEFAULT_TIMEZONE = "Europe/Moscow"
