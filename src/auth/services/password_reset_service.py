"""Password resets: an organiser issues a one-time link; the user sets a new password."""

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from ...config.project_config import get_settings
from ...lib.clock import utcnow
from ...lib.mail import send_mail
from ...lib.rate_limit import enforce_rate_limit
from ...lib.security.actor import Actor
from ...user.exceptions import AdminRequiredError
from ...user.user_service import user_service
from ..exceptions import PasswordResetNotFoundError, PasswordResetUnusableError
from ..models.password_reset_model import PasswordReset
from ..repositories.password_reset_repository import PasswordResetRepository
from ..schemas.password_reset_schema import (
    PasswordResetComplete,
    PasswordResetCreate,
    PasswordResetIssued,
)
from .auth_service import auth_service
from .token_service import hash_opaque_token, token_service


class PasswordResetService:
    async def issue(
        self, session: AsyncSession, actor: Actor, data: PasswordResetCreate
    ) -> PasswordResetIssued:
        await enforce_rate_limit(
            session,
            get_settings().rate_limits.password_resets,
            PasswordReset.created_by_id,
            actor.user_id,
        )
        # Visibility before permission: an unknown or invisible user is a 404.
        user = await user_service.get_user(session, actor, data.user_id)
        if not actor.is_admin:
            raise AdminRequiredError
        settings = get_settings()
        now = utcnow()
        repo = PasswordResetRepository(session)
        # Lock the user: links issued at the same moment revoke each other in turn.
        await user_service.lock(session, user.id)
        await repo.revoke_open_for_user(user.id, now)  # only the newest link works
        token, token_hash = token_service.new_opaque_token()
        reset = await repo.create(
            user_id=user.id,
            token_hash=token_hash,
            expires_at=now + dt.timedelta(hours=settings.auth.password_reset_ttl_hours),
            created_by_id=actor.user_id or None,
        )
        reset_url = f"{settings.public_base_url.rstrip('/')}/reset-password/{token}"
        body = "\n".join(
            [
                "Здравствуйте!",
                "",
                "Организатор InternHub выдал вам ссылку для смены пароля:",
                reset_url,
                "",
                f"Ссылка действует до {reset.expires_at:%d.%m.%Y %H:%M} (UTC) и только один раз.",
                "После смены пароля все ваши сеансы будут завершены.",
            ]
        )
        email_sent = await send_mail(
            settings.smtp, to=user.email, subject="Смена пароля в InternHub", body=body
        )
        return PasswordResetIssued(
            id=reset.id,
            user_id=user.id,
            expires_at=reset.expires_at,
            token=token,
            reset_url=reset_url,
            email_sent=email_sent,
        )

    async def complete(
        self, session: AsyncSession, token: str, data: PasswordResetComplete
    ) -> None:
        repo = PasswordResetRepository(session)
        reset = await repo.get_by_hash_for_update(hash_opaque_token(token))
        if reset is None:
            raise PasswordResetNotFoundError
        now = utcnow()
        if reset.used_at is not None:
            raise PasswordResetUnusableError("used")
        if reset.revoked_at is not None:
            raise PasswordResetUnusableError("revoked")
        if reset.expires_at <= now:
            raise PasswordResetUnusableError("expired")
        credentials = await user_service.get_credentials_by_id(session, reset.user_id)
        if credentials is None:
            raise PasswordResetNotFoundError
        await auth_service.set_new_password(session, credentials, data.new_password)
        reset.used_at = now
        await repo.save(reset)


password_reset_service = PasswordResetService()
