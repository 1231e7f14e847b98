"""Errors of the auth context."""

from ..lib.errors import (
    BadRequestError,
    ConflictError,
    GoneError,
    NotFoundError,
    PermissionDeniedError,
    TooManyRequestsError,
    UnauthorizedError,
)


class InvalidCredentialsError(UnauthorizedError):
    code = "invalid_credentials"
    title = "Invalid credentials"
    commit_changes = True  # the failed attempt is recorded

    def __init__(self) -> None:
        super().__init__("Incorrect login or password.")


class LoginThrottledError(TooManyRequestsError):
    code = "login_throttled"
    title = "Too many failed logins"
    commit_changes = True

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Too many failed login attempts; try again later.", retry_after=retry_after
        )


class InvalidTokenError(UnauthorizedError):
    code = "invalid_token"
    title = "Invalid token"
    bearer_error = "invalid_token"

    def __init__(self, detail: str = "The access token is invalid.") -> None:
        super().__init__(detail)


class TokenExpiredError(InvalidTokenError):
    code = "token_expired"
    title = "Token expired"

    def __init__(self) -> None:
        super().__init__("The access token has expired.")


class InvalidRefreshTokenError(UnauthorizedError):
    code = "invalid_refresh_token"
    title = "Invalid refresh token"
    bearer_error = "invalid_token"

    def __init__(self, detail: str = "The refresh token is invalid or expired.") -> None:
        super().__init__(detail)


class RefreshTokenReusedError(InvalidRefreshTokenError):
    code = "refresh_token_reused"
    title = "Refresh token reused"
    commit_changes = True  # the whole family is revoked and stays revoked

    def __init__(self) -> None:
        super().__init__(
            "This refresh token was already used; every session of its login is revoked."
        )


class WrongCurrentPasswordError(BadRequestError):
    code = "wrong_current_password"
    title = "Wrong current password"

    def __init__(self) -> None:
        super().__init__("The current password is not correct.")


class InvitationNotFoundError(NotFoundError):
    code = "invitation_not_found"
    title = "Invitation not found"

    def __init__(self) -> None:
        super().__init__("No such invitation.")


class InvitationUnusableError(GoneError):
    """The link was used, revoked or has expired."""

    code = "invitation_unusable"
    title = "Invitation can no longer be used"

    def __init__(self, status: str) -> None:
        super().__init__(f"This invitation is {status}.", extra={"invitation_status": status})


class InvitationEmailTakenError(ConflictError):
    code = "invitation_email_taken"
    title = "E-mail already registered"

    def __init__(self) -> None:
        super().__init__("An account with this e-mail already exists.")


class InvitationForbiddenError(PermissionDeniedError):
    code = "invitation_forbidden"
    title = "Not allowed to invite"

    def __init__(self, detail: str = "You may not send this invitation.") -> None:
        super().__init__(detail)


class PasswordResetNotFoundError(NotFoundError):
    code = "password_reset_not_found"
    title = "Password reset not found"

    def __init__(self) -> None:
        super().__init__("No such password reset link.")


class PasswordResetUnusableError(GoneError):
    code = "password_reset_unusable"
    title = "Password reset link can no longer be used"

    def __init__(self, status: str) -> None:
        super().__init__(f"This password reset link is {status}.", extra={"reset_status": status})
