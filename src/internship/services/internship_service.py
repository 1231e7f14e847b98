"""Internships and their participants."""

from sqlalchemy.ext.asyncio import AsyncSession

from ...lib.clock import utcnow
from ...lib.pagination import Page, PageParams
from ...lib.security.actor import Actor
from ...user.user_service import user_service
from ..constants import (
    STATUS_TRANSITIONS,
    InternshipStatus,
    ParticipantRole,
    ParticipantStatus,
    TeamRole,
)
from ..exceptions import (
    IllegalStatusTransitionError,
    InternshipArchivedError,
    InternshipNotFoundError,
    InternshipPermissionError,
    InvalidDatesError,
    NotAnInternshipParticipantError,
    ParticipantAlreadyExistsError,
    ParticipantNotFoundError,
)
from ..models.internship_model import Internship
from ..models.participant_model import Participant
from ..repositories.internship_repository import InternshipRepository
from ..repositories.participant_repository import ParticipantRepository
from ..repositories.team_repository import TeamMemberRepository
from ..schemas.internship_schema import (
    InternshipCreate,
    InternshipRead,
    InternshipStatusChange,
    InternshipUpdate,
    ParticipantCreate,
    ParticipantFilters,
    ParticipantRead,
    ParticipantUpdate,
)
from .access import InternshipAccess


class InternshipService:
    # --- access -----------------------------------------------------------------------

    async def access(
        self, session: AsyncSession, actor: Actor, internship_id: int
    ) -> tuple[Internship, InternshipAccess]:
        """The internship and the actor's rights on it; 404 when they may not read it."""
        internship = await InternshipRepository(session).get_by_id(internship_id)
        if internship is None:
            raise InternshipNotFoundError
        role: ParticipantRole | None = None
        if not actor.is_admin:
            raw = await ParticipantRepository(session).get_live_role(internship_id, actor.user_id)
            role = ParticipantRole(raw) if raw else None
        access = InternshipAccess(internship_id=internship_id, is_admin=actor.is_admin, role=role)
        if not access.can_read:
            raise InternshipNotFoundError
        return internship, access

    async def _manageable(
        self, session: AsyncSession, actor: Actor, internship_id: int, *, writable: bool = True
    ) -> Internship:
        internship, access = await self.access(session, actor, internship_id)
        if not access.can_manage:
            raise InternshipPermissionError("Only organisers manage internships.")
        if writable and internship.status == InternshipStatus.ARCHIVED:
            raise InternshipArchivedError
        return internship

    # --- internships ------------------------------------------------------------------

    async def create(
        self, session: AsyncSession, actor: Actor, data: InternshipCreate
    ) -> Internship:
        if not actor.is_admin:
            raise InternshipPermissionError("Only organisers create internships.")
        return await InternshipRepository(session).add(
            Internship(
                name=data.name,
                description=data.description,
                start_date=data.start_date,
                end_date=data.end_date,
                timezone=data.timezone,
                grading_scale=data.grading_scale.value,
                analytics_config=data.analytics_config.model_dump(mode="json"),
                status=InternshipStatus.DRAFT.value,
            )
        )

    async def list_internships(
        self,
        session: AsyncSession,
        actor: Actor,
        *,
        status: InternshipStatus | None,
        q: str | None,
        page: PageParams,
    ) -> Page[InternshipRead]:
        rows, total = await InternshipRepository(session).get_multi(
            actor,
            status=status.value if status else None,
            q=q,
            limit=page.limit,
            offset=page.offset,
        )
        return Page[InternshipRead](
            items=[InternshipRead.model_validate(r) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def get(self, session: AsyncSession, actor: Actor, internship_id: int) -> Internship:
        internship, _ = await self.access(session, actor, internship_id)
        return internship

    async def update(
        self, session: AsyncSession, actor: Actor, internship_id: int, data: InternshipUpdate
    ) -> Internship:
        internship = await self._manageable(session, actor, internship_id)
        values = data.model_dump(exclude_unset=True, exclude_none=True)
        start = values.get("start_date", internship.start_date)
        end = values.get("end_date", internship.end_date)
        if end < start:
            raise InvalidDatesError
        if "grading_scale" in values:
            values["grading_scale"] = values["grading_scale"].value
        if data.analytics_config is not None:
            values["analytics_config"] = data.analytics_config.model_dump(mode="json")
        for key, value in values.items():
            setattr(internship, key, value)
        return await InternshipRepository(session).save(internship)

    async def change_status(
        self, session: AsyncSession, actor: Actor, internship_id: int, data: InternshipStatusChange
    ) -> Internship:
        internship = await self._manageable(session, actor, internship_id, writable=False)
        current = InternshipStatus(internship.status)
        if data.status == current:
            return internship
        if data.status not in STATUS_TRANSITIONS[current]:
            raise IllegalStatusTransitionError(current.value, data.status.value)
        internship.status = data.status.value
        return await InternshipRepository(session).save(internship)

    # --- participants -----------------------------------------------------------------

    async def add_participant(
        self, session: AsyncSession, actor: Actor, internship_id: int, data: ParticipantCreate
    ) -> ParticipantRead:
        await self._manageable(session, actor, internship_id)
        await self.enrol(session, internship_id, data.user_id, data.role)
        return await self.get_participant(session, actor, internship_id, data.user_id)

    async def enrol(
        self, session: AsyncSession, internship_id: int, user_id: int, role: ParticipantRole
    ) -> Participant:
        """Add (or bring back) a participant; for trusted callers (invitations, import)."""
        if not await user_service.exists(session, user_id):
            raise NotAnInternshipParticipantError("No user with this id.")
        repo = ParticipantRepository(session)
        existing = await repo.get(internship_id, user_id, for_update=True)
        if existing is not None:
            if existing.archived_at is None:
                raise ParticipantAlreadyExistsError
            existing.archived_at = None
            existing.role = role.value
            existing.status = ParticipantStatus.ACTIVE.value
            existing.status_changed_at = utcnow()
            existing.status_reason = None
            return await repo.save(existing)
        return await repo.add(
            Participant(
                internship_id=internship_id,
                user_id=user_id,
                role=role.value,
                status=ParticipantStatus.ACTIVE.value,
            )
        )

    async def list_participants(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        filters: ParticipantFilters,
        page: PageParams,
    ) -> Page[ParticipantRead]:
        _, access = await self.access(session, actor, internship_id)
        visible = None
        if not access.sees_everyone:
            visible = await self.visible_user_ids(session, actor, internship_id)
        rows, total = await ParticipantRepository(session).get_multi(
            internship_id,
            visible_user_ids=visible,
            role=filters.role.value if filters.role else None,
            status=filters.status.value if filters.status else None,
            team_id=filters.team_id,
            q=filters.q,
            include_archived=filters.include_archived and access.sees_everyone,
            limit=page.limit,
            offset=page.offset,
        )
        return Page[ParticipantRead](
            items=[_participant_read(p, u, team_id) for p, u, team_id in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def visible_user_ids(
        self, session: AsyncSession, actor: Actor, internship_id: int
    ) -> list[int]:
        """For an intern: themself, their teammates and the internship's mentors."""
        teams = await TeamMemberRepository(session).get_team_ids_of_user(
            internship_id, actor.user_id
        )
        members = await TeamMemberRepository(session).get_live_members(teams)
        mentors, _ = await ParticipantRepository(session).get_multi(
            internship_id,
            visible_user_ids=None,
            role=ParticipantRole.MENTOR.value,
            status=None,
            team_id=None,
            q=None,
            include_archived=False,
            limit=1000,
            offset=0,
        )
        ids = {actor.user_id, *(m.user_id for m in members), *(p.user_id for p, _, _ in mentors)}
        return sorted(ids)

    async def get_participant(
        self, session: AsyncSession, actor: Actor, internship_id: int, user_id: int
    ) -> ParticipantRead:
        _, access = await self.access(session, actor, internship_id)
        if not access.sees_everyone and user_id not in await self.visible_user_ids(
            session, actor, internship_id
        ):
            raise ParticipantNotFoundError
        rows, _ = await ParticipantRepository(session).get_multi(
            internship_id,
            visible_user_ids=[user_id],
            role=None,
            status=None,
            team_id=None,
            q=None,
            include_archived=True,
            limit=1,
            offset=0,
        )
        if not rows:
            raise ParticipantNotFoundError
        participant, user, team_id = rows[0]
        return _participant_read(participant, user, team_id)

    async def update_participant(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        user_id: int,
        data: ParticipantUpdate,
    ) -> ParticipantRead:
        await self.get_participant(session, actor, internship_id, user_id)  # 404 first
        await self._manageable(session, actor, internship_id)
        repo = ParticipantRepository(session)
        participant = await repo.get(internship_id, user_id, for_update=True)
        if participant is None or participant.archived_at is not None:
            raise ParticipantNotFoundError
        now = utcnow()
        if data.role is not None and data.role.value != participant.role:
            # A changed role ends the team places the old role held.
            old_team_role = (
                TeamRole.MEMBER if participant.role == ParticipantRole.INTERN else TeamRole.MENTOR
            )
            await TeamMemberRepository(session).archive_all_of_user(
                internship_id, user_id, now, role=old_team_role.value
            )
            participant.role = data.role.value
        if data.status is not None and data.status.value != participant.status:
            participant.status = data.status.value
            participant.status_changed_at = now
            participant.status_reason = data.reason
        elif data.reason is not None:
            participant.status_reason = data.reason
        await repo.save(participant)
        return await self.get_participant(session, actor, internship_id, user_id)

    async def remove_participant(
        self, session: AsyncSession, actor: Actor, internship_id: int, user_id: int
    ) -> ParticipantRead:
        """Archive: the person leaves the internship and its teams; their work stays theirs."""
        await self.get_participant(session, actor, internship_id, user_id)  # 404 first
        await self._manageable(session, actor, internship_id)
        repo = ParticipantRepository(session)
        participant = await repo.get(internship_id, user_id, for_update=True)
        if participant is None or participant.archived_at is not None:
            raise ParticipantNotFoundError
        now = utcnow()
        participant.archived_at = now
        await repo.save(participant)
        await TeamMemberRepository(session).archive_all_of_user(internship_id, user_id, now)
        return await self.get_participant(session, actor, internship_id, user_id)

    async def live_role(
        self, session: AsyncSession, internship_id: int, user_id: int
    ) -> ParticipantRole | None:
        raw = await ParticipantRepository(session).get_live_role(internship_id, user_id)
        return ParticipantRole(raw) if raw else None


def _participant_read(
    participant: Participant, user: object, team_id: int | None
) -> ParticipantRead:
    return ParticipantRead.model_validate(
        {
            "internship_id": participant.internship_id,
            "user": user,
            "role": participant.role,
            "status": participant.status,
            "status_changed_at": participant.status_changed_at,
            "status_reason": participant.status_reason,
            "team_id": team_id if participant.role == ParticipantRole.INTERN else None,
            "archived_at": participant.archived_at,
            "created_at": participant.created_at,
        }
    )


internship_service = InternshipService()
