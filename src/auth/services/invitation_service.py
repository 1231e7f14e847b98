"""Invitations: an organiser invites an e-mail with a role; the link creates the account."""

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from ...config.project_config import get_settings
from ...internship.constants import InternshipStatus, ParticipantRole
from ...internship.exceptions import InternshipArchivedError
from ...internship.services.internship_service import internship_service
from ...internship.services.team_service import team_service
from ...lib.clock import utcnow
from ...lib.errors import UnprocessableError
from ...lib.mail import send_mail
from ...lib.pagination import Page, PageParams
from ...lib.rate_limit import enforce_rate_limit
from ...lib.security.actor import Actor
from ...user.exceptions import AdminRequiredError
from ...user.user_schema import UserCreate, UserRead
from ...user.user_service import user_service
from ..constants import InvitationRole, InvitationStatus
from ..exceptions import (
    InvitationEmailTakenError,
    InvitationForbiddenError,
    InvitationNotFoundError,
    InvitationUnusableError,
)
from ..models.invitation_model import Invitation
from ..repositories.invitation_repository import InvitationRepository
from ..schemas.invitation_schema import (
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationIssued,
    InvitationPreview,
    InvitationRead,
)
from .auth_service import auth_service
from .token_service import hash_opaque_token, token_service

ROLE_NAMES_RU = {
    InvitationRole.ADMIN: "организатор",
    InvitationRole.MENTOR: "ментор",
    InvitationRole.INTERN: "стажёр",
    InvitationRole.OBSERVER: "наблюдатель",
}


def invitation_status(invitation: Invitation, now: dt.datetime) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


def _read(invitation: Invitation, now: dt.datetime) -> InvitationRead:
    return InvitationRead.model_validate(
        {**_columns(invitation), "status": invitation_status(invitation, now)}
    )


def _columns(invitation: Invitation) -> dict[str, object]:
    return {c.key: getattr(invitation, c.key) for c in Invitation.__table__.columns}


class InvitationService:
    async def invite(
        self,
        session: AsyncSession,
        actor: Actor,
        data: InvitationCreate,
        *,
        rate_limited: bool = True,
    ) -> InvitationIssued:
        """Issue an invitation link. `rate_limited=False` is for bulk onboarding (the
        participants CSV), which has its own bounds and would trip the per-user limit."""
        if rate_limited:
            await enforce_rate_limit(
                session,
                get_settings().rate_limits.invitations,
                Invitation.invited_by_id,
                actor.user_id,
            )
        await self._check_may_invite(session, actor, data)
        if await user_service.email_is_taken(session, data.email):
            raise InvitationEmailTakenError
        settings = get_settings()
        token, token_hash = token_service.new_opaque_token()
        now = utcnow()
        invitation = await InvitationRepository(session).create(
            email=data.email,
            role=data.role.value,
            internship_id=data.internship_id,
            team_id=data.team_id,
            full_name=data.full_name,
            message=data.message,
            token_hash=token_hash,
            expires_at=now + dt.timedelta(days=settings.auth.invitation_ttl_days),
            invited_by_id=actor.user_id or None,
        )
        accept_url = f"{settings.public_base_url.rstrip('/')}/invite/{token}"
        email_sent = await send_mail(
            settings.smtp,
            to=invitation.email,
            subject="Приглашение в InternHub",
            body=_invitation_body(invitation, accept_url),
        )
        return InvitationIssued.model_validate(
            {
                **_read(invitation, now).model_dump(),
                "token": token,
                "accept_url": accept_url,
                "email_sent": email_sent,
            }
        )

    async def _check_may_invite(
        self, session: AsyncSession, actor: Actor, data: InvitationCreate
    ) -> None:
        """Organisers invite anyone; a mentor invites interns into a team they mentor."""
        if data.role is InvitationRole.ADMIN:
            if not actor.is_admin:
                raise AdminRequiredError
            if data.internship_id is not None or data.team_id is not None:
                raise UnprocessableError(
                    "Organiser invitations are not tied to an internship or team.",
                    field="internship_id",
                )
            return
        if data.team_id is not None and data.internship_id is None:
            raise UnprocessableError("A team needs its internship.", field="internship_id")
        if data.internship_id is None:
            if not actor.is_admin:
                raise AdminRequiredError
            return
        internship, access = await internship_service.access(session, actor, data.internship_id)
        if internship.status == InternshipStatus.ARCHIVED:
            raise InternshipArchivedError
        if data.team_id is not None:
            team = await team_service.team_access(session, actor, data.team_id)
            if team.internship_id != data.internship_id:
                raise UnprocessableError("The team belongs to another internship.", field="team_id")
            if not access.can_manage and not (
                team.can_manage and data.role is InvitationRole.INTERN
            ):
                raise InvitationForbiddenError("Mentors invite interns into their own teams.")
        elif not access.can_manage:
            raise InvitationForbiddenError("Only organisers invite into an internship.")
        if data.team_id is not None and data.role is InvitationRole.OBSERVER:
            raise UnprocessableError("Observers do not join teams.", field="team_id")

    async def list_invitations(
        self,
        session: AsyncSession,
        actor: Actor,
        *,
        status: InvitationStatus | None,
        email: str | None,
        page: PageParams,
    ) -> Page[InvitationRead]:
        if not actor.is_admin:
            raise AdminRequiredError
        now = utcnow()
        rows, total = await InvitationRepository(session).get_multi(
            status=status, email=email, now=now, limit=page.limit, offset=page.offset
        )
        return Page[InvitationRead](
            items=[_read(r, now) for r in rows], total=total, limit=page.limit, offset=page.offset
        )

    async def revoke(
        self, session: AsyncSession, actor: Actor, invitation_id: int
    ) -> InvitationRead:
        repo = InvitationRepository(session)
        invitation = await repo.get_by_id(invitation_id)
        # Invitations are visible to organisers only: for others they do not exist.
        if invitation is None or not actor.is_admin:
            raise InvitationNotFoundError
        now = utcnow()
        status = invitation_status(invitation, now)
        if status is InvitationStatus.ACCEPTED:
            raise InvitationUnusableError(status.value)
        if invitation.revoked_at is None:
            invitation.revoked_at = now
            await repo.save(invitation)
        return _read(invitation, now)

    async def has_pending(self, session: AsyncSession, email: str, internship_id: int) -> bool:
        """Whether the e-mail already holds a usable invitation into the internship."""
        return await InvitationRepository(session).has_pending(email, internship_id, utcnow())

    async def preview(self, session: AsyncSession, token: str) -> InvitationPreview:
        invitation = await InvitationRepository(session).get_by_hash(hash_opaque_token(token))
        if invitation is None:
            raise InvitationNotFoundError
        return InvitationPreview.model_validate(
            {**_columns(invitation), "status": invitation_status(invitation, utcnow())}
        )

    async def accept(
        self, session: AsyncSession, token: str, data: InvitationAccept
    ) -> InvitationAccepted:
        repo = InvitationRepository(session)
        # Locked: the same link accepted twice at once creates one account.
        invitation = await repo.get_by_hash(hash_opaque_token(token), for_update=True)
        if invitation is None:
            raise InvitationNotFoundError
        now = utcnow()
        status = invitation_status(invitation, now)
        if status is not InvitationStatus.PENDING:
            raise InvitationUnusableError(status.value)
        user = await user_service.register(
            session,
            UserCreate(
                email=invitation.email,
                username=data.username,
                full_name=data.full_name,
                password=data.password,
            ),
            is_admin=invitation.role == InvitationRole.ADMIN.value,
        )
        invitation.accepted_at = now
        invitation.accepted_user_id = user.id
        await repo.save(invitation)
        if invitation.internship_id is not None and invitation.role != InvitationRole.ADMIN:
            role = ParticipantRole(invitation.role)
            if (
                await internship_service.live_role(session, invitation.internship_id, user.id)
                is None
            ):
                await internship_service.enrol(session, invitation.internship_id, user.id, role)
            if invitation.team_id is not None:
                await team_service.join_from_invitation(session, invitation.team_id, user.id, role)
        tokens = await auth_service.issue_tokens(session, user.id)
        return InvitationAccepted(user=UserRead.model_validate(user), tokens=tokens)


def _invitation_body(invitation: Invitation, accept_url: str) -> str:
    role = ROLE_NAMES_RU.get(InvitationRole(invitation.role), invitation.role)
    lines = [
        "Здравствуйте!",
        "",
        f"Вас пригласили в InternHub — роль: {role}.",
    ]
    if invitation.message:
        lines += ["", invitation.message]
    lines += [
        "",
        "Чтобы создать учётную запись, откройте ссылку:",
        accept_url,
        "",
        f"Ссылка действует до {invitation.expires_at:%d.%m.%Y %H:%M} (UTC) и только один раз.",
        "",
        "Если вы не ждали этого письма, просто удалите его.",
    ]
    return "\n".join(lines)


invitation_service = InvitationService()
