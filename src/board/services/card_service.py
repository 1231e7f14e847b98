"""Cards: create, read, edit with optimistic locking, move by intent, archive, search."""

import re
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ...internship.services.access import ProjectAccess
from ...internship.services.team_service import team_service
from ...lib.clock import utcnow
from ...lib.errors import NotFoundError, UnprocessableError
from ...lib.events import publish
from ...lib.ordering import key_between
from ...lib.pagination import Page, PageParams
from ...lib.security.actor import Actor
from ..constants import MAX_POSITION_LENGTH, ColumnKind, EventKind
from ..events import CardMoved
from ..exceptions import (
    ArchivedError,
    BoardNotFoundError,
    BoardPermissionError,
    CardNotFoundError,
    InvalidReferenceError,
    NotArchivedError,
    StaleVersionError,
    WipLimitReachedError,
)
from ..models.board_model import Board, BoardColumn
from ..models.card_model import Card
from ..repositories.activity_repository import ActivityRepository
from ..repositories.board_repository import ColumnRepository, LabelRepository, MoveColumn
from ..repositories.card_repository import CardRepository
from ..schemas.board_schema import CardSummary, DueFilter
from ..schemas.card_schema import (
    CardCreate,
    CardImport,
    CardListItem,
    CardMove,
    CardRead,
    CardUpdate,
)
from .activity_service import activity_service
from .board_service import board_service
from .markdown import render_markdown

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


def parse_if_match(header: str | None) -> int | None:
    """`If-Match: "3"` (or W/"3", or 3) → 3; anything else is a 422."""
    if header is None:
        return None
    match = _ETAG.match(header)
    if match is None:
        raise UnprocessableError('If-Match must carry the card\'s version, e.g. "3".')
    return int(match.group(1))


class CardService:
    # --- access -----------------------------------------------------------------------

    async def _card(
        self, session: AsyncSession, actor: Actor, card_id: int, *, lock: bool = False
    ) -> tuple[Card, Board, ProjectAccess]:
        card = await CardRepository(session).get_by_id(card_id, for_update=lock)
        if card is None:
            raise CardNotFoundError
        try:
            board, access = await board_service.board_access(session, actor, card.board_id)
        except BoardNotFoundError:
            raise CardNotFoundError from None
        return card, board, access

    async def _writable_card(
        self, session: AsyncSession, actor: Actor, card_id: int
    ) -> tuple[Card, Board, ProjectAccess]:
        card, board, access = await self._card(session, actor, card_id, lock=True)
        if not access.can_work_on_cards:
            raise BoardPermissionError("Observers read the board but do not change it.")
        if board.archived_at is not None:
            raise ArchivedError("board")
        return card, board, access

    async def card_in_board(
        self, session: AsyncSession, actor: Actor, card_id: int, *, write: bool
    ) -> tuple[Card, Board, ProjectAccess]:
        """For the card's children (checklists, comments, attachments)."""
        if write:
            card, board, access = await self._writable_card(session, actor, card_id)
            if card.archived_at is not None:
                raise ArchivedError("card")
            return card, board, access
        return await self._card(session, actor, card_id)

    # --- reading ----------------------------------------------------------------------

    async def read(self, session: AsyncSession, actor: Actor, card_id: int) -> CardRead:
        card, _, _ = await self._card(session, actor, card_id)
        return await self._read(session, card)

    async def _read(self, session: AsyncSession, card: Card) -> CardRead:
        rows = await CardRepository(session).summary_rows([card.id])
        summary = rows[0]
        return CardRead.model_validate(
            {
                **summary,
                "description": card.description,
                "description_html": render_markdown(card.description),
                "created_by_id": card.created_by_id,
                "archived_at": card.archived_at,
                "created_at": card.created_at,
                "updated_at": card.updated_at,
            }
        )

    async def archived_cards(
        self, session: AsyncSession, actor: Actor, board_id: int, page: PageParams
    ) -> Page[CardSummary]:
        await board_service.board_access(session, actor, board_id)
        rows, total = await CardRepository(session).archived_cards(
            board_id, limit=page.limit, offset=page.offset
        )
        return Page[CardSummary](
            items=[CardSummary.model_validate(r) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def my_cards(
        self,
        session: AsyncSession,
        actor: Actor,
        page: PageParams,
        *,
        include_done: bool,
        due: DueFilter | None,
    ) -> Page[CardListItem]:
        """Cards assigned to the actor on every board they work on."""
        project_ids = await team_service.project_ids_of(session, actor)
        rows, total = await CardRepository(session).cards_of_user(
            actor.user_id,
            project_ids,
            include_done=include_done,
            limit=page.limit,
            offset=page.offset,
            now=utcnow(),
            due=due,
        )
        return Page[CardListItem](
            items=[CardListItem.model_validate(r) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def search(
        self, session: AsyncSession, actor: Actor, query: str, page: PageParams
    ) -> Page[CardListItem]:
        """Full-text search over what the actor may see (organisers: everything)."""
        project_ids = None if actor.is_admin else await team_service.project_ids_of(session, actor)
        rows, total = await CardRepository(session).search(
            query, project_ids, limit=page.limit, offset=page.offset
        )
        return Page[CardListItem](
            items=[CardListItem.model_validate(r) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    # --- creating and editing ---------------------------------------------------------

    async def create(
        self, session: AsyncSession, actor: Actor, board_id: int, data: CardCreate
    ) -> CardRead:
        board, access = await board_service.board_access(session, actor, board_id)
        if not access.can_work_on_cards:
            raise BoardPermissionError("Observers read the board but do not change it.")
        if board.archived_at is not None:
            raise ArchivedError("board")
        columns = ColumnRepository(session)
        if data.column_id is None:
            live = await columns.get_multi(board.id)
            if not live:
                raise InvalidReferenceError("The board has no column.", field="column_id")
            column_id = live[0].id
        else:
            column_id = data.column_id
        column = (await columns.lock([column_id])).get(column_id)
        if column is None or column.board_id != board.id or column.archived_at is not None:
            raise InvalidReferenceError("The column is not on this board.", field="column_id")
        await self._check_wip(column, access, force=False, moving_in=True, session=session)
        await self._check_assignees(session, access, data.assignee_ids)
        await self._check_labels(session, board.id, data.label_ids)
        repo = CardRepository(session)
        if data.position == "top":
            position = key_between(None, await repo.bounds_after(column.id, None, exclude_id=None))
        else:
            position = key_between(await repo.bounds_before(column.id, None, exclude_id=None), None)
        now = utcnow()
        card = await repo.add(
            Card(
                board_id=board.id,
                column_id=column.id,
                position=position,
                title=data.title,
                description=data.description,
                priority=data.priority.value,
                start_at=data.start_at,
                due_at=data.due_at,
                estimate=data.estimate,
                created_by_id=actor.user_id or None,
                completed_at=now if column.kind == ColumnKind.DONE else None,
                started_at=now if column.kind == ColumnKind.IN_PROGRESS else None,
                moved_at=now,
                version=1,
            )
        )
        await repo.add_assignees(card.id, sorted(set(data.assignee_ids)))
        await repo.add_labels(card.id, sorted(set(data.label_ids)))
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.CARD_CREATED,
            column_id=column.id,
            column_kind=column.kind,
            title=card.title,
            assignee_ids=sorted(set(data.assignee_ids)),
        )
        return await self._read(session, card)

    async def update(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        data: CardUpdate,
        *,
        if_match: int | None,
    ) -> CardRead:
        card, board, access = await self._writable_card(session, actor, card_id)
        await self._check_version(session, card, data.version or if_match)
        changes = data.model_dump(exclude_unset=True, exclude={"version"})
        for required in ("title", "description", "priority"):
            if required in changes and changes[required] is None:
                raise UnprocessableError(f"{required} cannot be null.", field=required)
        start = changes.get("start_at", card.start_at)
        due = changes.get("due_at", card.due_at)
        if start is not None and due is not None and due < start:
            raise UnprocessableError("due_at must not be before start_at.", field="due_at")
        repo = CardRepository(session)
        events: list[tuple[EventKind, dict[str, Any]]] = []
        if "assignee_ids" in changes:
            wanted = set(changes.pop("assignee_ids") or [])
            await self._check_assignees(session, access, sorted(wanted))
            current = set(await repo.assignee_ids(card.id))
            await repo.remove_assignees(card.id, sorted(current - wanted))
            await repo.add_assignees(card.id, sorted(wanted - current))
            events += [(EventKind.CARD_ASSIGNED, {"user_id": u}) for u in sorted(wanted - current)]
            events += [
                (EventKind.CARD_UNASSIGNED, {"user_id": u}) for u in sorted(current - wanted)
            ]
        if "label_ids" in changes:
            wanted = set(changes.pop("label_ids") or [])
            await self._check_labels(session, board.id, sorted(wanted))
            current = set(await repo.label_ids(card.id))
            await repo.remove_labels(card.id, sorted(current - wanted))
            await repo.add_labels(card.id, sorted(wanted - current))
            events += [(EventKind.CARD_LABELED, {"label_id": x}) for x in sorted(wanted - current)]
            events += [
                (EventKind.CARD_UNLABELED, {"label_id": x}) for x in sorted(current - wanted)
            ]
        if "title" in changes and changes["title"] != card.title:
            events.append((EventKind.CARD_RENAMED, {"from": card.title, "to": changes["title"]}))
        if "due_at" in changes and changes["due_at"] != card.due_at:
            events.append(
                (
                    EventKind.CARD_DUE_CHANGED,
                    {"from": _iso(card.due_at), "to": _iso(changes["due_at"])},
                )
            )
        other = sorted(
            k
            for k, v in changes.items()
            if k not in {"title", "due_at"} and getattr(card, k) != _plain(v)
        )
        if other:
            events.append((EventKind.CARD_UPDATED, {"fields": other}))
        for key, value in changes.items():
            setattr(card, key, _plain(value))
        if events:
            card.version += 1
            await repo.flush()
            for kind, payload in events:
                await activity_service.record(
                    session, actor, board_id=board.id, card_id=card.id, kind=kind, **payload
                )
        return await self._read(session, card)

    async def move(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        data: CardMove,
        *,
        if_match: int | None,
    ) -> CardRead:
        """Move by intent: target column and the neighbour to land after or before.

        The hot path of the board: the card is locked and read with its board, column
        and the actor's rights on its project in one statement, the target column is
        locked in one more, and one statement writes the card and returns it as the
        response shows it; the activity event is written with the commit.
        """
        cards = CardRepository(session)
        card = await cards.lock_for_move(
            card_id, user_id=actor.user_id, access_facts=team_service.project_facts_query
        )
        if card is None:
            raise CardNotFoundError
        try:
            access = board_service.project_access_from_facts(actor, card.access_facts)
        except NotFoundError:
            raise CardNotFoundError from None
        if not access.can_work_on_cards:
            raise BoardPermissionError("Observers read the board but do not change it.")
        if card.board_archived:
            raise ArchivedError("board")
        if card.archived:
            raise ArchivedError("card")
        expected = data.version or if_match
        if expected is not None and expected != card.version:
            current = await cards.get_by_id(card.id)
            assert current is not None  # locked above
            await self._check_version(session, current, expected)
        # The target column is locked: arrivals serialise, so positions never collide
        # (and the WIP count is exact). Leaving a column writes no position in it, so
        # the source is locked only when it has a WIP limit, for its arrivals' count.
        to_lock = [data.column_id]
        if card.column.wip_limit:
            to_lock.append(card.column_id)
        locked = await ColumnRepository(session).lock_on_board(card.board_id, to_lock)
        if data.column_id not in locked:
            raise InvalidReferenceError(
                "The target column is not on this card's board.", field="column_id"
            )
        source, target = locked.get(card.column_id, card.column), locked[data.column_id]
        if target.archived:
            raise ArchivedError("column")
        if target.id != source.id:
            await self._check_wip(target, access, force=data.force, moving_in=True, session=session)
        position = await self._position_in(session, card.id, target.id, data)
        if len(position) > MAX_POSITION_LENGTH:
            await cards.rebalance(target.id)
            position = await self._position_in(session, card.id, target.id, data)
        now = utcnow()
        completed_at, started_at, moved_at = card.completed_at, card.started_at, card.moved_at
        if target.kind == ColumnKind.DONE and source.kind != ColumnKind.DONE:
            completed_at = now
        elif target.kind != ColumnKind.DONE:
            completed_at = None
        if target.id != source.id:
            moved_at = now
            if target.kind == ColumnKind.IN_PROGRESS and started_at is None:
                started_at = now
        moved = await cards.move(
            card.id,
            column_id=target.id,
            position=position,
            completed_at=completed_at,
            started_at=started_at,
            moved_at=moved_at,
        )
        await activity_service.record(
            session,
            actor,
            board_id=card.board_id,
            card_id=card.id,
            kind=EventKind.CARD_MOVED,
            from_column_id=source.id,
            to_column_id=target.id,
            from_kind=source.kind,
            to_kind=target.kind,
        )
        if source.id != target.id:
            await publish(
                session,
                CardMoved(
                    card_id=card.id,
                    board_id=card.board_id,
                    project_id=card.project_id,
                    team_id=access.team_id,
                    internship_id=access.internship_id,
                    from_column_id=source.id,
                    to_column_id=target.id,
                    from_kind=source.kind,
                    to_kind=target.kind,
                    actor_id=actor.user_id or None,
                    at=now,
                ),
            )
        return CardRead.model_validate(
            {**moved, "description_html": render_markdown(moved["description"])}
        )

    async def first_column_of_kind(
        self, session: AsyncSession, board_id: int, kind: ColumnKind
    ) -> int | None:
        for column in await ColumnRepository(session).get_multi(board_id):
            if column.kind == kind:
                return column.id
        return None

    async def card_facts(
        self, session: AsyncSession, actor: Actor, card_id: int, *, lock: bool = False
    ) -> tuple[CardRead, ProjectAccess]:
        """The card and the actor's rights on its project (for reviews and analytics).

        With `lock`, the card row stays locked until the unit of work ends: use cases that
        touch a card and its review requests lock the card first, as moves do, so the two
        never wait on each other in opposite order.
        """
        card, _, access = await self._card(session, actor, card_id, lock=lock)
        return await self._read(session, card), access

    async def _position_in(
        self, session: AsyncSession, card_id: int, column_id: int, data: CardMove
    ) -> str:
        repo = CardRepository(session)
        anchor_id = data.after_card_id or data.before_card_id
        if anchor_id is not None:
            after = data.after_card_id is not None
            anchor = (
                None
                if anchor_id == card_id
                else await repo.anchor(anchor_id, after=after, exclude_id=card_id)
            )
            if anchor is None or anchor.column_id != column_id or anchor.archived:
                field = "after_card_id" if after else "before_card_id"
                raise InvalidReferenceError(
                    "The neighbour card is not in the target column.", field=field
                )
            if after:
                return key_between(anchor.position, anchor.next_position)
            return key_between(anchor.next_position, anchor.position)
        if data.to == "top":
            return key_between(None, await repo.bounds_after(column_id, None, exclude_id=card_id))
        return key_between(await repo.bounds_before(column_id, None, exclude_id=card_id), None)

    async def import_card(self, session: AsyncSession, board_id: int, spec: CardImport) -> Card:
        """Create a card together with its history (trusted callers: imports, demo data).

        Events carry the original times, so analytics sees the card's real past.
        """
        columns = {
            c.id: c for c in await ColumnRepository(session).get_multi(board_id, archived=None)
        }
        if not spec.steps or any(step.column_id not in columns for step in spec.steps):
            raise InvalidReferenceError(
                "Every step must name a column of the board.", field="steps"
            )
        repo = CardRepository(session)
        activity = ActivityRepository(session)
        first, last = columns[spec.steps[0].column_id], columns[spec.steps[-1].column_id]
        completed_at = None
        for previous, step in zip(spec.steps, spec.steps[1:], strict=False):
            kind = columns[step.column_id].kind
            if kind == ColumnKind.DONE and columns[previous.column_id].kind != ColumnKind.DONE:
                completed_at = step.at
        if first.kind == ColumnKind.DONE and len(spec.steps) == 1:
            completed_at = spec.created_at
        if last.kind != ColumnKind.DONE:
            completed_at = None
        started_at = next(
            (s.at for s in spec.steps if columns[s.column_id].kind == ColumnKind.IN_PROGRESS),
            None,
        )
        card = await repo.add(
            Card(
                board_id=board_id,
                column_id=last.id,
                position=key_between(
                    await repo.bounds_before(last.id, None, exclude_id=None), None
                ),
                title=spec.title,
                description=spec.description,
                priority=spec.priority.value,
                start_at=spec.start_at,
                due_at=spec.due_at,
                estimate=spec.estimate,
                created_by_id=spec.created_by_id,
                completed_at=completed_at,
                started_at=started_at,
                moved_at=spec.steps[-1].at,
                archived_at=spec.archived_at,
                version=1,
                created_at=spec.created_at,
                updated_at=spec.steps[-1].at,
            )
        )
        await repo.add_assignees(card.id, sorted(set(spec.assignee_ids)))
        await repo.add_labels(card.id, sorted(set(spec.label_ids)))
        await activity.add_past(
            board_id=board_id,
            card_id=card.id,
            actor_id=spec.created_by_id,
            kind=EventKind.CARD_CREATED.value,
            data={
                "column_id": first.id,
                "column_kind": first.kind,
                "title": spec.title,
                "assignee_ids": sorted(set(spec.assignee_ids)),
            },
            at=spec.created_at,
        )
        for previous, step in zip(spec.steps, spec.steps[1:], strict=False):
            source, target = columns[previous.column_id], columns[step.column_id]
            await activity.add_past(
                board_id=board_id,
                card_id=card.id,
                actor_id=step.actor_id,
                kind=EventKind.CARD_MOVED.value,
                data={
                    "from_column_id": source.id,
                    "to_column_id": target.id,
                    "from_kind": source.kind,
                    "to_kind": target.kind,
                },
                at=step.at,
            )
        if spec.archived_at is not None:
            await activity.add_past(
                board_id=board_id,
                card_id=card.id,
                actor_id=None,
                kind=EventKind.CARD_ARCHIVED.value,
                data={},
                at=spec.archived_at,
            )
        await repo.flush()
        return card

    async def set_archived(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        *,
        archived: bool,
        force: bool = False,
    ) -> CardRead:
        """Archive, or restore to the bottom of its column (which counts as arriving
        there: the column's WIP limit applies, with `force` as for moves)."""
        card, board, access = await self._writable_card(session, actor, card_id)
        repo = CardRepository(session)
        if archived and card.archived_at is None:
            card.archived_at = utcnow()
            kind = EventKind.CARD_ARCHIVED
        elif not archived and card.archived_at is not None:
            column = (await ColumnRepository(session).lock([card.column_id]))[card.column_id]
            await self._check_wip(column, access, force=force, moving_in=True, session=session)
            # Back at the bottom of its column (its old place may be taken).
            card.position = key_between(
                await repo.bounds_before(column.id, None, exclude_id=card.id), None
            )
            card.archived_at = None
            kind = EventKind.CARD_RESTORED
        else:
            return await self._read(session, card)
        card.version += 1
        await repo.flush()
        await activity_service.record(session, actor, board_id=board.id, card_id=card.id, kind=kind)
        return await self._read(session, card)

    async def delete(self, session: AsyncSession, actor: Actor, card_id: int) -> None:
        card, _, _ = await self._card(session, actor, card_id, lock=True)
        if not actor.is_admin:
            raise BoardPermissionError("Only organisers delete, and only what is archived.")
        if card.archived_at is None:
            raise NotArchivedError("card")
        await CardRepository(session).delete(card)

    # --- rules ------------------------------------------------------------------------

    async def _check_version(self, session: AsyncSession, card: Card, expected: int | None) -> None:
        if expected is not None and expected != card.version:
            current = await self._read(session, card)
            raise StaleVersionError(current.model_dump(mode="json"))

    async def _check_wip(
        self,
        column: BoardColumn | MoveColumn,
        access: ProjectAccess,
        *,
        force: bool,
        moving_in: bool,
        session: AsyncSession,
    ) -> None:
        if not column.wip_limit or not moving_in:
            return
        count = await ColumnRepository(session).count_live_cards(column.id)
        if count < column.wip_limit:
            return
        if force:
            if not access.can_manage_boards:
                raise BoardPermissionError("Only mentors and organisers may exceed a WIP limit.")
            return
        raise WipLimitReachedError(column.name, column.wip_limit)

    async def _check_assignees(
        self, session: AsyncSession, access: ProjectAccess, user_ids: list[int]
    ) -> None:
        if not user_ids:
            return
        allowed = await team_service.team_user_ids(session, access.team_id)
        outsiders = sorted(set(user_ids) - allowed)
        if outsiders:
            raise InvalidReferenceError(
                "Only the team's members and mentors can be assigned.",
                field="assignee_ids",
                extra={"user_ids": outsiders},
            )

    async def _check_labels(
        self, session: AsyncSession, board_id: int, label_ids: list[int]
    ) -> None:
        if not label_ids:
            return
        found = {
            label.id for label in await LabelRepository(session).get_by_ids(board_id, label_ids)
        }
        missing = sorted(set(label_ids) - found)
        if missing:
            raise InvalidReferenceError(
                "Labels must belong to the card's board.",
                field="label_ids",
                extra={"label_ids": missing},
            )


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and not isinstance(value, Decimal) else value


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


card_service = CardService()
