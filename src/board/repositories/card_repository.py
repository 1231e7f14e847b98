"""Queries on `cards`, `card_assignees` and `card_labels`, and the board read."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    Integer,
    Select,
    String,
    Table,
    and_,
    bindparam,
    delete,
    func,
    literal_column,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by, array
from sqlalchemy.engine import Result

from ...lib.ordering import keys_between
from ...lib.repository import ArchivableRepositoryBase
from ..models.board_model import Board, BoardColumn
from ..models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment
from ..models.card_model import Card, CardAssignee, CardLabel
from .board_repository import MoveColumn


@dataclass(frozen=True, slots=True)
class CardToMove:
    """A card locked for a move, with what the move needs of it and of its board."""

    id: int
    board_id: int
    column_id: int
    version: int
    archived: bool
    completed_at: dt.datetime | None
    started_at: dt.datetime | None
    moved_at: dt.datetime | None
    project_id: int
    board_archived: bool
    column: MoveColumn  # the card's column, as read (not locked)
    access_facts: tuple[Any, ...]


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


# The hot statements of a move are Core statements on the tables, built once: no
# statement building, cache key or ORM compilation step per request.
_cards = _table(Card).c
_boards = _table(Board).c
_columns = _table(BoardColumn).c
_assignees = _table(CardAssignee).c
_card_labels = _table(CardLabel).c
_checklists = _table(Checklist).c
_items = _table(ChecklistItem).c
_comments = _table(Comment).c
_attachments = _table(Attachment).c


def _child_summaries(card_id: ColumnElement[int]) -> list[ColumnElement[Any]]:
    """The summary's per-card aggregates of one card, as scalar subqueries (index
    lookups by card_id), named as in `summary_statement`."""
    empty = array([], type_=_cards.id.type)
    items = (
        select(func.count())
        .select_from(_table(ChecklistItem))
        .join(_table(Checklist), _checklists.id == _items.checklist_id)
        .where(
            _items.card_id == card_id,
            _items.archived_at.is_(None),
            _checklists.archived_at.is_(None),
        )
    )
    return [
        func.coalesce(
            select(func.array_agg(aggregate_order_by(_assignees.user_id, _assignees.user_id)))
            .where(_assignees.card_id == card_id)
            .scalar_subquery(),
            empty,
        ).label("assignee_ids"),
        func.coalesce(
            select(func.array_agg(aggregate_order_by(_card_labels.label_id, _card_labels.label_id)))
            .where(_card_labels.card_id == card_id)
            .scalar_subquery(),
            empty,
        ).label("label_ids"),
        items.with_only_columns(func.count().filter(_items.is_done.is_(True)))
        .scalar_subquery()
        .label("checklist_done"),
        items.scalar_subquery().label("checklist_total"),
        select(func.count())
        .where(_comments.card_id == card_id, _comments.deleted_at.is_(None))
        .scalar_subquery()
        .label("comment_count"),
        select(func.count())
        .where(_attachments.card_id == card_id, _attachments.deleted_at.is_(None))
        .scalar_subquery()
        .label("attachment_count"),
    ]


_CARD_ID = bindparam("card_id", type_=BigInteger)
_TIMESTAMP = DateTime(timezone=True)

type AccessFactsQuery = Callable[[ColumnElement[int]], Select[*tuple[Any, ...]]]


@cache
def _lock_for_move_statement(access_facts: AccessFactsQuery) -> Select[*tuple[Any, ...]]:
    """The card locked (its row only), its board and column, and the actor's rights on the
    board's project through `access_facts` (the internship context's query, as a
    LATERAL subquery on boards.project_id): one statement, built once."""
    facts = access_facts(_boards.project_id).lateral("access_facts")
    return (
        select(
            _cards.id,
            _cards.board_id,
            _cards.column_id,
            _cards.version,
            _cards.archived_at,
            _cards.completed_at,
            _cards.started_at,
            _cards.moved_at,
            _boards.project_id,
            _boards.archived_at,
            # Scalar subqueries, not a join: when the card moves while this waits for
            # its lock, PostgreSQL re-reads the card but would re-check a join with
            # the old column's row (and drop the card).
            *(
                select(column).where(_columns.id == _cards.column_id).scalar_subquery()
                for column in (
                    _columns.name,
                    _columns.kind,
                    _columns.wip_limit,
                    _columns.archived_at,
                )
            ),
            *facts.c,
        )
        .join_from(_table(Card), _table(Board), _boards.id == _cards.board_id)
        .outerjoin(facts, true())
        .where(_cards.id == _CARD_ID)
        .with_for_update(of=_table(Card))
    )


# Built once, as a Core statement on the table (moves are the hot path).
_MOVE = (
    update(_table(Card))
    .where(_cards.id == _CARD_ID)
    .values(
        column_id=bindparam("to_column_id", type_=BigInteger),
        position=bindparam("to_position", type_=String),
        version=_cards.version + 1,
        completed_at=bindparam("new_completed_at", type_=_TIMESTAMP),
        started_at=bindparam("new_started_at", type_=_TIMESTAMP),
        moved_at=bindparam("new_moved_at", type_=_TIMESTAMP),
    )
    # What `CardRead` shows, from the updated row: no second read of the card.
    .returning(
        _cards.id,
        _cards.board_id,
        _cards.column_id,
        _cards.title,
        _cards.position,
        _cards.priority,
        _cards.start_at,
        _cards.due_at,
        _cards.due_completed_at,
        _cards.estimate,
        _cards.completed_at,
        _cards.archived_at,
        _cards.version,
        *_child_summaries(_CARD_ID),
        _cards.description,
        _cards.created_by_id,
        _cards.created_at,
        _cards.updated_at,
    )
)


@cache
def _bound_query(*, after: bool, anchored: bool, excluding: bool) -> Select[str | None]:
    """min/max live position in `:column_id`, past `:anchor`, without `:exclude_id`:
    built once per shape, as moves and new cards ask it on every request."""
    position = _cards.position
    stmt = select(func.min(position) if after else func.max(position)).where(
        _cards.column_id == bindparam("column_id", type_=BigInteger),
        _cards.archived_at.is_(None),
    )
    if excluding:
        stmt = stmt.where(_cards.id != bindparam("exclude_id", type_=BigInteger))
    if anchored:
        anchor = bindparam("anchor", type_=position.type)
        stmt = stmt.where(position > anchor if after else position < anchor)
    return stmt


@dataclass(frozen=True, slots=True)
class Anchor:
    """A neighbour card a move lands next to, and the live position past it."""

    column_id: int
    archived: bool
    position: str
    next_position: str | None  # the first after it (or last before it), None: the end


@cache
def _anchor_query(*, after: bool) -> Select[*tuple[Any, ...]]:
    """`:anchor_id`'s column, state and position, and the live position right after (or
    before) it in its column without `:exclude_id`: one statement."""
    anchor = _table(Card).alias("anchor")
    other = _cards.position
    bound = (
        select(func.min(other) if after else func.max(other))
        .where(
            _cards.column_id == anchor.c.column_id,
            _cards.archived_at.is_(None),
            _cards.id != bindparam("exclude_id", type_=BigInteger),
            other > anchor.c.position if after else other < anchor.c.position,
        )
        .scalar_subquery()
    )
    return select(anchor.c.column_id, anchor.c.archived_at, anchor.c.position, bound).where(
        anchor.c.id == bindparam("anchor_id", type_=BigInteger)
    )


class CardRepository(ArchivableRepositoryBase[Card]):
    model = Card

    # --- single cards -----------------------------------------------------------------

    async def lock_for_move(
        self, card_id: int, *, user_id: int, access_facts: AccessFactsQuery
    ) -> CardToMove | None:
        """Lock the card (its row only) and read it with its board's project and state,
        and the columns of `access_facts` for the user (see `_lock_for_move_statement`)."""
        row = (
            await self.session.execute(
                _lock_for_move_statement(access_facts), {"card_id": card_id, "user_id": user_id}
            )
        ).first()
        if row is None:
            return None
        return CardToMove(
            id=row[0],
            board_id=row[1],
            column_id=row[2],
            version=row[3],
            archived=row[4] is not None,
            completed_at=row[5],
            started_at=row[6],
            moved_at=row[7],
            project_id=row[8],
            board_archived=row[9] is not None,
            column=MoveColumn(
                id=row[2],
                name=row[10],
                kind=row[11],
                wip_limit=row[12],
                archived=row[13] is not None,
            ),
            access_facts=tuple(row)[14:],
        )

    async def move(
        self,
        card_id: int,
        *,
        column_id: int,
        position: str,
        completed_at: dt.datetime | None,
        started_at: dt.datetime | None,
        moved_at: dt.datetime | None,
    ) -> dict[str, Any]:
        """Write the move (the version goes up by one) and return the card as `CardRead`
        shows it, without `description_html`: one statement."""
        moved = (
            await self.session.execute(
                _MOVE,
                {
                    "card_id": card_id,
                    "to_column_id": column_id,
                    "to_position": position,
                    "new_completed_at": completed_at,
                    "new_started_at": started_at,
                    "new_moved_at": moved_at,
                },
            )
        ).one()
        # A use case that loaded the card before moving it (reviews do) reads it moved.
        await self.refresh_if_loaded(card_id)
        return dict(moved._asdict())

    # --- ordering ---------------------------------------------------------------------

    async def bounds_after(
        self, column_id: int, anchor: str | None, *, exclude_id: int | None
    ) -> str | None:
        """The first live position after `anchor` (None: the first of the column)."""
        query = _bound_query(
            after=True, anchored=anchor is not None, excluding=exclude_id is not None
        )
        params = {"column_id": column_id, "anchor": anchor, "exclude_id": exclude_id}
        return (await self.session.execute(query, params)).scalar_one()

    async def bounds_before(
        self, column_id: int, anchor: str | None, *, exclude_id: int | None
    ) -> str | None:
        """The last live position before `anchor` (None: the last of the column)."""
        query = _bound_query(
            after=False, anchored=anchor is not None, excluding=exclude_id is not None
        )
        params = {"column_id": column_id, "anchor": anchor, "exclude_id": exclude_id}
        return (await self.session.execute(query, params)).scalar_one()

    async def anchor(self, anchor_id: int, *, after: bool, exclude_id: int) -> Anchor | None:
        """The neighbour card `anchor_id` and the position past it (see `Anchor`)."""
        row = (
            await self.session.execute(
                _anchor_query(after=after), {"anchor_id": anchor_id, "exclude_id": exclude_id}
            )
        ).first()
        if row is None:
            return None
        return Anchor(
            column_id=row[0], archived=row[1] is not None, position=row[2], next_position=row[3]
        )

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
        # Two steps, because the unique index is checked row by row. A card that left
        # the column meanwhile (a move locks its target column, not its source) is
        # left alone: `column_id` is checked again on the row's latest version.
        await self.session.execute(
            update(Card)
            .where(Card.id.in_(ids), Card.column_id == column_id)
            .values(position=literal_column("'~' || cards.id::text"))
            .execution_options(synchronize_session=False)
        )
        for card_id, key in zip(ids, keys, strict=True):
            await self.session.execute(
                update(Card)
                .where(Card.id == card_id, Card.column_id == column_id)
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
                Card.due_completed_at,
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
        now: dt.datetime | ColumnElement[dt.datetime],
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
            stmt = stmt.where(
                Card.due_at < now, Card.completed_at.is_(None), Card.due_completed_at.is_(None)
            )
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
        key = ("cards_of_user", project_ids is not None, include_done, due)
        if key not in _STATEMENTS:
            _STATEMENTS[key] = self._cards_of_user_statements(
                scoped=project_ids is not None, include_done=include_done, due=due
            )
        count, page, summary = _STATEMENTS[key]
        params = {
            "user_id": user_id,
            "project_ids": list(project_ids or ()),
            "now": now,
            "page_limit": limit,
            "page_offset": offset,
        }
        total = (await self.session.execute(count, params)).scalar_one()
        page_ids = [row[0] for row in await self.session.execute(page, params)]
        rows = await self.session.execute(summary, {"page_ids": page_ids})
        return _dicts(rows), total

    def _cards_of_user_statements(
        self, *, scoped: bool, include_done: bool, due: str | None
    ) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
        """The count and the page's ids, on :user_id, :project_ids, :now, :page_limit and
        :page_offset, and the page's summary on :page_ids: built once per shape (they
        are asked on every request)."""
        assigned = select(CardAssignee.card_id).where(
            CardAssignee.user_id == bindparam("user_id", type_=BigInteger)
        )
        conditions = [
            Card.id.in_(assigned),
            Card.archived_at.is_(None),
            Board.archived_at.is_(None),
            BoardColumn.archived_at.is_(None),
        ]
        if scoped:
            conditions.append(Board.project_id.in_(bindparam("project_ids", expanding=True)))
        if not include_done:
            conditions.append(Card.completed_at.is_(None))
        base = (
            select(Card.id)
            .join(Board, Board.id == Card.board_id)
            .join(BoardColumn, BoardColumn.id == Card.column_id)
            .where(*conditions)
        )
        now = bindparam("now", type_=DateTime(timezone=True))
        base = self.filters(base, assignee_id=None, label_id=None, due=due, text=None, now=now)
        count = select(func.count()).select_from(base.subquery())
        # The page first (soonest due first); counts and names only for its cards,
        # given as values: the planner then looks up those cards' rows by index (with
        # the page as a subquery it aggregated whole tables on the large data set).
        page = (
            base.order_by(Card.due_at.asc().nulls_last(), Card.id)
            .limit(bindparam("page_limit", type_=Integer))
            .offset(bindparam("page_offset", type_=Integer))
        )
        summary = (
            self.summary_statement(Card.id.in_(bindparam("page_ids", expanding=True)))
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
        return count, page, summary

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
        key = ("search", project_ids is not None)
        if key not in _STATEMENTS:
            _STATEMENTS[key] = self._search_statements(scoped=project_ids is not None)
        count, page = _STATEMENTS[key]
        params = {
            "query": query,
            "project_ids": list(project_ids or ()),
            "page_limit": limit,
            "page_offset": offset,
        }
        total = (await self.session.execute(count, params)).scalar_one()
        return _dicts(await self.session.execute(page, params)), total

    def _search_statements(
        self, *, scoped: bool
    ) -> tuple[Select[*tuple[Any, ...]], Select[*tuple[Any, ...]]]:
        """The count and the page, on :query, :project_ids, :page_limit and
        :page_offset: built once per shape (they are asked on every request)."""
        query = bindparam("query", type_=String)
        tsquery = func.websearch_to_tsquery(literal_column("'russian'::regconfig"), query).op("||")(
            func.websearch_to_tsquery(literal_column("'english'::regconfig"), query)
        )
        conditions = [Card.archived_at.is_(None), Board.archived_at.is_(None)]
        if scoped:
            conditions.append(Board.project_id.in_(bindparam("project_ids", expanding=True)))
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
        count = select(func.count()).select_from(ranked)
        # The page first; counts and names only for its cards.
        page = (
            select(ranked.c.card_id, ranked.c.rank)
            .order_by(ranked.c.rank.desc(), ranked.c.card_id)
            .limit(bindparam("page_limit", type_=Integer))
            .offset(bindparam("page_offset", type_=Integer))
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
        return count, stmt


# Statements of the list reads, built once per shape (see their builders).
_STATEMENTS: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _dicts(result: Result[Any]) -> list[dict[str, Any]]:
    """Rows as dicts, taking the column names once (Row._mapping per row is costly)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]
