"""Board exports: InternHub's own JSON format (imports back without loss) and CSV."""

import csv
import io
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from ...board.schemas.board_snapshot import BoardSnapshot
from ...board.services.board_transfer_service import board_transfer_service
from ...lib.clock import utcnow
from ...lib.security.actor import Actor
from ...user.user_service import user_service
from ..constants import CSV_HEADERS, CSV_STATUSES
from ..internhub_format.internhub_export_writer import dump_document, snapshot_to_document


def _people_of(snapshot: BoardSnapshot) -> set[int]:
    ids: set[int] = set()
    for card in snapshot.cards:
        ids.update(card.assignee_ids)
        ids.update(i for i in (card.created_by_id,) if i is not None)
        ids.update(c.author_id for c in card.comments if c.author_id is not None)
        ids.update(s.actor_id for s in card.history if s.actor_id is not None)
        ids.update(link.added_by_id for link in card.links if link.added_by_id is not None)
        for checklist in card.checklists:
            ids.update(i.assignee_id for i in checklist.items if i.assignee_id is not None)
    ids.update(snapshot.mention_handles.values())  # named by an @username only, maybe
    return ids


class BoardExportService:
    async def export_json(self, session: AsyncSession, actor: Actor, board_id: int) -> bytes:
        snapshot = await board_transfer_service.read_snapshot(session, actor, board_id)
        people = await user_service.names(session, sorted(_people_of(snapshot)))
        document = snapshot_to_document(snapshot, people, board_id=board_id, exported_at=utcnow())
        return dump_document(document)

    async def export_csv(
        self, session: AsyncSession, actor: Actor, board_id: int, *, language: str = "ru"
    ) -> bytes:
        """One row per card (archived ones too), headers and statuses in `language`:
        UTF-8 with BOM and `;`, as Excel expects for Cyrillic text."""
        statuses = CSV_STATUSES[language]
        snapshot = await board_transfer_service.read_snapshot(session, actor, board_id)
        people = await user_service.names(
            session, sorted({i for card in snapshot.cards for i in card.assignee_ids})
        )
        columns = {c.key: c for c in snapshot.columns}
        labels = {label.key: label.name for label in snapshot.labels}
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_HEADERS[language])
        for card in snapshot.cards:
            column = columns[card.column_key]
            status = statuses["archived" if card.archived_at is not None else column.kind]
            writer.writerow(
                [
                    _cell(column.name),
                    _cell(card.title),
                    _cell(
                        ", ".join(
                            people[i][1] or people[i][0] for i in card.assignee_ids if i in people
                        )
                    ),
                    _cell(", ".join(labels[k] for k in card.label_keys if k in labels)),
                    card.due_at.isoformat() if card.due_at else "",
                    status,
                    _decimal(card.estimate),
                    card.completed_at.isoformat() if card.completed_at else "",
                ]
            )
        return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    """Text that a spreadsheet would run as a formula is shown as text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


board_export_service = BoardExportService()
