"""Errors of the internship context."""

from ..lib.errors import (
    AlreadyExistsError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UnprocessableError,
)


class InternshipNotFoundError(NotFoundError):
    code = "internship_not_found"
    title = "Internship not found"

    def __init__(self) -> None:
        super().__init__("Internship not found.")


class TeamNotFoundError(NotFoundError):
    code = "team_not_found"
    title = "Team not found"

    def __init__(self) -> None:
        super().__init__("Team not found.")


class ProjectNotFoundError(NotFoundError):
    code = "project_not_found"
    title = "Project not found"

    def __init__(self) -> None:
        super().__init__("Project not found.")


class ParticipantNotFoundError(NotFoundError):
    code = "participant_not_found"
    title = "Participant not found"

    def __init__(self) -> None:
        super().__init__("This user does not take part in the internship.")


class InternshipPermissionError(PermissionDeniedError):
    code = "internship_permission_denied"

    def __init__(self, detail: str = "You may not change this.") -> None:
        super().__init__(detail)


class IllegalStatusTransitionError(ConflictError):
    code = "illegal_status_transition"
    title = "Illegal status change"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            f"An internship cannot go from '{current}' to '{target}'.",
            extra={"current_status": current, "requested_status": target},
        )


class InternshipArchivedError(ConflictError):
    code = "internship_archived"
    title = "Internship archived"

    def __init__(self) -> None:
        super().__init__("The internship is archived and read-only.")


class ParticipantAlreadyExistsError(AlreadyExistsError):
    code = "participant_already_exists"
    title = "Already a participant"

    def __init__(self) -> None:
        super().__init__("This user already takes part in the internship.")


class TeamNameTakenError(AlreadyExistsError):
    code = "team_name_taken"
    title = "Team name taken"

    def __init__(self) -> None:
        super().__init__("The internship already has a team with this name.")


class InternAlreadyInTeamError(ConflictError):
    code = "intern_already_in_team"
    title = "Intern already in a team"

    def __init__(self) -> None:
        super().__init__("An intern belongs to at most one team per internship.")


class NotAnInternshipParticipantError(UnprocessableError):
    code = "not_a_participant"
    title = "Not a participant in the required role"

    def __init__(self, detail: str, *, field: str = "user_id") -> None:
        super().__init__(detail, field=field)


class InvalidDatesError(UnprocessableError):
    code = "invalid_dates"
    title = "Invalid dates"

    def __init__(self, detail: str = "The end date is before the start date.") -> None:
        super().__init__(detail, field="end_date")


class TeamArchivedError(ConflictError):
    code = "team_archived"
    title = "Team archived"

    def __init__(self) -> None:
        super().__init__("The team is archived; restore it first.")


class CsvImportError(BadRequestError):
    code = "invalid_csv"
    title = "Invalid CSV file"
