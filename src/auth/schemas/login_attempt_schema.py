"""The login audit trail as organisers see it."""

import datetime as dt

from ...lib.dtos.base_dto import BaseDTO


class LoginAttemptRead(BaseDTO):
    id: int
    user_id: int | None
    login: str
    ip_address: str
    succeeded: bool
    outcome: str
    created_at: dt.datetime
