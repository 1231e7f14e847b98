"""Bodies of login, refresh, logout and password change."""

from typing import Annotated, Literal

from pydantic import Field, StrictBool

from ...lib.dtos.base_dto import BaseDTO, InputDTO
from ...user.user_schema import Password

Secret = Annotated[str, Field(min_length=1, max_length=256)]


class LoginRequest(InputDTO):
    login: Annotated[str, Field(min_length=1, max_length=255, description="Username or e-mail.")]
    password: Secret


class TokenPair(BaseDTO):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - OAuth2 token type
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str
    refresh_expires_in: int = Field(description="Seconds until the refresh token expires.")


class RefreshRequest(InputDTO):
    refresh_token: Secret


class LogoutRequest(InputDTO):
    refresh_token: Secret | None = Field(
        default=None, description="Revoke this login's refresh tokens as well."
    )
    everywhere: StrictBool = Field(
        default=False, description="End every session of the user, on every device."
    )


class PasswordChange(InputDTO):
    current_password: Secret
    new_password: Password
