"""Errors of analytics."""

from ..lib.errors import PermissionDeniedError, UnprocessableError


class AnalyticsPermissionError(PermissionDeniedError):
    code = "analytics_permission_denied"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)


class InvalidPeriodError(UnprocessableError):
    code = "invalid_period"
    title = "Invalid period"
