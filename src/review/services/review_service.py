"""The review workflow: submit → accept with a grade, or return for rework; rubrics;
grade corrections. Interns see their own grades and nobody else's."""

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from ...board.constants import ColumnKind
from ...board.events import CardMoved
from ...board.exceptions import ArchivedError
from ...board.schemas.card_schema import CardMove
from ...board.services.card_service import card_service
from ...internship.constants import GradingScale, ParticipantRole, TeamRole
from ...internship.services.access import ProjectAccess
from ...internship.services.internship_service import internship_service
from ...internship.services.team_service import team_service
from ...lib.clock import utcnow
from ...lib.errors import NotFoundError
from ...lib.pagination import Page, PageParams
from ...lib.security.actor import Actor
from ..constants import Decision, RequestStatus
from ..exceptions import (
    AlreadySubmittedError,
    InvalidGradeError,
    MissingColumnError,
    NotSubmittedError,
    ReviewNotFoundError,
    ReviewPermissionError,
)
from ..models.review_model import GradeCorrection, Review, ReviewRequest, RubricCriterion
from ..repositories.review_repository import (
    GradeCorrectionRepository,
    ReviewRepository,
    ReviewRequestRepository,
    RubricRepository,
)
from ..schemas.review_schema import (
    CriterionRead,
    GradeCorrectionCreate,
    GradeCorrectionRead,
    ReviewCreate,
    ReviewRead,
    ReviewRequestRead,
    RubricUpdate,
)

HUNDREDTH = Decimal("0.01")


def grade_from_scores(
    criteria: list[RubricCriterion], scores: dict[int, int], scale: GradingScale
) -> tuple[Decimal, dict[str, int]]:
    """Every criterion scored within its maximum → the grade on the internship's scale:
    low + (high − low) × (sum of scores ÷ sum of maxima)."""
    known = {c.id: c for c in criteria}
    unknown = sorted(set(scores) - set(known))
    if unknown:
        raise InvalidGradeError(f"Unknown criteria: {unknown}.", field="scores")
    missing = [c.name for c in criteria if c.id not in scores]
    if missing:
        raise InvalidGradeError(
            f"Score every criterion; missing: {', '.join(missing)}.", field="scores"
        )
    for criterion_id, score in scores.items():
        if score > known[criterion_id].max_score:
            raise InvalidGradeError(
                f"«{known[criterion_id].name}» is scored out of {known[criterion_id].max_score}.",
                field="scores",
            )
    low, high = scale.bounds
    ratio = Decimal(sum(scores.values())) / Decimal(sum(c.max_score for c in criteria))
    grade = (Decimal(low) + (Decimal(high) - Decimal(low)) * ratio).quantize(
        HUNDREDTH, rounding=ROUND_HALF_UP
    )
    return grade, {str(k): v for k, v in sorted(scores.items())}


def check_grade(grade: Decimal, scale: GradingScale) -> Decimal:
    low, high = scale.bounds
    if not low <= grade <= high:
        raise InvalidGradeError(f"The grade must be between {low} and {high}.", field="grade")
    return grade.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


class ReviewService:
    # --- rubric -----------------------------------------------------------------------

    async def rubric(
        self, session: AsyncSession, actor: Actor, internship_id: int
    ) -> list[CriterionRead]:
        await internship_service.access(session, actor, internship_id)
        return [
            CriterionRead.model_validate(c)
            for c in await RubricRepository(session).live(internship_id)
        ]

    async def set_rubric(
        self, session: AsyncSession, actor: Actor, internship_id: int, data: RubricUpdate
    ) -> list[CriterionRead]:
        """Replace the rubric (organisers); the old criteria are archived, not erased."""
        _, access = await internship_service.access(session, actor, internship_id)
        if not access.can_manage:
            raise ReviewPermissionError("Only organisers define the rubric.")
        repo = RubricRepository(session)
        await repo.archive_all(internship_id, utcnow())
        for position, item in enumerate(data.criteria):
            labels = {str(k): v for k, v in sorted(item.score_labels.items())}
            if any(int(k) > item.max_score for k in labels):
                raise InvalidGradeError(
                    f"«{item.name}» has labels above its maximum.", field="criteria"
                )
            await repo.add(
                RubricCriterion(
                    internship_id=internship_id,
                    name=item.name,
                    description=item.description,
                    max_score=item.max_score,
                    position=position,
                    score_labels=labels,
                )
            )
        return [CriterionRead.model_validate(c) for c in await repo.live(internship_id)]

    # --- submitting -------------------------------------------------------------------

    async def submit(self, session: AsyncSession, actor: Actor, card_id: int) -> ReviewRequestRead:
        """Send a card for review: it moves into the board's review column."""
        card, access = await card_service.card_facts(session, actor, card_id, lock=True)
        if not access.can_work_on_cards:
            raise ReviewPermissionError("Only the team submits its cards.")
        if card.archived_at is not None:
            raise ArchivedError("card")
        column_id = await card_service.first_column_of_kind(
            session, card.board_id, ColumnKind.REVIEW
        )
        if column_id is None:
            raise MissingColumnError(ColumnKind.REVIEW.value)
        repo = ReviewRequestRepository(session)
        if await repo.pending_for_card(card.id, for_update=True) is not None:
            raise AlreadySubmittedError
        request = await self._open(session, card.id, access, actor.user_id or None)
        if card.column_id != column_id:
            await card_service.move(
                session, actor, card.id, CardMove(column_id=column_id), if_match=None
            )
        return ReviewRequestRead.model_validate(request)

    async def _open(
        self, session: AsyncSession, card_id: int, access: ProjectAccess, user_id: int | None
    ) -> ReviewRequest:
        return await ReviewRequestRepository(session).add(
            ReviewRequest(
                card_id=card_id,
                internship_id=access.internship_id,
                team_id=access.team_id,
                submitted_by_id=user_id,
                submitted_at=utcnow(),
                status=RequestStatus.PENDING.value,
            )
        )

    async def on_card_moved(self, session: AsyncSession, event: CardMoved) -> None:
        """Dragging a card into a review column submits it; dragging it out withdraws.

        The mover holds the card's lock, so "unless pending" cannot race a submission.
        """
        repo = ReviewRequestRepository(session)
        if event.to_kind == ColumnKind.REVIEW:
            await repo.open_unless_pending(
                card_id=event.card_id,
                internship_id=event.internship_id,
                team_id=event.team_id,
                submitted_by_id=event.actor_id,
                submitted_at=utcnow(),
            )
        elif event.from_kind == ColumnKind.REVIEW:
            await repo.withdraw_pending(event.card_id, event.at)

    # --- reviewing --------------------------------------------------------------------

    async def review(
        self, session: AsyncSession, actor: Actor, card_id: int, data: ReviewCreate
    ) -> ReviewRead:
        """Accept with a grade (→ done) or return for rework (→ in progress)."""
        card, access = await card_service.card_facts(session, actor, card_id, lock=True)
        if not (access.is_admin or access.team_role is TeamRole.MENTOR):
            raise ReviewPermissionError("Only the team's mentors review its cards.")
        requests = ReviewRequestRepository(session)
        request = await requests.pending_for_card(card.id, for_update=True)
        if request is None:
            raise NotSubmittedError
        grade: Decimal | None = None
        scores: dict[str, int] = {}
        if data.decision is Decision.ACCEPT:
            grade, scores = await self._grade(
                session, access.internship_id, data.grade, data.scores
            )
        target_kind = (
            ColumnKind.DONE if data.decision is Decision.ACCEPT else ColumnKind.IN_PROGRESS
        )
        target = await card_service.first_column_of_kind(session, card.board_id, target_kind)
        if target is None:
            raise MissingColumnError(target_kind.value)
        now = utcnow()
        request.status = (
            RequestStatus.ACCEPTED if data.decision is Decision.ACCEPT else RequestStatus.RETURNED
        ).value
        request.closed_at = now
        await requests.flush()
        review = await ReviewRepository(session).add(
            Review(
                request_id=request.id,
                card_id=card.id,
                internship_id=request.internship_id,
                team_id=request.team_id,
                reviewer_id=actor.user_id or None,
                decision=data.decision.value,
                grade=grade,
                scores=scores,
                feedback=data.feedback,
                response_seconds=max(0, int((now - request.submitted_at).total_seconds())),
            )
        )
        await card_service.move(
            session, actor, card.id, CardMove(column_id=target, force=True), if_match=None
        )
        return ReviewRead.model_validate(review)

    async def _grade(
        self,
        session: AsyncSession,
        internship_id: int,
        grade: Decimal | None,
        scores: dict[int, int] | None,
    ) -> tuple[Decimal, dict[str, int]]:
        internship = await internship_service.get(session, Actor.system(), internship_id)
        scale = GradingScale(internship.grading_scale)
        criteria = list(await RubricRepository(session).live(internship_id))
        if criteria:
            if grade is not None:
                raise InvalidGradeError(
                    "With a rubric the grade follows from the scores; do not send one.",
                    field="grade",
                )
            return grade_from_scores(criteria, scores or {}, scale)
        if scores:
            raise InvalidGradeError("This internship has no rubric.", field="scores")
        if grade is None:
            raise InvalidGradeError("Accepting needs a grade.", field="grade")
        return check_grade(grade, scale), {}

    async def correct(
        self, session: AsyncSession, actor: Actor, review_id: int, data: GradeCorrectionCreate
    ) -> ReviewRead:
        """Change an accepted grade; the old and new values and the reason are kept."""
        repo = ReviewRepository(session)
        review = await repo.get_by_id(review_id, for_update=True)
        if review is None:
            raise ReviewNotFoundError
        try:
            _, access = await card_service.card_facts(session, actor, review.card_id)
        except NotFoundError:  # not visible: the review does not exist for the actor
            raise ReviewNotFoundError from None
        if not (access.is_admin or access.team_role is TeamRole.MENTOR):
            raise ReviewPermissionError("Only the team's mentors correct grades.")
        if review.decision != Decision.ACCEPT.value or review.grade is None:
            raise InvalidGradeError(
                "Only an accepted review has a grade to correct.", field="grade"
            )
        grade, scores = await self._grade(session, review.internship_id, data.grade, data.scores)
        await GradeCorrectionRepository(session).add(
            GradeCorrection(
                review_id=review.id,
                corrected_by_id=actor.user_id or None,
                old_grade=review.grade,
                new_grade=grade,
                old_scores=review.scores,
                new_scores=scores,
                reason=data.reason,
            )
        )
        await repo.update(review, grade=grade, scores=scores, corrected_at=utcnow())
        return (await self._reads(session, [review]))[0]

    # --- reading ----------------------------------------------------------------------

    async def card_reviews(
        self, session: AsyncSession, actor: Actor, card_id: int
    ) -> list[ReviewRead]:
        card, access = await card_service.card_facts(session, actor, card_id)
        sees_all = (
            access.is_admin
            or access.team_role is TeamRole.MENTOR
            or access.internship_role is ParticipantRole.OBSERVER
        )
        if not sees_all and actor.user_id not in card.assignee_ids:
            raise ReviewNotFoundError  # another intern's grades do not exist for you
        return await self._reads(session, list(await ReviewRepository(session).of_card(card.id)))

    async def queue(
        self, session: AsyncSession, actor: Actor, internship_id: int, page: PageParams
    ) -> Page[ReviewRequestRead]:
        """Cards waiting for a review: a mentor's teams; organisers and observers see all."""
        _, access = await internship_service.access(session, actor, internship_id)
        if access.role is ParticipantRole.INTERN and not access.is_admin:
            raise ReviewPermissionError("Interns do not review.")
        team_ids: list[int] | None = None
        if access.role is ParticipantRole.MENTOR and not access.is_admin:
            teams = await team_service.list_teams(
                session, actor, internship_id, include_archived=False
            )
            team_ids = [t.id for t in teams if any(m.user_id == actor.user_id for m in t.mentors)]
        rows, total = await ReviewRequestRepository(session).pending(
            internship_id, team_ids, limit=page.limit, offset=page.offset
        )
        return Page[ReviewRequestRead](
            items=[ReviewRequestRead.model_validate(r) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def _reads(self, session: AsyncSession, reviews: list[Review]) -> list[ReviewRead]:
        corrections = await GradeCorrectionRepository(session).of_reviews([r.id for r in reviews])
        by_review: dict[int, list[GradeCorrectionRead]] = {}
        for correction in corrections:
            by_review.setdefault(correction.review_id, []).append(
                GradeCorrectionRead.model_validate(correction)
            )
        return [
            ReviewRead.model_validate(
                {
                    **{c.key: getattr(r, c.key) for c in Review.__table__.columns},
                    "corrections": by_review.get(r.id, []),
                }
            )
            for r in reviews
        ]


review_service = ReviewService()
