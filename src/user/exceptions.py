"""Errors of the user context."""

from ..lib.errors import AlreadyExistsError, NotFoundError


class UserNotFoundError(NotFoundError):
    code = "user_not_found"
    title = "User not found"

    def __init__(self) -> None:
        super().__init__("User not found")


class UserAlreadyExistsError(AlreadyExistsError):
    code = "user_already_exists"
    title = "User already exists"

    def __init__(self, field: str) -> None:
        super().__init__(
            f"A user with this {field} already exists.",
            extra={"field": field},
        )
