"""Queries on rubrics, review requests, reviews and corrections."""

import datetime as dt
from collections.abc import Sequence
from typing import cast

from sqlalchemy import (
    BigInteger,
    DateTime,
    Table,
    bindparam,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert

from ...lib.repository import ArchivableRepositoryBase, RepositoryBase
from ..models.review_model import GradeCorrection, Review, ReviewRequest, RubricCriterion

_request_table = cast(Table, ReviewRequest.__table__)
_requests = _request_table.c
# The two statements a card move may run (entering or leaving a review column).
_OPEN_UNLESS_PENDING = (
    insert(_request_table)
    .values(
        card_id=bindparam("card_id", type_=BigInteger),
        internship_id=bindparam("internship_id", type_=BigInteger),
        team_id=bindparam("team_id", type_=BigInteger),
        submitted_by_id=bindparam("submitted_by_id", type_=BigInteger),
        submitted_at=bindparam("submitted_at", type_=DateTime(timezone=True)),
        status=literal_column("'pending'"),
    )
    .on_conflict_do_nothing(
        index_elements=[_requests.card_id],
        # literal, so that PostgreSQL matches the partial index's predicate
        index_where=text("status = 'pending'"),
    )
)
_WITHDRAW_PENDING = (
    update(_request_table)
    .where(
        _requests.card_id == bindparam("of_card_id", type_=BigInteger),
        _requests.status == literal_column("'pending'"),
    )
    .values(
        status=literal_column("'withdrawn'"),
        closed_at=bindparam("closed_at", type_=DateTime(timezone=True)),
    )
    .returning(_requests.id)
)


class RubricRepository(ArchivableRepositoryBase[RubricCriterion]):
    model = RubricCriterion

    async def live(self, internship_id: int) -> Sequence[RubricCriterion]:
        stmt = (
            select(RubricCriterion)
            .where(
                RubricCriterion.internship_id == internship_id,
                RubricCriterion.archived_at.is_(None),
            )
            .order_by(RubricCriterion.position, RubricCriterion.id)
        )
        return await self.get_all(stmt)

    async def archive_all(self, internship_id: int, when: object) -> None:
        await self.session.execute(
            update(RubricCriterion)
            .where(
                RubricCriterion.internship_id == internship_id,
                RubricCriterion.archived_at.is_(None),
            )
            .values(archived_at=when)
        )


class ReviewRequestRepository(RepositoryBase[ReviewRequest]):
    model = ReviewRequest

    async def pending_for_card(
        self, card_id: int, *, for_update: bool = False
    ) -> ReviewRequest | None:
        stmt = select(ReviewRequest).where(
            ReviewRequest.card_id == card_id, ReviewRequest.status == "pending"
        )
        if for_update:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return await self.get_one_or_none(stmt)

    async def open_unless_pending(
        self,
        *,
        card_id: int,
        internship_id: int,
        team_id: int,
        submitted_by_id: int | None,
        submitted_at: dt.datetime,
    ) -> None:
        """A pending request for the card, unless it has one (the partial unique index
        decides): one statement, on a card move's path."""
        await self.session.execute(
            _OPEN_UNLESS_PENDING,
            {
                "card_id": card_id,
                "internship_id": internship_id,
                "team_id": team_id,
                "submitted_by_id": submitted_by_id,
                "submitted_at": submitted_at,
            },
        )

    async def withdraw_pending(self, card_id: int, closed_at: dt.datetime) -> None:
        """Close the card's pending request, if any, as withdrawn: one statement, on a
        card move's path. A request loaded in the session is updated too."""
        withdrawn = await self.session.execute(
            _WITHDRAW_PENDING, {"of_card_id": card_id, "closed_at": closed_at}
        )
        for request_id in withdrawn.scalars():
            await self.refresh_if_loaded(request_id)

    async def pending(
        self, internship_id: int, team_ids: Sequence[int] | None, *, limit: int, offset: int
    ) -> tuple[Sequence[ReviewRequest], int]:
        stmt = select(ReviewRequest).where(
            ReviewRequest.internship_id == internship_id, ReviewRequest.status == "pending"
        )
        if team_ids is not None:
            stmt = stmt.where(ReviewRequest.team_id.in_(team_ids))
        return await self.paginate(
            stmt.order_by(ReviewRequest.submitted_at, ReviewRequest.id), limit=limit, offset=offset
        )


class ReviewRepository(RepositoryBase[Review]):
    model = Review

    async def of_card(self, card_id: int) -> Sequence[Review]:
        return await self.get_all(
            select(Review).where(Review.card_id == card_id).order_by(Review.id)
        )

    async def of_cards(self, card_ids: Sequence[int]) -> Sequence[Review]:
        if not card_ids:
            return []
        return await self.get_all(
            select(Review).where(Review.card_id.in_(card_ids)).order_by(Review.id.desc())
        )


class GradeCorrectionRepository(RepositoryBase[GradeCorrection]):
    model = GradeCorrection

    async def of_reviews(self, review_ids: Sequence[int]) -> Sequence[GradeCorrection]:
        if not review_ids:
            return []
        stmt = (
            select(GradeCorrection)
            .where(GradeCorrection.review_id.in_(review_ids))
            .order_by(GradeCorrection.id)
        )
        return await self.get_all(stmt)
