"""Login, token refresh and revocation, the acting user behind a request, password change."""

import datetime as dt
import math
import uuid
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession

from ...config.project_config import get_settings
from ...lib.clock import utcnow
from ...lib.pagination import Page, PageParams
from ...lib.security.actor import Actor
from ...lib.security.passwords import (
    check_password_policy,
    hash_password,
    password_hash,
    password_user_inputs,
    verify_password,
)
from ...user.exceptions import AdminRequiredError
from ...user.user_schema import Credentials
from ...user.user_service import TokenHolder, user_service
from ..constants import LoginOutcome
from ..exceptions import (
    InvalidCredentialsError,
    InvalidRefreshTokenError,
    InvalidTokenError,
    LoginThrottledError,
    RefreshTokenReusedError,
    WrongCurrentPasswordError,
)
from ..repositories.login_attempt_repository import LoginAttemptRepository
from ..repositories.refresh_token_repository import RefreshTokenRepository
from ..repositories.revoked_token_repository import RevokedTokenRepository
from ..repositories.token_revocation_repository import TokenRevocationRepository
from ..schemas.login_attempt_schema import LoginAttemptRead
from ..schemas.token_schema import LogoutRequest, PasswordChange, TokenPair
from .token_service import AccessClaims, hash_opaque_token, token_service


@lru_cache
def _dummy_hash() -> str:
    # Verified against when the login matches nobody, so both cases take as long.
    return password_hash().hash("not-a-real-password-for-timing")


class AuthService:
    # --- login ------------------------------------------------------------------------

    async def login(
        self, session: AsyncSession, *, login: str, password: str, ip_address: str
    ) -> TokenPair:
        """Check credentials, with throttling per account and per address; every attempt
        is recorded."""
        attempts = LoginAttemptRepository(session)
        normalised = login.strip().lower()
        credentials = await user_service.get_credentials(session, normalised)
        user_id = credentials.user_id if credentials else None

        now = utcnow()
        retry_after = await self._throttle(
            attempts, user_id=user_id, login=normalised, ip_address=ip_address, now=now
        )
        if retry_after is not None:
            await attempts.record(
                user_id=user_id,
                login=normalised,
                ip_address=ip_address,
                outcome=LoginOutcome.THROTTLED,
            )
            raise LoginThrottledError(retry_after)

        ok, new_hash = await verify_password(
            password, credentials.hashed_password if credentials else _dummy_hash()
        )
        outcome = LoginOutcome.SUCCESS
        if credentials is None:
            outcome = LoginOutcome.UNKNOWN_USER
        elif not ok:
            outcome = LoginOutcome.BAD_PASSWORD
        elif not credentials.is_active:
            outcome = LoginOutcome.INACTIVE
        await attempts.record(
            user_id=user_id, login=normalised, ip_address=ip_address, outcome=outcome
        )
        if outcome is not LoginOutcome.SUCCESS or credentials is None:
            raise InvalidCredentialsError
        if new_hash is not None:  # parameters changed since the hash was made
            await user_service.set_password_hash(
                session, credentials.user_id, new_hash, invalidate=False
            )
        await user_service.record_login(session, credentials.user_id)
        return await self._issue_pair(session, credentials.user_id, family_id=uuid.uuid4())

    async def _throttle(
        self,
        attempts: LoginAttemptRepository,
        *,
        user_id: int | None,
        login: str,
        ip_address: str,
        now: dt.datetime,
    ) -> int | None:
        """Seconds to wait, when the account or the address is locked."""
        settings = get_settings().auth
        window = dt.timedelta(minutes=settings.login_window_minutes)
        since = now - window
        waits: list[int] = []
        ip_count, ip_oldest = await attempts.recent_failures_for_ip(
            ip_address=ip_address, since=since
        )
        if ip_count >= settings.login_max_failures_per_ip and ip_oldest is not None:
            waits.append(_seconds_until(ip_oldest + window, now))
        # Unknown logins are counted by the text typed, so a lock never tells
        # whether an account exists.
        account_count, account_oldest = await attempts.recent_failures_for_account(
            user_id=user_id, login=login, since=since
        )
        if account_count >= settings.login_max_failures_per_account and account_oldest:
            waits.append(_seconds_until(account_oldest + window, now))
        return max(waits) if waits else None

    # --- the acting user --------------------------------------------------------------

    async def authenticate(self, session: AsyncSession, token: str) -> Actor:
        """The user behind an access token, or 401."""
        claims = token_service.decode_access_token(token)
        holder = await user_service.get_token_holder(session, claims.user_id)
        self._check_token_holder(holder, claims)
        assert holder is not None
        revocation = await TokenRevocationRepository(session).revocation(
            claims.jti, claims.session_id
        )
        if revocation.token_revoked:
            raise InvalidTokenError("The access token was revoked.")
        if revocation.session_revoked:
            raise InvalidTokenError("The sign-in this access token belongs to was ended.")
        return Actor(user_id=holder.user_id, is_admin=holder.is_admin)

    @staticmethod
    def _check_token_holder(holder: TokenHolder | None, claims: AccessClaims) -> None:
        if holder is None or not holder.is_active:
            raise InvalidTokenError("The account is not active.")
        valid_after = holder.tokens_valid_after
        if valid_after is not None and claims.issued_at < valid_after.replace(
            microsecond=(valid_after.microsecond // 1000) * 1000
        ):
            raise InvalidTokenError("The access token was issued before the password changed.")

    # --- refresh and logout -----------------------------------------------------------

    async def refresh(self, session: AsyncSession, refresh_token: str) -> TokenPair:
        """Rotate: the presented token is spent and a new pair is issued. Presenting a
        spent token again revokes its whole family (it was stolen, or replayed)."""
        repo = RefreshTokenRepository(session)
        now = utcnow()
        token = await repo.get_by_hash_for_update(hash_opaque_token(refresh_token))
        if token is None or token.revoked_at is not None:
            raise InvalidRefreshTokenError
        if token.used_at is not None:
            await repo.revoke_family(token.family_id, now)
            raise RefreshTokenReusedError
        if token.expires_at <= now:
            raise InvalidRefreshTokenError
        credentials = await user_service.get_credentials_by_id(session, token.user_id)
        if credentials is None or not credentials.is_active:
            raise InvalidRefreshTokenError
        valid_after = credentials.tokens_valid_after
        if valid_after is not None and token.created_at < valid_after:
            raise InvalidRefreshTokenError
        await repo.mark_used(token, now)
        return await self._issue_pair(session, token.user_id, family_id=token.family_id)

    async def logout(
        self, session: AsyncSession, actor: Actor, claims: AccessClaims, data: LogoutRequest
    ) -> None:
        now = utcnow()
        await RevokedTokenRepository(session).revoke(
            jti=claims.jti, user_id=actor.user_id, expires_at=claims.expires_at
        )
        repo = RefreshTokenRepository(session)
        if data.everywhere:
            await repo.revoke_all_for_user(actor.user_id, now)
            await user_service.invalidate_tokens(session, actor.user_id)
            return
        if data.refresh_token:
            token = await repo.get_by_hash_for_update(hash_opaque_token(data.refresh_token))
            if token is not None and token.user_id == actor.user_id:
                await repo.revoke_family(token.family_id, now)

    async def revoke_all_sessions(self, session: AsyncSession, user_id: int) -> None:
        await RefreshTokenRepository(session).revoke_all_for_user(user_id, utcnow())

    # --- password ---------------------------------------------------------------------

    async def change_password(
        self, session: AsyncSession, actor: Actor, data: PasswordChange
    ) -> TokenPair:
        """With the current password; every other session ends, this one continues."""
        credentials = await user_service.get_credentials_by_id(session, actor.user_id)
        if credentials is None:
            raise InvalidTokenError
        ok, _ = await verify_password(data.current_password, credentials.hashed_password)
        if not ok:
            raise WrongCurrentPasswordError
        await self.set_new_password(session, credentials, data.new_password)
        return await self._issue_pair(session, credentials.user_id, family_id=uuid.uuid4())

    async def set_new_password(
        self, session: AsyncSession, credentials: Credentials, password: str
    ) -> None:
        await check_password_policy(
            password,
            user_inputs=password_user_inputs(
                username=credentials.username,
                email=credentials.email,
                full_name=credentials.full_name,
            ),
            field="new_password",
        )
        user_id = credentials.user_id
        await user_service.set_password_hash(
            session, user_id, await hash_password(password), invalidate=True
        )
        await RefreshTokenRepository(session).revoke_all_for_user(user_id, utcnow())

    # --- audit ------------------------------------------------------------------------

    async def list_login_attempts(
        self,
        session: AsyncSession,
        actor: Actor,
        *,
        user_id: int | None,
        ip_address: str | None,
        succeeded: bool | None,
        page: PageParams,
    ) -> Page[LoginAttemptRead]:
        if not actor.is_admin:
            raise AdminRequiredError
        rows, total = await LoginAttemptRepository(session).get_multi(
            user_id=user_id,
            ip_address=ip_address,
            succeeded=succeeded,
            limit=page.limit,
            offset=page.offset,
        )
        return Page[LoginAttemptRead](
            items=[LoginAttemptRead.model_validate(r) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    # --- issuing ----------------------------------------------------------------------

    async def issue_tokens(self, session: AsyncSession, user_id: int) -> TokenPair:
        """A fresh login for a user who just proved who they are (invitation accepted)."""
        return await self._issue_pair(session, user_id, family_id=uuid.uuid4())

    async def _issue_pair(
        self, session: AsyncSession, user_id: int, *, family_id: uuid.UUID
    ) -> TokenPair:
        settings = get_settings().auth
        access = token_service.issue_access_token(user_id, session_id=family_id)
        refresh, refresh_hash = token_service.new_opaque_token()
        ttl = dt.timedelta(days=settings.refresh_token_ttl_days)
        await RefreshTokenRepository(session).create(
            user_id=user_id,
            family_id=family_id,
            token_hash=refresh_hash,
            expires_at=utcnow() + ttl,
        )
        return TokenPair(
            access_token=access.token,
            expires_in=access.expires_in,
            refresh_token=refresh,
            refresh_expires_in=int(ttl.total_seconds()),
        )


def _seconds_until(moment: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((moment - now).total_seconds()))


auth_service = AuthService()
