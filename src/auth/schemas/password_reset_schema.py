"""Bodies of password resets."""

import datetime as dt
from typing import Annotated

from pydantic import Field, StrictInt

from ...lib.dtos.base_dto import BaseDTO, InputDTO
from ...lib.params import PG_BIGINT_MAX
from ...user.user_schema import Password


class PasswordResetCreate(InputDTO):
    user_id: Annotated[StrictInt, Field(ge=1, le=PG_BIGINT_MAX)]


class PasswordResetIssued(BaseDTO):
    id: int
    user_id: int
    expires_at: dt.datetime
    token: str
    reset_url: str
    email_sent: bool


class PasswordResetComplete(InputDTO):
    new_password: Password
