"""Whole boards in and out: write a `BoardSnapshot` as a new board, read a board back.

Used by the importer context (Trello exports, InternHub's own export format). Writing is
one unit of work of the caller: a failed import leaves nothing behind. The activity log
gets the card's past with the original times (creation, moves, comments, checked items,
archiving), so analytics see imported history like native history.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from ...internship.services.access import ProjectAccess
from ...internship.services.team_service import team_service
from ...lib.ordering import keys_between
from ...lib.security.actor import Actor
from ...user.events import UsersMerged
from ...user.user_service import user_service
from ..constants import MENTION, AttachmentKind, ColumnKind, EventKind
from ..exceptions import BoardPermissionError
from ..models.board_model import Board
from ..repositories.board_repository import BoardRepository
from ..repositories.board_snapshot_repository import (
    BoardSnapshotRepository,
    UserReferenceRepository,
)
from ..schemas.board_snapshot import (
    BoardSnapshot,
    CardSnapshot,
    ChecklistItemSnapshot,
    ChecklistSnapshot,
    ColumnSnapshot,
    CommentSnapshot,
    LabelSnapshot,
    LinkSnapshot,
    MoveSnapshot,
    SnapshotWriteResult,
)
from .board_service import board_service

logger = logging.getLogger(__name__)

Progress = Callable[[str, int], Awaitable[None]]

# Column lengths of the tables written here; longer text is cut and counted.
_LIMITS = {
    "board": 200,
    "column": 120,
    "label": 100,
    "card": 500,
    "checklist": 200,
    "item": 1000,
    "author": 200,
    "url": 2000,
    "link_title": 300,
}
_CARD_CHUNK = 2000


class BoardTransferService:
    async def importing_access(
        self, session: AsyncSession, actor: Actor, project_id: int
    ) -> ProjectAccess:
        """Imports create boards: the project's board managers only (404 if unseen)."""
        access = await board_service.project_access(session, actor, project_id)
        if not access.can_manage_boards:
            raise BoardPermissionError("Only the team's mentors and organisers import boards.")
        return access

    async def board_imported_from(
        self, session: AsyncSession, project_id: int, external_id: str
    ) -> int | None:
        return await BoardSnapshotRepository(session).project_has_external(project_id, external_id)

    # --- writing ----------------------------------------------------------------------

    async def write_snapshot(
        self,
        session: AsyncSession,
        project_id: int,
        snapshot: BoardSnapshot,
        *,
        created_by_id: int | None,
        progress: Progress | None = None,
    ) -> SnapshotWriteResult:
        """Create a board from `snapshot`; the caller's transaction commits or drops it."""
        repo = BoardSnapshotRepository(session)
        cut = _Cutter()

        async def report(stage: str, percent: int) -> None:
            if progress is not None:
                await progress(stage, percent)

        board = Board(
            project_id=project_id,
            name=cut(snapshot.name, "board") or "Trello",
            description=_no_nul(snapshot.description),
            is_default=False,
            created_by_id=created_by_id,
            external_id=snapshot.external_id,
        )
        await BoardRepository(session).add(board)

        kinds: dict[str, str] = {}
        column_ids: dict[str, int] = {}
        ids = await repo.next_ids("board_columns", len(snapshot.columns))
        positions = keys_between(None, None, len(snapshot.columns)) if snapshot.columns else []
        column_rows = []
        for column, column_id, position in zip(snapshot.columns, ids, positions, strict=True):
            column_ids[column.key] = column_id
            kinds[column.key] = ColumnKind(column.kind).value
            column_rows.append(
                (
                    column_id,
                    board.id,
                    cut(column.name, "column"),
                    position,
                    kinds[column.key],
                    column.wip_limit,
                    column.archived_at,
                    column.external_id,
                )
            )
        await repo.copy(
            "board_columns",
            (
                "id",
                "board_id",
                "name",
                "position",
                "kind",
                "wip_limit",
                "archived_at",
                "external_id",
            ),
            column_rows,
        )

        label_ids: dict[str, int] = {}
        ids = await repo.next_ids("labels", len(snapshot.labels))
        label_rows = []
        for label, label_id in zip(snapshot.labels, ids, strict=True):
            label_ids[label.key] = label_id
            label_rows.append(
                (
                    label_id,
                    board.id,
                    cut(label.name, "label"),
                    label.color,
                    label.archived_at,
                    label.external_id,
                )
            )
        await repo.copy(
            "labels",
            ("id", "board_id", "name", "color", "archived_at", "external_id"),
            label_rows,
        )
        await report("columns", 5)

        cards = snapshot.cards
        card_ids = await repo.next_ids("cards", len(cards))
        per_column: dict[str, int] = defaultdict(int)
        for card in cards:
            per_column[card.column_key] += 1
        column_keys = {
            key: iter(keys_between(None, None, count)) for key, count in per_column.items()
        }
        writer = _DetailWriter(board.id, column_ids, kinds, label_ids, cut)
        card_rows: list[tuple[Any, ...]] = []
        for index, (card, card_id) in enumerate(zip(cards, card_ids, strict=True)):
            if card.column_key not in column_ids:
                raise ValueError(f"card {index} names an unknown column {card.column_key!r}")
            card_rows.append(writer.card_row(card, card_id, next(column_keys[card.column_key])))
            if len(card_rows) >= _CARD_CHUNK:
                await repo.copy("cards", _CARD_COLUMNS, card_rows)
                card_rows = []
                await report("cards", 5 + 45 * (index + 1) // len(cards))
        await repo.copy("cards", _CARD_COLUMNS, card_rows)
        await report("cards", 50)

        await repo.copy("card_assignees", ("card_id", "user_id"), writer.assignees)
        await repo.copy("card_labels", ("card_id", "label_id"), writer.labels)

        checklist_ids = await repo.next_ids("checklists", len(writer.checklists))
        item_rows = []
        checklist_rows = []
        for (card_id, position, checklist), checklist_id in zip(
            writer.checklists, checklist_ids, strict=True
        ):
            checklist_rows.append(
                (
                    checklist_id,
                    card_id,
                    cut(checklist.title, "checklist"),
                    position,
                    checklist.external_id,
                )
            )
            item_positions = (
                keys_between(None, None, len(checklist.items)) if checklist.items else []
            )
            for item, item_position in zip(checklist.items, item_positions, strict=True):
                item_rows.append(
                    (
                        checklist_id,
                        card_id,
                        cut(item.text, "item"),
                        item_position,
                        item.is_done,
                        item.done_at if item.is_done else None,
                        item.assignee_id,
                        item.due_at,
                    )
                )
        await repo.copy(
            "checklists",
            ("id", "card_id", "title", "position", "external_id"),
            checklist_rows,
        )
        await repo.copy(
            "checklist_items",
            (
                "checklist_id",
                "card_id",
                "text",
                "position",
                "is_done",
                "done_at",
                "assignee_id",
                "due_at",
            ),
            item_rows,
        )
        await report("checklists", 60)

        comment_ids = await repo.next_ids("comments", len(writer.comments))
        comment_rows = []
        for (card_id, comment), comment_id in zip(writer.comments, comment_ids, strict=True):
            comment_rows.append(
                (
                    comment_id,
                    card_id,
                    comment.author_id,
                    cut(comment.author_name, "author") if comment.author_name else None,
                    _no_nul(comment.body),
                    comment.edited_at,
                    comment.external_id,
                    comment.at,
                    comment.edited_at or comment.at,
                )
            )
            writer.event(
                card_id,
                EventKind.COMMENT_ADDED,
                comment.at,
                comment.author_id,
                {"comment_id": comment_id},
            )
        await repo.copy(
            "comments",
            (
                "id",
                "card_id",
                "author_id",
                "author_name",
                "body",
                "edited_at",
                "external_id",
                "created_at",
                "updated_at",
            ),
            comment_rows,
        )
        # As when a comment is written: only the project team's people are mentioned.
        handles = snapshot.mention_handles
        if handles:
            project = await team_service.project_access(session, Actor.system(), project_id)
            team = await team_service.team_user_ids(session, project.team_id)
            handles = {h: u for h, u in handles.items() if u in team}
        mention_rows = _mention_rows(comment_rows, handles)
        await repo.copy("mentions", ("comment_id", "card_id", "user_id"), mention_rows)
        await repo.copy(
            "attachments",
            ("card_id", "kind", "url", "title", "uploaded_by_id", "created_at", "updated_at"),
            [
                (
                    card_id,
                    AttachmentKind.LINK.value,
                    _no_nul(link.url)[: _LIMITS["url"]],
                    cut(link.title or link.url, "link_title"),
                    link.added_by_id,
                    link.at,
                    link.at,
                )
                for card_id, link in writer.links
            ],
        )
        await report("comments", 75)

        writer.events.sort(key=lambda row: (row[5], row[1] or 0))
        await repo.copy(
            "activity_events",
            ("board_id", "card_id", "actor_id", "kind", "data", "created_at", "updated_at"),
            writer.events,
        )
        await report("history", 95)
        counts = {
            "columns": len(column_rows),
            "labels": len(label_rows),
            "cards": len(cards),
            "archived_cards": sum(1 for c in cards if c.archived_at is not None),
            "checklists": len(checklist_rows),
            "checklist_items": len(item_rows),
            "comments": len(comment_rows),
            "mentions": len(mention_rows),
            "attachments": len(writer.links),
            "assignments": len(writer.assignees),
            "history_events": len(writer.events),
        }
        return SnapshotWriteResult(
            board_id=board.id,
            counts=counts,
            extra={"truncated_texts": cut.count, "dropped_start_dates": writer.dropped_starts},
        )

    async def refresh_statistics(self, session: AsyncSession, result: SnapshotWriteResult) -> None:
        """ANALYZE the tables a snapshot wrote rows into. A bulk write of thousands of rows
        leaves the planner's statistics behind until autovacuum catches up, and a fresh
        5 000-card board then took over 30 s to read (0.23 s analysed). A failure here
        (a statement timeout on a huge table) only leaves the statistics as they were."""
        tables = [table for key, table in _COUNTED_TABLES.items() if result.counts.get(key)]
        if result.counts.get("cards"):
            tables.append("card_labels")
        try:
            async with session.begin_nested():
                await BoardSnapshotRepository(session).analyze(tables)
        except DBAPIError:
            logger.warning("statistics of %s not refreshed", tables, exc_info=True)

    async def on_users_merged(self, session: AsyncSession, event: UsersMerged) -> None:
        await UserReferenceRepository(session).reassign(event.source_id, event.target_id)

    # --- reading ----------------------------------------------------------------------

    async def read_snapshot(
        self, session: AsyncSession, actor: Actor, board_id: int
    ) -> BoardSnapshot:
        """The board as a snapshot (archived columns, labels and cards included)."""
        board, _ = await board_service.board_access(session, actor, board_id)
        repo = BoardSnapshotRepository(session)
        columns = await repo.columns(board.id)
        column_keys = {c.id: f"column-{i + 1}" for i, c in enumerate(columns)}
        labels = await repo.labels(board.id)
        label_keys = {label.id: f"label-{i + 1}" for i, label in enumerate(labels)}
        assignees = await repo.assignees(board.id)
        card_labels = await repo.card_labels(board.id)

        items: dict[int, list[ChecklistItemSnapshot]] = defaultdict(list)
        for item in await repo.checklist_items(board.id):
            items[item.checklist_id].append(
                ChecklistItemSnapshot(
                    text=item.text,
                    is_done=item.is_done,
                    done_at=item.done_at,
                    due_at=item.due_at,
                    assignee_id=item.assignee_id,
                )
            )
        checklists: dict[int, list[ChecklistSnapshot]] = defaultdict(list)
        for checklist in await repo.checklists(board.id):
            checklists[checklist.card_id].append(
                ChecklistSnapshot(
                    title=checklist.title,
                    items=items.get(checklist.id, []),
                    external_id=checklist.external_id,
                )
            )
        comments: dict[int, list[CommentSnapshot]] = defaultdict(list)
        for comment in await repo.comments(board.id):
            comments[comment.card_id].append(
                CommentSnapshot(
                    body=comment.body,
                    at=comment.created_at,
                    author_id=comment.author_id,
                    author_name=comment.author_name,
                    edited_at=comment.edited_at,
                    external_id=comment.external_id,
                )
            )
        links: dict[int, list[LinkSnapshot]] = defaultdict(list)
        for attachment in await repo.links(board.id):
            if attachment.kind != AttachmentKind.LINK.value or not attachment.url:
                continue  # uploaded files stay on this server; the format carries links
            links[attachment.card_id].append(
                LinkSnapshot(
                    url=attachment.url,
                    title=attachment.title,
                    at=attachment.created_at,
                    added_by_id=attachment.uploaded_by_id,
                )
            )
        history: dict[int, list[MoveSnapshot]] = defaultdict(list)
        for event in await repo.moves(
            board.id, (EventKind.CARD_CREATED.value, EventKind.CARD_MOVED.value)
        ):
            assert event.card_id is not None
            if event.kind == EventKind.CARD_CREATED.value:
                target = column_keys.get(event.data.get("column_id", -1))
                source = None
            else:
                target = column_keys.get(event.data.get("to_column_id", -1))
                source = column_keys.get(event.data.get("from_column_id", -1))
                if source == target:
                    continue  # a reorder within the column is not history
            if target is None:
                continue
            history[event.card_id].append(
                MoveSnapshot(
                    at=event.created_at,
                    to_column_key=target,
                    from_column_key=source,
                    actor_id=event.actor_id,
                )
            )
        cards = [
            CardSnapshot(
                column_key=column_keys[card.column_id],
                title=card.title,
                created_at=card.created_at,
                description=card.description,
                priority=card.priority,
                start_at=card.start_at,
                due_at=card.due_at,
                due_completed_at=card.due_completed_at,
                estimate=card.estimate,
                created_by_id=card.created_by_id,
                completed_at=card.completed_at,
                archived_at=card.archived_at,
                assignee_ids=assignees.get(card.id, []),
                label_keys=[label_keys[i] for i in card_labels.get(card.id, [])],
                checklists=checklists.get(card.id, []),
                comments=comments.get(card.id, []),
                links=links.get(card.id, []),
                history=history.get(card.id, []),
                external_id=card.external_id,
            )
            for card in await repo.cards(board.id)
        ]
        return BoardSnapshot(
            name=board.name,
            description=board.description,
            external_id=board.external_id,
            columns=[
                ColumnSnapshot(
                    key=column_keys[c.id],
                    name=c.name,
                    kind=c.kind,
                    wip_limit=c.wip_limit,
                    archived_at=c.archived_at,
                    external_id=c.external_id,
                )
                for c in columns
            ],
            labels=[
                LabelSnapshot(
                    key=label_keys[label.id],
                    name=label.name,
                    color=label.color,
                    archived_at=label.archived_at,
                    external_id=label.external_id,
                )
                for label in labels
            ],
            cards=cards,
            mention_handles={
                username.lower(): user_id
                for user_id, (username, _) in (
                    await user_service.names(session, await repo.mentioned_user_ids(board.id))
                ).items()
            },
        )


# The write's counts → the table each counts rows of.
_COUNTED_TABLES = {
    "columns": "board_columns",
    "labels": "labels",
    "cards": "cards",
    "assignments": "card_assignees",
    "checklists": "checklists",
    "checklist_items": "checklist_items",
    "comments": "comments",
    "mentions": "mentions",
    "attachments": "attachments",
    "history_events": "activity_events",
}

_CARD_COLUMNS = (
    "id",
    "board_id",
    "column_id",
    "position",
    "title",
    "description",
    "priority",
    "start_at",
    "due_at",
    "due_completed_at",
    "estimate",
    "created_by_id",
    "completed_at",
    "started_at",
    "moved_at",
    "archived_at",
    "version",
    "external_id",
    "created_at",
    "updated_at",
)


def _mention_rows(
    comment_rows: list[tuple[Any, ...]], handles: dict[str, int]
) -> list[tuple[int, int, int]]:
    """(comment id, card id, user id) for each @handle of a comment body that names a
    user, once per comment; comment rows are (id, card id, author, author name, body…)."""
    if not handles:
        return []
    rows = []
    for comment_id, card_id, _, _, body, *_ in comment_rows:
        named = {handles[h] for h in map(str.lower, MENTION.findall(body)) if h in handles}
        rows += [(comment_id, card_id, user_id) for user_id in sorted(named)]
    return rows


class _Cutter:
    """Cuts text to a column's length and counts how often it had to; drops NUL
    characters, which PostgreSQL cannot store in text."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, value: str, limit: str) -> str:
        value = _no_nul(value)
        size = _LIMITS[limit]
        if len(value) > size:
            self.count += 1
            return value[:size]
        return value


def _json(data: dict[str, Any]) -> str:
    text = orjson.dumps(data).decode()
    return text.replace("\\u0000", "") if "\\u0000" in text else text


def _no_nul(value: str) -> str:
    return value.replace("\x00", "") if "\x00" in value else value


class _DetailWriter:
    """Rows that hang off the cards, collected while the cards are laid out."""

    def __init__(
        self,
        board_id: int,
        column_ids: dict[str, int],
        kinds: dict[str, str],
        label_ids: dict[str, int],
        cut: _Cutter,
    ) -> None:
        self.board_id = board_id
        self.column_ids = column_ids
        self.kinds = kinds
        self.label_ids = label_ids
        self.cut = cut
        self.assignees: list[tuple[int, int]] = []
        self.labels: list[tuple[int, int]] = []
        self.checklists: list[tuple[int, str, ChecklistSnapshot]] = []
        self.comments: list[tuple[int, CommentSnapshot]] = []
        self.links: list[tuple[int, LinkSnapshot]] = []
        self.events: list[tuple[Any, ...]] = []
        self.dropped_starts = 0

    def event(
        self,
        card_id: int,
        kind: EventKind,
        at: dt.datetime,
        actor_id: int | None,
        data: dict[str, Any],
    ) -> None:
        self.events.append((self.board_id, card_id, actor_id, kind.value, _json(data), at, at))

    def card_row(self, card: CardSnapshot, card_id: int, position: str) -> tuple[Any, ...]:
        steps = self._history(card)
        kinds = self.kinds
        started_at = next(
            (s.at for s in steps if kinds[s.to_column_key] == ColumnKind.IN_PROGRESS), None
        )
        completed_at = None
        if kinds[card.column_key] == ColumnKind.DONE:
            completed_at = card.completed_at
            if completed_at is None:
                for step in steps:
                    entering = kinds[step.to_column_key] == ColumnKind.DONE and (
                        step.from_column_key is None
                        or kinds[step.from_column_key] != ColumnKind.DONE
                    )
                    if entering:
                        completed_at = step.at
            completed_at = completed_at or steps[-1].at
        first = steps[0]
        self.event(
            card_id,
            EventKind.CARD_CREATED,
            first.at,
            first.actor_id if first.actor_id is not None else card.created_by_id,
            {
                "column_id": self.column_ids[first.to_column_key],
                "column_kind": kinds[first.to_column_key],
                "title": card.title,
                "assignee_ids": sorted(set(card.assignee_ids)),
            },
        )
        for step in steps[1:]:
            assert step.from_column_key is not None
            self.event(
                card_id,
                EventKind.CARD_MOVED,
                step.at,
                step.actor_id,
                {
                    "from_column_id": self.column_ids[step.from_column_key],
                    "to_column_id": self.column_ids[step.to_column_key],
                    "from_kind": kinds[step.from_column_key],
                    "to_kind": kinds[step.to_column_key],
                },
            )
        for user_id in sorted(set(card.assignee_ids)):
            self.assignees.append((card_id, user_id))
        for key in dict.fromkeys(card.label_keys):
            if key in self.label_ids:
                self.labels.append((card_id, self.label_ids[key]))
        positions = keys_between(None, None, len(card.checklists)) if card.checklists else []
        for checklist, checklist_position in zip(card.checklists, positions, strict=True):
            self.checklists.append((card_id, checklist_position, checklist))
            for item in checklist.items:
                if item.is_done and item.done_at is not None:
                    self.event(
                        card_id,
                        EventKind.CHECKLIST_ITEM_DONE,
                        item.done_at,
                        None,
                        {"text": item.text[:200]},
                    )
        for comment in card.comments:
            self.comments.append((card_id, comment))
        for link in card.links:
            self.links.append((card_id, link))
        if card.archived_at is not None:
            self.event(card_id, EventKind.CARD_ARCHIVED, card.archived_at, None, {})
        moved_at = steps[-1].at
        start_at = card.start_at
        if start_at is not None and card.due_at is not None and start_at > card.due_at:
            start_at = None  # a start after the due date cannot be stored; the due date wins
            self.dropped_starts += 1
        return (
            card_id,
            self.board_id,
            self.column_ids[card.column_key],
            position,
            self.cut(card.title, "card"),
            _no_nul(card.description),
            card.priority,
            start_at,
            card.due_at,
            card.due_completed_at,
            card.estimate,
            card.created_by_id,
            completed_at,
            started_at,
            moved_at,
            card.archived_at,
            1,
            card.external_id,
            card.created_at,
            max(moved_at, card.created_at),
        )

    def _history(self, card: CardSnapshot) -> list[MoveSnapshot]:
        """Creation and moves, oldest first, that end in the card's current column.

        Partial histories are completed: a missing creation is placed in the first
        move's source column at `created_at`, unknown columns are dropped, and a
        history that ends elsewhere gets a last move into the current column.
        """
        steps = sorted(
            (
                s
                for s in card.history
                if s.to_column_key in self.column_ids
                and (s.from_column_key is None or s.from_column_key in self.column_ids)
            ),
            key=lambda s: s.at,
        )
        steps = [s for i, s in enumerate(steps) if i == 0 or s.from_column_key is not None]
        if not steps:
            return [MoveSnapshot(at=card.created_at, to_column_key=card.column_key)]
        if steps[0].from_column_key is not None:
            first_at = min(card.created_at, steps[0].at)
            steps.insert(0, MoveSnapshot(at=first_at, to_column_key=steps[0].from_column_key))
        # Consecutive steps must chain: each move starts where the previous one ended.
        chained = [steps[0]]
        for step in steps[1:]:
            if step.to_column_key == chained[-1].to_column_key:
                continue
            if step.from_column_key != chained[-1].to_column_key:
                step = MoveSnapshot(
                    at=step.at,
                    to_column_key=step.to_column_key,
                    from_column_key=chained[-1].to_column_key,
                    actor_id=step.actor_id,
                )
            chained.append(step)
        if chained[-1].to_column_key != card.column_key:
            chained.append(
                MoveSnapshot(
                    at=chained[-1].at,
                    to_column_key=card.column_key,
                    from_column_key=chained[-1].to_column_key,
                )
            )
        return chained


board_transfer_service = BoardTransferService()
