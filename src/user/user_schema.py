"""Request and response bodies of the users API."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, Field, StringConstraints

from ..lib.dtos.base_dto import BaseDTO, InputDTO

# ASCII only: a username is how people find and @mention each other, and letters of
# other scripts that look like Latin ones (Cyrillic «о» in `i.petrоv`) would let one
# account pass for another. Full names stay in any script.
USERNAME_PATTERN = r"^[A-Za-z0-9._\-]{3,32}$"

Username = Annotated[
    str,
    StringConstraints(min_length=3, max_length=32, pattern=USERNAME_PATTERN),
    Field(description="3–32 Latin letters (a–z), digits, `_`, `.` or `-`; unique ignoring case."),
]
Password = Annotated[
    str,
    Field(min_length=8, max_length=128, description="8–128 characters; stored only as a hash."),
]


def _normalise_email(value: str) -> str:
    return value.strip().lower()


Email = Annotated[
    EmailStr,
    Field(max_length=255, description="Unique ignoring case."),
    AfterValidator(_normalise_email),
]
FullName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class UserCreate(InputDTO):
    email: Email
    username: Username
    password: Password
    full_name: FullName = ""


class UserUpdate(InputDTO):
    """What a user may change in their own profile."""

    full_name: FullName | None = None


class UserRead(BaseDTO):
    id: int
    email: str
    username: str
    full_name: str
    is_active: bool
    is_admin: bool
    is_placeholder: bool = Field(
        default=False,
        description="Known only from an import: cannot sign in; merge it into a real account.",
    )
    merged_into_id: int | None = None
    created_at: dt.datetime


UserSort = Literal["username", "-username", "full_name", "-full_name", "created_at", "-created_at"]


class UserFilters(BaseDTO):
    q: str | None = None
    is_active: bool | None = None
    is_admin: bool | None = None
    sort: UserSort = "username"


class Credentials(BaseDTO):
    """What the auth context needs to check a login; never leaves the server."""

    user_id: int
    username: str
    email: str
    full_name: str
    hashed_password: str
    is_active: bool
    is_admin: bool
    tokens_valid_after: dt.datetime | None


class UserMerge(InputDTO):
    """Merge a placeholder (from an import) into a real account."""

    into_user_id: int = Field(ge=1, le=9_223_372_036_854_775_807)


class PlaceholderSpec(BaseDTO):
    """Someone an import names who matches no account: known by `source` and `key` (e.g.
    "trello" and a member id), so a later import finds the same placeholder."""

    source: str
    key: str
    username: str = ""
    full_name: str = ""

    @property
    def external_id(self) -> str:
        return f"{self.source}:{self.key}"[:64]


class PlaceholderUser(BaseDTO):
    user_id: int  # the placeholder, or the account it was merged into
    created: bool  # made by this call (else found: an earlier or a concurrent import's)
