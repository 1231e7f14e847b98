"""Queries on `login_attempts`: the audit trail and the brute-force counters."""

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, func, select, true

from ...lib.repository import RepositoryBase
from ..constants import LoginOutcome
from ..models.login_attempt_model import LoginAttempt

# Throttled attempts are recorded but do not extend the lock.
_COUNTED_FAILURES = (
    LoginOutcome.BAD_PASSWORD.value,
    LoginOutcome.UNKNOWN_USER.value,
    LoginOutcome.INACTIVE.value,
)


class LoginAttemptRepository(RepositoryBase[LoginAttempt]):
    model = LoginAttempt

    async def record(
        self,
        *,
        user_id: int | None,
        login: str,
        ip_address: str,
        outcome: LoginOutcome,
    ) -> None:
        self.session.add(
            LoginAttempt(
                user_id=user_id,
                login=login[:255],
                ip_address=ip_address[:64],
                succeeded=outcome is LoginOutcome.SUCCESS,
                outcome=outcome.value,
            )
        )
        await self.session.flush()

    async def recent_failures_for_account(
        self, *, user_id: int | None, login: str, since: dt.datetime
    ) -> tuple[int, dt.datetime | None]:
        """Failures since `since` and since the account's last success: (count, oldest)."""
        if user_id is not None:
            key: ColumnElement[bool] = LoginAttempt.user_id == user_id
        else:
            key = LoginAttempt.login == login
        last_success = (
            select(func.max(LoginAttempt.created_at))
            .where(key, LoginAttempt.succeeded.is_(True))
            .scalar_subquery()
        )
        stmt = select(func.count(), func.min(LoginAttempt.created_at)).where(
            key,
            LoginAttempt.outcome.in_(_COUNTED_FAILURES),
            LoginAttempt.created_at > since,
            LoginAttempt.created_at > func.coalesce(last_success, since),
        )
        count, oldest = (await self.session.execute(stmt)).one()
        return int(count), oldest

    async def recent_failures_for_ip(
        self, *, ip_address: str, since: dt.datetime
    ) -> tuple[int, dt.datetime | None]:
        stmt = select(func.count(), func.min(LoginAttempt.created_at)).where(
            LoginAttempt.ip_address == ip_address,
            LoginAttempt.outcome.in_(_COUNTED_FAILURES),
            LoginAttempt.created_at > since,
        )
        count, oldest = (await self.session.execute(stmt)).one()
        return int(count), oldest

    async def get_multi(
        self,
        *,
        user_id: int | None,
        ip_address: str | None,
        succeeded: bool | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[LoginAttempt], int]:
        conditions: list[ColumnElement[bool]] = []
        if user_id is not None:
            conditions.append(LoginAttempt.user_id == user_id)
        if ip_address is not None:
            conditions.append(LoginAttempt.ip_address == ip_address)
        if succeeded is not None:
            conditions.append(LoginAttempt.succeeded.is_(succeeded))
        where = and_(true(), *conditions)
        total = (
            await self.session.execute(select(func.count()).select_from(LoginAttempt).where(where))
        ).scalar_one()
        rows = await self.session.execute(
            select(LoginAttempt)
            .where(where)
            .order_by(LoginAttempt.created_at.desc(), LoginAttempt.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return rows.scalars().all(), total
