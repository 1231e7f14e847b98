"""Boards, their columns and labels; the whole-board read; default boards of projects."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ...internship.events import ProjectCreated
from ...internship.services.access import ProjectAccess
from ...internship.services.team_service import team_service
from ...lib.clock import utcnow
from ...lib.errors import NotFoundError
from ...lib.ordering import key_between
from ...lib.security.actor import Actor
from ..constants import DEFAULT_BOARD_NAME, DEFAULT_COLUMNS, ColumnKind, EventKind
from ..exceptions import (
    ArchivedError,
    BoardNotFoundError,
    BoardPermissionError,
    ColumnNotFoundError,
    InvalidReferenceError,
    LabelNotFoundError,
    NotArchivedError,
)
from ..models.board_model import Board, BoardColumn, Label
from ..repositories.board_read_repository import BoardReadRepository
from ..repositories.board_repository import BoardRepository, ColumnRepository, LabelRepository
from ..schemas.board_schema import (
    BoardCreate,
    BoardRead,
    BoardUpdate,
    ColumnCreate,
    ColumnMove,
    ColumnRead,
    ColumnUpdate,
    DueFilter,
    LabelCreate,
    LabelRead,
    LabelUpdate,
)
from .activity_service import activity_service


class BoardService:
    # --- access -----------------------------------------------------------------------

    async def project_access(
        self, session: AsyncSession, actor: Actor, project_id: int
    ) -> ProjectAccess:
        """Boards of a project: 404 unless the actor may see them."""
        try:
            access = await team_service.project_access(session, actor, project_id)
        except NotFoundError:
            raise NotFoundError("Project not found.") from None
        return self._seeing_boards(access)

    def project_access_from_facts(self, actor: Actor, facts: Sequence[Any]) -> ProjectAccess:
        """As `project_access`, from the columns of `team_service.project_facts_query`
        read with the caller's own statement."""
        try:
            access = team_service.project_access_from_facts(actor, facts)
        except NotFoundError:
            raise NotFoundError("Project not found.") from None
        return self._seeing_boards(access)

    @staticmethod
    def _seeing_boards(access: ProjectAccess) -> ProjectAccess:
        if not access.can_see_boards:
            raise NotFoundError("Project not found.")
        return access

    async def board_access(
        self, session: AsyncSession, actor: Actor, board_id: int, *, for_update: bool = False
    ) -> tuple[Board, ProjectAccess]:
        board = await BoardRepository(session).get_by_id(board_id, for_update=for_update)
        if board is None:
            raise BoardNotFoundError
        try:
            access = await team_service.project_access(session, actor, board.project_id)
        except NotFoundError:
            raise BoardNotFoundError from None
        if not access.can_see_boards:
            raise BoardNotFoundError
        return board, access

    async def managed_board(
        self, session: AsyncSession, actor: Actor, board_id: int, *, writable: bool = True
    ) -> tuple[Board, ProjectAccess]:
        board, access = await self.board_access(session, actor, board_id, for_update=True)
        if not access.can_manage_boards:
            raise BoardPermissionError("Only the team's mentors and organisers manage boards.")
        if writable and board.archived_at is not None:
            raise ArchivedError("board")
        return board, access

    async def column_access(
        self, session: AsyncSession, actor: Actor, column_id: int, *, manage: bool
    ) -> tuple[BoardColumn, Board, ProjectAccess]:
        column = await ColumnRepository(session).get_by_id(column_id, for_update=manage)
        if column is None:
            raise ColumnNotFoundError
        try:
            if manage:
                board, access = await self.managed_board(session, actor, column.board_id)
            else:
                board, access = await self.board_access(session, actor, column.board_id)
        except BoardNotFoundError:
            raise ColumnNotFoundError from None
        return column, board, access

    # --- boards -----------------------------------------------------------------------

    async def create_default_board(
        self, session: AsyncSession, project_id: int, actor_id: int | None
    ) -> Board:
        """The board every project starts with: «Бэклог» → … → «Готово»."""
        board = Board(
            project_id=project_id,
            name=DEFAULT_BOARD_NAME,
            description="",
            is_default=True,
            created_by_id=actor_id,
        )
        await BoardRepository(session).add(board)
        await self._add_default_columns(session, board)
        return board

    async def _add_default_columns(self, session: AsyncSession, board: Board) -> None:
        repo = ColumnRepository(session)
        position: str | None = None
        for name, kind in DEFAULT_COLUMNS:
            position = key_between(position, None)
            await repo.add(
                BoardColumn(board_id=board.id, name=name, kind=kind.value, position=position)
            )

    async def on_project_created(self, session: AsyncSession, event: ProjectCreated) -> None:
        if not await BoardRepository(session).has_default(event.project_id):
            await self.create_default_board(session, event.project_id, event.actor_id)

    async def list_boards(
        self, session: AsyncSession, actor: Actor, project_id: int, *, archived: bool
    ) -> list[BoardRead]:
        await self.project_access(session, actor, project_id)
        boards = await BoardRepository(session).get_multi_by_project(project_id, archived=archived)
        return [BoardRead.model_validate(b) for b in boards]

    async def create_board(
        self, session: AsyncSession, actor: Actor, project_id: int, data: BoardCreate
    ) -> BoardRead:
        access = await self.project_access(session, actor, project_id)
        if not access.can_manage_boards:
            raise BoardPermissionError("Only the team's mentors and organisers create boards.")
        board = Board(
            project_id=project_id,
            name=data.name,
            description=data.description,
            is_default=False,
            created_by_id=actor.user_id or None,
        )
        await BoardRepository(session).add(board)
        if data.with_default_columns:
            await self._add_default_columns(session, board)
        return BoardRead.model_validate(board)

    async def update_board(
        self, session: AsyncSession, actor: Actor, board_id: int, data: BoardUpdate
    ) -> BoardRead:
        board, _ = await self.managed_board(session, actor, board_id)
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        for key, value in changes.items():
            setattr(board, key, value)
        await BoardRepository(session).flush()
        if changes:
            await activity_service.record(
                session,
                actor,
                board_id=board.id,
                card_id=None,
                kind=EventKind.BOARD_UPDATED,
                fields=sorted(changes),
            )
        return BoardRead.model_validate(board)

    async def set_board_archived(
        self, session: AsyncSession, actor: Actor, board_id: int, *, archived: bool
    ) -> BoardRead:
        board, _ = await self.managed_board(session, actor, board_id, writable=False)
        repo = BoardRepository(session)
        await (repo.archive(board) if archived else repo.restore(board))
        return BoardRead.model_validate(board)

    async def delete_board(self, session: AsyncSession, actor: Actor, board_id: int) -> None:
        board, _ = await self.board_access(session, actor, board_id, for_update=True)
        if not actor.is_admin:
            raise BoardPermissionError("Only organisers delete, and only what is archived.")
        if board.archived_at is None:
            raise NotArchivedError("board")
        await BoardRepository(session).delete(board)

    async def read_board(
        self,
        session: AsyncSession,
        actor: Actor,
        board_id: int,
        *,
        assignee_id: int | None = None,
        label_id: int | None = None,
        due: DueFilter | None = None,
        text: str | None = None,
    ) -> str:
        """The whole board as a JSON document (`BoardFull`), built by PostgreSQL in one
        statement: a constant number of queries whatever the board's size."""
        await self.board_access(session, actor, board_id)
        return await BoardReadRepository(session).board_document(
            board_id, assignee_id=assignee_id, label_id=label_id, due=due, text=text, now=utcnow()
        )

    # --- columns ----------------------------------------------------------------------

    async def list_columns(
        self, session: AsyncSession, actor: Actor, board_id: int, *, archived: bool
    ) -> list[ColumnRead]:
        await self.board_access(session, actor, board_id)
        columns = await ColumnRepository(session).get_multi(board_id, archived=archived)
        return [ColumnRead.model_validate(c) for c in columns]

    async def create_column(
        self, session: AsyncSession, actor: Actor, board_id: int, data: ColumnCreate
    ) -> ColumnRead:
        board, _ = await self.managed_board(session, actor, board_id)
        position = await self._column_position(session, board.id, data.after_column_id, None)
        column = BoardColumn(
            board_id=board.id,
            name=data.name,
            kind=data.kind.value,
            wip_limit=data.wip_limit,
            position=position,
        )
        await ColumnRepository(session).add(column)
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=None,
            kind=EventKind.COLUMN_CREATED,
            column_id=column.id,
            name=column.name,
        )
        return ColumnRead.model_validate(column)

    async def _column_position(
        self, session: AsyncSession, board_id: int, after_id: int | None, moving_id: int | None
    ) -> str:
        repo = ColumnRepository(session)
        if after_id is None:
            if moving_id is None:  # a new column goes last
                return key_between(await repo.last_position(board_id), None)
            first = await repo.get_multi(board_id, archived=None)
            first_pos = next((c.position for c in first if c.id != moving_id), None)
            return key_between(None, first_pos)
        anchor = await repo.get_by_id(after_id)
        if anchor is None or anchor.board_id != board_id or anchor.id == moving_id:
            raise InvalidReferenceError(
                "The column to place after is not on this board.", field="after_column_id"
            )
        _, after = await repo.neighbour_positions(
            board_id, anchor.position, exclude_id=moving_id or 0
        )
        return key_between(anchor.position, after)

    async def update_column(
        self, session: AsyncSession, actor: Actor, column_id: int, data: ColumnUpdate
    ) -> ColumnRead:
        column, board, _ = await self.column_access(session, actor, column_id, manage=True)
        changes = data.model_dump(exclude_unset=True)
        for key, value in changes.items():
            if key in {"name", "kind"} and value is None:
                continue
            setattr(column, key, value.value if isinstance(value, ColumnKind) else value)
        await BoardRepository(session).flush()
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=None,
            kind=EventKind.COLUMN_UPDATED,
            column_id=column.id,
            fields=sorted(changes),
        )
        return ColumnRead.model_validate(column)

    async def move_column(
        self, session: AsyncSession, actor: Actor, column_id: int, data: ColumnMove
    ) -> ColumnRead:
        column, board, _ = await self.column_access(session, actor, column_id, manage=True)
        column.position = await self._column_position(
            session, board.id, data.after_column_id, column.id
        )
        await BoardRepository(session).flush()
        return ColumnRead.model_validate(column)

    async def set_column_archived(
        self, session: AsyncSession, actor: Actor, column_id: int, *, archived: bool
    ) -> ColumnRead:
        column, board, _ = await self.column_access(session, actor, column_id, manage=True)
        repo = ColumnRepository(session)
        if archived and column.archived_at is None:
            await repo.archive(column)
            kind = EventKind.COLUMN_ARCHIVED
        elif not archived and column.archived_at is not None:
            await repo.restore(column)
            kind = EventKind.COLUMN_RESTORED
        else:
            return ColumnRead.model_validate(column)
        await activity_service.record(
            session, actor, board_id=board.id, card_id=None, kind=kind, column_id=column.id
        )
        return ColumnRead.model_validate(column)

    async def delete_column(self, session: AsyncSession, actor: Actor, column_id: int) -> None:
        column, _, _ = await self.column_access(session, actor, column_id, manage=False)
        if not actor.is_admin:
            raise BoardPermissionError("Only organisers delete, and only what is archived.")
        if column.archived_at is None:
            raise NotArchivedError("column")
        await ColumnRepository(session).delete(column)

    # --- labels -----------------------------------------------------------------------

    async def create_label(
        self, session: AsyncSession, actor: Actor, board_id: int, data: LabelCreate
    ) -> LabelRead:
        board, access = await self.board_access(session, actor, board_id)
        if not access.can_work_on_cards:
            raise BoardPermissionError("Observers cannot change the board.")
        if board.archived_at is not None:
            raise ArchivedError("board")
        label = Label(board_id=board.id, name=data.name or (data.color or ""), color=data.color)
        await LabelRepository(session).add(label)
        return LabelRead.model_validate(label)

    async def update_label(
        self, session: AsyncSession, actor: Actor, label_id: int, data: LabelUpdate
    ) -> LabelRead:
        label = await self._writable_label(session, actor, label_id)
        for key, value in data.model_dump(exclude_unset=True).items():
            if key == "name" and value is None:
                continue
            setattr(label, key, value)
        await BoardRepository(session).flush()
        return LabelRead.model_validate(label)

    async def archive_label(self, session: AsyncSession, actor: Actor, label_id: int) -> LabelRead:
        label = await self._writable_label(session, actor, label_id)
        await LabelRepository(session).archive(label)
        return LabelRead.model_validate(label)

    async def _writable_label(self, session: AsyncSession, actor: Actor, label_id: int) -> Label:
        label = await LabelRepository(session).get_by_id(label_id)
        if label is None or label.archived_at is not None:
            raise LabelNotFoundError
        try:
            _, access = await self.board_access(session, actor, label.board_id)
        except BoardNotFoundError:
            raise LabelNotFoundError from None
        if not access.can_work_on_cards:
            raise BoardPermissionError("Observers cannot change the board.")
        return label


board_service = BoardService()
