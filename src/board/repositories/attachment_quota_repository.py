"""What a project's attached files weigh, for its storage quota."""

from sqlalchemy import func, select

from ...lib.repository import QueryRepository
from ..constants import AttachmentKind
from ..models.board_model import Board
from ..models.card_detail_model import Attachment
from ..models.card_model import Card


class AttachmentQuotaRepository(QueryRepository):
    async def lock_project(self, project_id: int) -> None:
        """Serialise quota checks of one project until the unit of work ends: two uploads
        at once cannot both fit the last free bytes (an advisory lock, so nothing else
        of the project waits)."""
        key = func.hashtextextended(f"attachment-quota:{project_id}", 0)
        await self.session.execute(select(func.pg_advisory_xact_lock(key)))

    async def stored_bytes(self, project_id: int) -> int:
        """Bytes of the project's file attachments that were not removed."""
        stmt = (
            select(func.coalesce(func.sum(Attachment.size), 0))
            .join(Card, Card.id == Attachment.card_id)
            .join(Board, Board.id == Card.board_id)
            .where(
                Board.project_id == project_id,
                Attachment.kind == AttachmentKind.FILE.value,
                Attachment.deleted_at.is_(None),
            )
        )
        return int((await self.session.execute(stmt)).scalar_one() or 0)
