"""The shared base of every domain error: an HTTP status and a stable error code.

Contexts subclass these in their own `exceptions.py`; `lib.problem_details` renders
all of them, in one place, as RFC 9457 problem details.
"""

from collections.abc import Mapping
from typing import Any, ClassVar


class AppError(Exception):
    """A failure the client can act upon."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"
    # The use case failed, but what it recorded must stand (an audit row, a revoked
    # token family): the unit of work commits instead of rolling back.
    commit_changes: ClassVar[bool] = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.detail = detail or self.title
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})
        super().__init__(self.detail)


class BadRequestError(AppError):
    pass


class NotFoundError(AppError):
    """Missing, or not visible to the actor: both answer 404."""

    status_code = 404
    code = "not_found"
    title = "Not found"


class ConflictError(AppError):
    status_code = 409
    code = "conflict"
    title = "Conflict"


class AlreadyExistsError(ConflictError):
    code = "already_exists"
    title = "Already exists"


class PermissionDeniedError(AppError):
    """Visible to the actor, but the action is not theirs to take."""

    status_code = 403
    code = "permission_denied"
    title = "Permission denied"


class UnprocessableError(AppError):
    """Well-formed input that breaks a business rule (dates out of order, ...)."""

    status_code = 422
    code = "unprocessable"
    title = "Unprocessable input"

    def __init__(
        self,
        detail: str | None = None,
        *,
        field: str | None = None,
        location: str = "body",
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        merged = dict(extra or {})
        if field is not None:
            merged.setdefault("errors", [{"loc": [location, *field.split(".")], "msg": detail}])
        super().__init__(detail, extra=merged)


class UnauthorizedError(AppError):
    status_code = 401
    code = "not_authenticated"
    title = "Not authenticated"
    bearer_error: ClassVar[str | None] = None

    def __init__(self, detail: str | None = None) -> None:
        challenge = "Bearer"
        if self.bearer_error:
            challenge += f' error="{self.bearer_error}"'
        super().__init__(detail, headers={"WWW-Authenticate": challenge})


class TooManyRequestsError(AppError):
    status_code = 429
    code = "too_many_requests"
    title = "Too many requests"

    def __init__(self, detail: str | None = None, *, retry_after: int) -> None:
        super().__init__(
            detail, extra={"retry_after": retry_after}, headers={"Retry-After": str(retry_after)}
        )


class GoneError(AppError):
    status_code = 410
    code = "gone"
    title = "Gone"


class PayloadTooLargeError(AppError):
    status_code = 413
    code = "payload_too_large"
    title = "Payload too large"


class ServiceUnavailableError(AppError):
    status_code = 503
    code = "service_unavailable"
    title = "Service unavailable"
