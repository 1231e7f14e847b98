"""Bodies of invitations."""

import datetime as dt
from typing import Annotated

from pydantic import Field, StrictInt

from ...lib.dtos.base_dto import BaseDTO, InputDTO
from ...lib.params import PG_BIGINT_MAX
from ...user.user_schema import Email, FullName, Password, Username, UserRead
from ..constants import InvitationRole, InvitationStatus
from .token_schema import TokenPair

OptionalId = Annotated[StrictInt | None, Field(default=None, ge=1, le=PG_BIGINT_MAX)]


class InvitationCreate(InputDTO):
    email: Email
    role: InvitationRole
    internship_id: OptionalId = None
    team_id: OptionalId = None
    full_name: Annotated[str | None, Field(default=None, max_length=200)] = Field(
        default=None, description="Suggested name, pre-filled when the link is opened."
    )
    message: Annotated[str | None, Field(default=None, max_length=2000)] = None


class InvitationRead(BaseDTO):
    id: int
    email: str
    role: InvitationRole
    status: InvitationStatus
    internship_id: int | None
    team_id: int | None
    full_name: str | None
    message: str | None
    invited_by_id: int | None
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    accepted_user_id: int | None
    revoked_at: dt.datetime | None
    created_at: dt.datetime


class InvitationIssued(InvitationRead):
    """Returned once, when the invitation is created: the only place the token appears."""

    token: str
    accept_url: str
    email_sent: bool


class InvitationPreview(BaseDTO):
    """What the invited person sees before accepting."""

    email: str
    full_name: str | None
    role: InvitationRole
    status: InvitationStatus
    expires_at: dt.datetime
    message: str | None


class InvitationAccept(InputDTO):
    username: Username
    full_name: Annotated[FullName, Field(min_length=1)]
    password: Password


class InvitationAccepted(BaseDTO):
    user: UserRead
    tokens: TokenPair
