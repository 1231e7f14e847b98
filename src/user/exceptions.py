"""Errors of the user context."""

from ..lib.errors import AlreadyExistsError, ConflictError, NotFoundError, PermissionDeniedError


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


class AdminRequiredError(PermissionDeniedError):
    code = "admin_required"
    title = "Organiser rights required"

    def __init__(self) -> None:
        super().__init__("Only organisers (administrators) may do this.")


class CannotDeactivateSelfError(ConflictError):
    code = "cannot_deactivate_self"
    title = "Cannot deactivate yourself"

    def __init__(self) -> None:
        super().__init__("An organiser cannot deactivate their own account.")


class NotAPlaceholderError(ConflictError):
    code = "not_a_placeholder"
    title = "Not a placeholder"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
