"""Queries on `cards`, `card_assignees` and `card_labels`, and the board read."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    func,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by, array
from sqlalchemy.engine import Result
from sqlalchemy.ext.asyncio import AsyncSession

from ...lib.ordering import keys_between
from ..models.board_model import Board, BoardColumn
from ..models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment
from ..models.card_model import Card, CardAssignee, CardLabel


class CardRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- single cards -----------------------------------------------------------------

    async def get_by_id(self, card_id: int, *, for_update: bool = False) -> Card | None:
        stmt = select(Card).where(Card.id == card_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add(self, card: Card) -> Card:
        self.session.add(card)
        await self.session.flush()
        return card

    async def flush(self) -> None:
        await self.session.flush()

    async def delete(self, card: Card) -> None:
        await self.session.delete(card)
        await self.session.flush()

    # --- ordering ---------------------------------------------------------------------

    def _live_in_column(self, column_id: int, exclude_id: int | None) -> list[Any]:
        conditions = [Card.column_id == column_id, Card.archived_at.is_(None)]
        if exclude_id is not None:
            conditions.append(Card.id != exclude_id)
        return conditions

    async def bounds_after(
        self, column_id: int, anchor: str | None, *, exclude_id: int | None
    ) -> str | None:
        """The first live position after `anchor` (None: the first of the column)."""
        stmt = select(func.min(Card.position)).where(*self._live_in_column(column_id, exclude_id))
        if anchor is not None:
            stmt = stmt.where(Card.position > anchor)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def bounds_before(
        self, column_id: int, anchor: str | None, *, exclude_id: int | None
    ) -> str | None:
        """The last live position before `anchor` (None: the last of the column)."""
        stmt = select(func.max(Card.position)).where(*self._live_in_column(column_id, exclude_id))
        if anchor is not None:
            stmt = stmt.where(Card.position < anchor)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def rebalance(self, column_id: int) -> None:
        """Spread the live cards' keys evenly again (the column is locked by the caller)."""
        rows = await self.session.execute(
            select(Card.id)
            .where(Card.column_id == column_id, Card.archived_at.is_(None))
            .order_by(Card.position, Card.id)
        )
        ids = list(rows.scalars())
        if not ids:
            return
        keys = keys_between(None, None, len(ids))
        # Two steps, because the unique index is checked row by row.
        await self.session.execute(
            update(Card)
            .where(Card.id.in_(ids))
            .values(position=literal_column("'~' || cards.id::text"))
            .execution_options(synchronize_session=False)
        )
        for card_id, key in zip(ids, keys, strict=True):
            await self.session.execute(
                update(Card)
                .where(Card.id == card_id)
                .values(position=key)
                .execution_options(synchronize_session=False)
            )
        await self.session.flush()

    # --- assignees and labels ---------------------------------------------------------

    async def assignee_ids(self, card_id: int) -> list[int]:
        stmt = select(CardAssignee.user_id).where(CardAssignee.card_id == card_id)
        return sorted((await self.session.execute(stmt)).scalars())

    async def label_ids(self, card_id: int) -> list[int]:
        stmt = select(CardLabel.label_id).where(CardLabel.card_id == card_id)
        return sorted((await self.session.execute(stmt)).scalars())

    async def add_assignees(self, card_id: int, user_ids: Sequence[int]) -> None:
        for user_id in user_ids:
            self.session.add(CardAssignee(card_id=card_id, user_id=user_id))
        await self.session.flush()

    async def remove_assignees(self, card_id: int, user_ids: Sequence[int]) -> None:
        if user_ids:
            await self.session.execute(
                delete(CardAssignee).where(
                    CardAssignee.card_id == card_id, CardAssignee.user_id.in_(user_ids)
                )
            )

    async def add_labels(self, card_id: int, label_ids: Sequence[int]) -> None:
        for label_id in label_ids:
            self.session.add(CardLabel(card_id=card_id, label_id=label_id))
        await self.session.flush()

    async def remove_labels(self, card_id: int, label_ids: Sequence[int]) -> None:
        if label_ids:
            await self.session.execute(
                delete(CardLabel).where(
                    CardLabel.card_id == card_id, CardLabel.label_id.in_(label_ids)
                )
            )

    # --- reading many: one statement with every count ---------------------------------

    def summary_statement(self, scope: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
        """Cards matching `scope` with assignee and label ids and checklist, comment and
        attachment counts, aggregated per card in grouped subqueries (hash joins, not one
        query per card). Each subquery is limited to the scope's cards, so a board read
        touches that board's rows only, through the card_id indexes."""
        in_scope = select(Card.id).where(scope)
        assignees = (
            select(
                CardAssignee.card_id,
                func.array_agg(
                    aggregate_order_by(CardAssignee.user_id, CardAssignee.user_id)
                ).label("ids"),
            )
            .where(CardAssignee.card_id.in_(in_scope))
            .group_by(CardAssignee.card_id)
            .subquery()
        )
        labels = (
            select(
                CardLabel.card_id,
                func.array_agg(aggregate_order_by(CardLabel.label_id, CardLabel.label_id)).label(
                    "ids"
                ),
            )
            .where(CardLabel.card_id.in_(in_scope))
            .group_by(CardLabel.card_id)
            .subquery()
        )
        items = (
            select(
                ChecklistItem.card_id,
                func.count().label("total"),
                func.count().filter(ChecklistItem.is_done.is_(True)).label("done"),
            )
            .join(Checklist, Checklist.id == ChecklistItem.checklist_id)
            .where(
                ChecklistItem.card_id.in_(in_scope),
                ChecklistItem.archived_at.is_(None),
                Checklist.archived_at.is_(None),
            )
            .group_by(ChecklistItem.card_id)
            .subquery()
        )
        comments = (
            select(Comment.card_id, func.count().label("n"))
            .where(Comment.card_id.in_(in_scope), Comment.deleted_at.is_(None))
            .group_by(Comment.card_id)
            .subquery()
        )
        attachments = (
            select(Attachment.card_id, func.count().label("n"))
            .where(Attachment.card_id.in_(in_scope), Attachment.deleted_at.is_(None))
            .group_by(Attachment.card_id)
            .subquery()
        )
        empty = array([], type_=Card.id.type)
        return (
            select(
                Card.id,
                Card.board_id,
                Card.column_id,
                Card.title,
                Card.position,
                Card.priority,
                Card.start_at,
                Card.due_at,
                Card.estimate,
                Card.completed_at,
                Card.archived_at,
                Card.version,
                func.coalesce(assignees.c.ids, empty).label("assignee_ids"),
                func.coalesce(labels.c.ids, empty).label("label_ids"),
                func.coalesce(items.c.done, 0).label("checklist_done"),
                func.coalesce(items.c.total, 0).label("checklist_total"),
                func.coalesce(comments.c.n, 0).label("comment_count"),
                func.coalesce(attachments.c.n, 0).label("attachment_count"),
            )
            .outerjoin(assignees, assignees.c.card_id == Card.id)
            .outerjoin(labels, labels.c.card_id == Card.id)
            .outerjoin(items, items.c.card_id == Card.id)
            .outerjoin(comments, comments.c.card_id == Card.id)
            .outerjoin(attachments, attachments.c.card_id == Card.id)
            .where(scope)
        )

    async def summary_rows(self, card_ids: Sequence[int]) -> list[dict[str, Any]]:
        stmt = self.summary_statement(Card.id.in_(card_ids)).order_by(Card.id)
        return _dicts(await self.session.execute(stmt))

    def filters(
        self,
        stmt: Select[*tuple[Any, ...]],
        *,
        assignee_id: int | None,
        label_id: int | None,
        due: str | None,
        text: str | None,
        now: dt.datetime,
    ) -> Select[*tuple[Any, ...]]:
        if assignee_id is not None:
            stmt = stmt.where(
                select(CardAssignee.id)
                .where(CardAssignee.card_id == Card.id, CardAssignee.user_id == assignee_id)
                .exists()
            )
        if label_id is not None:
            stmt = stmt.where(
                select(CardLabel.id)
                .where(CardLabel.card_id == Card.id, CardLabel.label_id == label_id)
                .exists()
            )
        if due == "overdue":
            stmt = stmt.where(Card.due_at < now, Card.completed_at.is_(None))
        elif due == "week":
            stmt = stmt.where(Card.due_at >= now, Card.due_at < now + dt.timedelta(days=7))
        elif due == "none":
            stmt = stmt.where(Card.due_at.is_(None))
        if text:
            pattern = (
                "%"
                + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            stmt = stmt.where(
                or_(
                    func.lower(Card.title).like(pattern, escape="\\"),
                    func.lower(Card.description).like(pattern, escape="\\"),
                )
            )
        return stmt

    async def archived_cards(
        self, board_id: int, *, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        stmt = self.summary_statement(
            and_(Card.board_id == board_id, Card.archived_at.is_not(None))
        )
        total = (
            await self.session.execute(
                select(func.count())
                .select_from(Card)
                .where(Card.board_id == board_id, Card.archived_at.is_not(None))
            )
        ).scalar_one()
        rows = await self.session.execute(
            stmt.order_by(Card.archived_at.desc(), Card.id.desc()).limit(limit).offset(offset)
        )
        return _dicts(rows), total

    async def cards_of_user(
        self,
        user_id: int,
        project_ids: Sequence[int] | None,
        *,
        include_done: bool,
        limit: int,
        offset: int,
        now: dt.datetime,
        due: str | None,
    ) -> tuple[list[dict[str, Any]], int]:
        """Live cards assigned to the user on live boards of the given projects."""
        assigned = select(CardAssignee.card_id).where(CardAssignee.user_id == user_id)
        conditions = [
            Card.id.in_(assigned),
            Card.archived_at.is_(None),
            Board.archived_at.is_(None),
            BoardColumn.archived_at.is_(None),
        ]
        if project_ids is not None:
            conditions.append(Board.project_id.in_(project_ids))
        if not include_done:
            conditions.append(Card.completed_at.is_(None))
        base = (
            select(Card.id)
            .join(Board, Board.id == Card.board_id)
            .join(BoardColumn, BoardColumn.id == Card.column_id)
            .where(*conditions)
        )
        base = self.filters(base, assignee_id=None, label_id=None, due=due, text=None, now=now)
        total = (
            await self.session.execute(select(func.count()).select_from(base.subquery()))
        ).scalar_one()
        # The page first (soonest due first); counts and names only for its cards.
        page = (
            base.add_columns(Card.due_at)
            .order_by(Card.due_at.asc().nulls_last(), Card.id)
            .limit(limit)
            .offset(offset)
        )
        page_ids = [row[0] for row in await self.session.execute(page)]
        stmt = (
            self.summary_statement(Card.id.in_(page_ids))
            .add_columns(
                Board.project_id,
                Board.name.label("board_name"),
                BoardColumn.name.label("column_name"),
                BoardColumn.kind.label("column_kind"),
            )
            .join(Board, Board.id == Card.board_id)
            .join(BoardColumn, BoardColumn.id == Card.column_id)
            .order_by(Card.due_at.asc().nulls_last(), Card.id)
        )
        rows = await self.session.execute(stmt)
        return _dicts(rows), total

    async def search(
        self,
        query: str,
        project_ids: Sequence[int] | None,
        *,
        limit: int,
        offset: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """Ranked full-text search over titles, descriptions and comments (Russian and
        English stemming, GIN indexes), limited to the given projects' live boards."""
        tsquery = func.websearch_to_tsquery(literal_column("'russian'::regconfig"), query).op("||")(
            func.websearch_to_tsquery(literal_column("'english'::regconfig"), query)
        )
        conditions = [Card.archived_at.is_(None), Board.archived_at.is_(None)]
        if project_ids is not None:
            conditions.append(Board.project_id.in_(project_ids))
        # Visibility first, inside each branch: only the caller's boards are ranked.
        card_hits = (
            select(
                Card.id.label("card_id"), func.ts_rank(Card.search_vector, tsquery).label("rank")
            )
            .join(Board, Board.id == Card.board_id)
            .where(Card.search_vector.op("@@")(tsquery), *conditions)
        )
        comment_hits = (
            select(
                Comment.card_id.label("card_id"),
                (func.ts_rank(Comment.search_vector, tsquery) * 0.5).label("rank"),
            )
            .join(Card, Card.id == Comment.card_id)
            .join(Board, Board.id == Card.board_id)
            .where(
                Comment.deleted_at.is_(None),
                Comment.search_vector.op("@@")(tsquery),
                *conditions,
            )
        )
        hits = card_hits.union_all(comment_hits).subquery()
        ranked = (
            select(hits.c.card_id, func.max(hits.c.rank).label("rank"))
            .group_by(hits.c.card_id)
            .subquery()
        )
        total = (await self.session.execute(select(func.count()).select_from(ranked))).scalar_one()
        # The page first; counts and names only for its cards.
        page = (
            select(ranked.c.card_id, ranked.c.rank)
            .order_by(ranked.c.rank.desc(), ranked.c.card_id)
            .limit(limit)
            .offset(offset)
            .subquery()
        )
        stmt = (
            self.summary_statement(Card.id.in_(select(page.c.card_id)))
            .add_columns(
                Board.project_id,
                Board.name.label("board_name"),
                page.c.rank,
                func.ts_headline(
                    literal_column("'russian'::regconfig"),
                    Card.title,
                    tsquery,
                    "StartSel=«, StopSel=», HighlightAll=true",
                ).label("headline"),
            )
            .join(page, page.c.card_id == Card.id)
            .join(Board, Board.id == Card.board_id)
            .order_by(page.c.rank.desc(), Card.id)
        )
        rows = await self.session.execute(stmt)
        return _dicts(rows), total


def _dicts(result: Result[Any]) -> list[dict[str, Any]]:
    """Rows as dicts, taking the column names once (Row._mapping per row is costly)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]
