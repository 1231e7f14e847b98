"""Per-user limits on writes, counted from the rows the user wrote recently.

The rows themselves are the counter (comments by their author, attachments by their
uploader, …): every process sees the same count, and nothing else needs storing or
expiring. A limit is checked by one indexed query before the use case writes; requests
of one user that arrive at the same instant may pass a little over it (each sees the
others' rows only once they commit), which is fine for a guard against floods.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, cast, extract, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from .errors import TooManyRequestsError


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `limit` rows of `what` per `window`; a limit of 0 means none."""

    what: str
    limit: int
    window: dt.timedelta

    @classmethod
    def per_minute(cls, what: str, limit: int) -> "RateLimit":
        return cls(what=what, limit=limit, window=dt.timedelta(minutes=1))

    @classmethod
    def per_hour(cls, what: str, limit: int) -> "RateLimit":
        return cls(what=what, limit=limit, window=dt.timedelta(hours=1))

    def describe(self) -> str:
        minutes = int(self.window.total_seconds()) // 60
        span = {1: "minute", 60: "hour"}.get(minutes, f"{minutes} minutes")
        return f"{self.limit} {self.what} per {span}"


class RateLimitedError(TooManyRequestsError):
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, rule: RateLimit, retry_after: int) -> None:
        super().__init__(
            f"At most {rule.describe()}; try again in {retry_after} s.", retry_after=retry_after
        )
        self.extra.update(
            limit=rule.limit, window_seconds=int(rule.window.total_seconds()), what=rule.what
        )


async def enforce_rate_limit(
    session: AsyncSession,
    rule: RateLimit,
    owner: InstrumentedAttribute[Any],
    user_id: int | None,
) -> None:
    """Raise `RateLimitedError` (429 with Retry-After) when `user_id` already wrote
    `rule.limit` rows of `owner`'s table (`owner`: the column naming who wrote the row)
    within `rule.window`. The table's `created_at` (the database's clock) dates a row."""
    if rule.limit <= 0 or not user_id:
        return
    created_at = owner.class_.created_at
    window = literal(rule.window)
    # The oldest of the last `limit` rows: once it is `window` old, one more is allowed.
    seconds_left = cast(func.ceil(extract("epoch", created_at + window - func.now())), Integer)
    stmt = (
        select(seconds_left)
        .where(owner == user_id, created_at > func.now() - window)
        .order_by(created_at.desc())
        .offset(rule.limit - 1)
        .limit(1)
    )
    wait = (await session.execute(stmt)).scalar_one_or_none()
    if wait is not None:
        raise RateLimitedError(rule, retry_after=max(1, wait))
