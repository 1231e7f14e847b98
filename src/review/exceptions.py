"""Errors of reviews."""

from ..lib.errors import ConflictError, NotFoundError, PermissionDeniedError, UnprocessableError


class ReviewNotFoundError(NotFoundError):
    code = "review_not_found"
    title = "Review not found"

    def __init__(self) -> None:
        super().__init__("Review not found.")


class ReviewPermissionError(PermissionDeniedError):
    code = "review_permission_denied"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)


class NotSubmittedError(ConflictError):
    code = "not_submitted"
    title = "Not submitted for review"

    def __init__(self) -> None:
        super().__init__("The card is not waiting for a review.")


class AlreadySubmittedError(ConflictError):
    code = "already_submitted"
    title = "Already submitted"

    def __init__(self) -> None:
        super().__init__("The card is already waiting for a review.")


class MissingColumnError(ConflictError):
    code = "missing_column"
    title = "The board lacks a column"

    def __init__(self, kind: str) -> None:
        super().__init__(f"The board has no column of kind '{kind}'.", extra={"kind": kind})


class InvalidGradeError(UnprocessableError):
    code = "invalid_grade"
    title = "Invalid grade"
