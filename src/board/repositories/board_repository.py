"""Queries on `boards`, `board_columns` and `labels`."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import BigInteger, Table, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from ...lib.repository import ArchivableRepositoryBase
from ..models.board_model import Board, BoardColumn, Label
from ..models.card_model import Card


@dataclass(frozen=True, slots=True)
class MoveColumn:
    """What a move needs of a column (its target, locked; its source)."""

    id: int
    name: str
    kind: str
    wip_limit: int | None
    archived: bool


# Built once, as a Core statement on the table (moves are the hot path): no statement
# building, cache key or ORM compilation step per request.
_columns = cast(Table, BoardColumn.__table__).c
_LOCK_ON_BOARD = (
    select(_columns.id, _columns.name, _columns.kind, _columns.wip_limit, _columns.archived_at)
    .where(
        _columns.board_id == bindparam("board_id", type_=BigInteger),
        _columns.id == any_(bindparam("column_ids", type_=ARRAY(BigInteger))),
    )
    .order_by(_columns.id)
    .with_for_update()
)


class BoardRepository(ArchivableRepositoryBase[Board]):
    model = Board

    async def get_multi_by_project(self, project_id: int, *, archived: bool) -> Sequence[Board]:
        stmt = select(Board).where(Board.project_id == project_id)
        stmt = stmt.where(
            Board.archived_at.is_not(None) if archived else Board.archived_at.is_(None)
        )
        return await self.get_all(stmt.order_by(Board.is_default.desc(), Board.id))

    async def has_default(self, project_id: int) -> bool:
        stmt = select(Board.id).where(Board.project_id == project_id, Board.is_default.is_(True))
        return (await self.session.execute(stmt.limit(1))).first() is not None


class ColumnRepository(ArchivableRepositoryBase[BoardColumn]):
    model = BoardColumn

    async def lock(self, column_ids: Sequence[int]) -> dict[int, BoardColumn]:
        """Lock columns in id order (no deadlocks): moves into one column serialise."""
        stmt = (
            select(BoardColumn)
            .where(BoardColumn.id.in_(sorted(set(column_ids))))
            .order_by(BoardColumn.id)
            .with_for_update()
        )
        return {c.id: c for c in (await self.session.execute(stmt)).scalars()}

    async def lock_on_board(
        self, board_id: int, column_ids: Sequence[int]
    ) -> dict[int, MoveColumn]:
        """Lock those of the columns that are on the board, in id order (no deadlocks);
        a column of another board is neither locked nor returned."""
        rows = await self.session.execute(
            _LOCK_ON_BOARD, {"board_id": board_id, "column_ids": sorted(set(column_ids))}
        )
        return {
            row[0]: MoveColumn(
                id=row[0], name=row[1], kind=row[2], wip_limit=row[3], archived=row[4] is not None
            )
            for row in rows
        }

    async def get_multi(
        self, board_id: int, *, archived: bool | None = False
    ) -> Sequence[BoardColumn]:
        stmt = select(BoardColumn).where(BoardColumn.board_id == board_id)
        if archived is not None:
            stmt = stmt.where(
                BoardColumn.archived_at.is_not(None)
                if archived
                else BoardColumn.archived_at.is_(None)
            )
        return await self.get_all(stmt.order_by(BoardColumn.position, BoardColumn.id))

    async def last_position(self, board_id: int) -> str | None:
        stmt = select(func.max(BoardColumn.position)).where(BoardColumn.board_id == board_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def neighbour_positions(
        self, board_id: int, position: str, *, exclude_id: int
    ) -> tuple[str | None, str | None]:
        """Positions right before and right after `position` among the board's columns."""
        before = select(func.max(BoardColumn.position)).where(
            BoardColumn.board_id == board_id,
            BoardColumn.position < position,
            BoardColumn.id != exclude_id,
        )
        after = select(func.min(BoardColumn.position)).where(
            BoardColumn.board_id == board_id,
            BoardColumn.position > position,
            BoardColumn.id != exclude_id,
        )
        row = (
            await self.session.execute(select(before.scalar_subquery(), after.scalar_subquery()))
        ).one()
        return row[0], row[1]

    async def count_live_cards(self, column_id: int) -> int:
        stmt = (
            select(func.count())
            .select_from(Card)
            .where(Card.column_id == column_id, Card.archived_at.is_(None))
        )
        return int((await self.session.execute(stmt)).scalar_one())


class LabelRepository(ArchivableRepositoryBase[Label]):
    model = Label

    async def get_multi(self, board_id: int) -> Sequence[Label]:
        stmt = (
            select(Label)
            .where(Label.board_id == board_id, Label.archived_at.is_(None))
            .order_by(Label.id)
        )
        return await self.get_all(stmt)

    async def get_by_ids(self, board_id: int, label_ids: Sequence[int]) -> Sequence[Label]:
        if not label_ids:
            return []
        stmt = select(Label).where(
            Label.board_id == board_id, Label.id.in_(label_ids), Label.archived_at.is_(None)
        )
        return await self.get_all(stmt)
