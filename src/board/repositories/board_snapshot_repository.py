"""Bulk writes and reads of whole boards (imports and exports).

Imports write tens of thousands of rows in one transaction: ids are taken from the
tables' identity sequences in one statement, then rows go in with COPY on the
session's own connection (same transaction), which is an order of magnitude faster
than INSERT … VALUES for these sizes.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text, update

from ...lib.repository import QueryRepository
from ..models.activity_model import ActivityEvent
from ..models.board_model import Board, BoardColumn, Label
from ..models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment, Mention
from ..models.card_model import Card, CardAssignee, CardLabel

# The tables a snapshot writes rows into (their names go into ANALYZE statements).
SNAPSHOT_TABLES = frozenset(
    {
        "board_columns",
        "labels",
        "cards",
        "card_assignees",
        "card_labels",
        "checklists",
        "checklist_items",
        "comments",
        "mentions",
        "attachments",
        "activity_events",
    }
)


class BoardSnapshotRepository(QueryRepository):
    # --- writes ---------------------------------------------------------------------

    async def next_ids(self, table: str, count: int) -> list[int]:
        """`count` fresh ids from the identity sequence of `table` (one statement)."""
        if count == 0:
            return []
        result = await self.session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"table": table, "count": count},
        )
        return [row[0] for row in result]

    async def copy(
        self, table: str, columns: Sequence[str], records: list[tuple[Any, ...]]
    ) -> None:
        """COPY `records` into `table` within the session's transaction."""
        if not records:
            return
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.copy_records_to_table(table, records=records, columns=list(columns))

    async def analyze(self, tables: Sequence[str]) -> None:
        """Fresh planner statistics for tables that just took many rows (in this
        transaction: ANALYZE counts the rows the transaction itself inserted)."""
        for table in tables:
            if table not in SNAPSHOT_TABLES:
                raise ValueError(f"not a table snapshots write: {table!r}")
            await self.session.execute(text(f"ANALYZE {table}"))  # a name from the list above

    # --- reads (exports) ------------------------------------------------------------

    async def project_has_external(self, project_id: int, external_id: str) -> int | None:
        """The id of a board of the project imported from the same source, if any."""
        result = await self.session.execute(
            select(Board.id)
            .where(Board.project_id == project_id, Board.external_id == external_id)
            .order_by(Board.id)
            .limit(1)
        )
        return result.scalar_one_or_none()

    async def columns(self, board_id: int) -> Sequence[BoardColumn]:
        result = await self.session.execute(
            select(BoardColumn)
            .where(BoardColumn.board_id == board_id)
            .order_by(BoardColumn.position, BoardColumn.id)
        )
        return result.scalars().all()

    async def labels(self, board_id: int) -> Sequence[Label]:
        result = await self.session.execute(
            select(Label).where(Label.board_id == board_id).order_by(Label.id)
        )
        return result.scalars().all()

    async def cards(self, board_id: int) -> Sequence[Card]:
        """Every card of the board (archived ones too) in board order."""
        result = await self.session.execute(
            select(Card)
            .join(BoardColumn, BoardColumn.id == Card.column_id)
            .where(Card.board_id == board_id)
            .order_by(BoardColumn.position, BoardColumn.id, Card.position, Card.id)
        )
        return result.scalars().all()

    async def assignees(self, board_id: int) -> dict[int, list[int]]:
        result = await self.session.execute(
            select(CardAssignee.card_id, func.array_agg(CardAssignee.user_id))
            .join(Card, Card.id == CardAssignee.card_id)
            .where(Card.board_id == board_id)
            .group_by(CardAssignee.card_id)
        )
        return {card_id: sorted(users) for card_id, users in result.all()}

    async def card_labels(self, board_id: int) -> dict[int, list[int]]:
        result = await self.session.execute(
            select(CardLabel.card_id, func.array_agg(CardLabel.label_id))
            .join(Card, Card.id == CardLabel.card_id)
            .where(Card.board_id == board_id)
            .group_by(CardLabel.card_id)
        )
        return {card_id: sorted(labels) for card_id, labels in result.all()}

    async def checklists(self, board_id: int) -> Sequence[Checklist]:
        result = await self.session.execute(
            select(Checklist)
            .join(Card, Card.id == Checklist.card_id)
            .where(Card.board_id == board_id, Checklist.archived_at.is_(None))
            .order_by(Checklist.card_id, Checklist.position, Checklist.id)
        )
        return result.scalars().all()

    async def checklist_items(self, board_id: int) -> Sequence[ChecklistItem]:
        result = await self.session.execute(
            select(ChecklistItem)
            .join(Card, Card.id == ChecklistItem.card_id)
            .where(Card.board_id == board_id, ChecklistItem.archived_at.is_(None))
            .order_by(ChecklistItem.checklist_id, ChecklistItem.position, ChecklistItem.id)
        )
        return result.scalars().all()

    async def comments(self, board_id: int) -> Sequence[Comment]:
        result = await self.session.execute(
            select(Comment)
            .join(Card, Card.id == Comment.card_id)
            .where(Card.board_id == board_id, Comment.deleted_at.is_(None))
            .order_by(Comment.card_id, Comment.created_at, Comment.id)
        )
        return result.scalars().all()

    async def mentioned_user_ids(self, board_id: int) -> list[int]:
        """Who the board's live comments mention."""
        result = await self.session.execute(
            select(Mention.user_id)
            .distinct()
            .join(Card, Card.id == Mention.card_id)
            .join(Comment, Comment.id == Mention.comment_id)
            .where(Card.board_id == board_id, Comment.deleted_at.is_(None))
            .order_by(Mention.user_id)
        )
        return list(result.scalars())

    async def links(self, board_id: int) -> Sequence[Attachment]:
        result = await self.session.execute(
            select(Attachment)
            .join(Card, Card.id == Attachment.card_id)
            .where(Card.board_id == board_id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.card_id, Attachment.created_at, Attachment.id)
        )
        return result.scalars().all()

    async def moves(self, board_id: int, kinds: Sequence[str]) -> Sequence[ActivityEvent]:
        """The creation and move events of the board's cards, oldest first."""
        result = await self.session.execute(
            select(ActivityEvent)
            .where(
                ActivityEvent.board_id == board_id,
                ActivityEvent.card_id.is_not(None),
                ActivityEvent.kind.in_(kinds),
            )
            .order_by(ActivityEvent.card_id, ActivityEvent.created_at, ActivityEvent.id)
        )
        return result.scalars().all()


class UserReferenceRepository(QueryRepository):
    """Every place of the tracker that names a user, for merging placeholders."""

    async def reassign(self, source_id: int, target_id: int) -> None:
        params = {"source": source_id, "target": target_id}
        # Link tables: keep one row per card (or comment) when both people are on it.
        await self.session.execute(
            text(
                "INSERT INTO card_assignees (card_id, user_id) "
                "SELECT card_id, :target FROM card_assignees WHERE user_id = :source "
                "ON CONFLICT (card_id, user_id) DO NOTHING"
            ),
            params,
        )
        await self.session.execute(
            text("DELETE FROM card_assignees WHERE user_id = :source"), params
        )
        await self.session.execute(
            text(
                "INSERT INTO mentions (comment_id, card_id, user_id) "
                "SELECT comment_id, card_id, :target FROM mentions WHERE user_id = :source "
                "ON CONFLICT (comment_id, user_id) DO NOTHING"
            ),
            params,
        )
        await self.session.execute(text("DELETE FROM mentions WHERE user_id = :source"), params)
        for column in (
            Board.created_by_id,
            Card.created_by_id,
            Comment.author_id,
            ChecklistItem.assignee_id,
            Attachment.uploaded_by_id,
            ActivityEvent.actor_id,
        ):
            await self.session.execute(
                update(column.class_)
                .where(column == source_id)
                .values({column.key: target_id})
                .execution_options(synchronize_session=False)
            )
