"""Queries on checklists, checklist items, comments, mentions and attachments."""

from collections.abc import Sequence

from sqlalchemy import func, select

from ...lib.repository import ArchivableRepositoryBase, RepositoryBase
from ..models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment, Mention


class ChecklistRepository(ArchivableRepositoryBase[Checklist]):
    model = Checklist

    async def checklists_of(self, card_id: int) -> Sequence[Checklist]:
        stmt = (
            select(Checklist)
            .where(Checklist.card_id == card_id, Checklist.archived_at.is_(None))
            .order_by(Checklist.position, Checklist.id)
        )
        return await self.get_all(stmt)

    async def last_position(self, card_id: int) -> str | None:
        stmt = select(func.max(Checklist.position)).where(Checklist.card_id == card_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()


class ChecklistItemRepository(ArchivableRepositoryBase[ChecklistItem]):
    model = ChecklistItem

    async def items_of(self, card_id: int) -> Sequence[ChecklistItem]:
        stmt = (
            select(ChecklistItem)
            .where(ChecklistItem.card_id == card_id, ChecklistItem.archived_at.is_(None))
            .order_by(ChecklistItem.checklist_id, ChecklistItem.position, ChecklistItem.id)
        )
        return await self.get_all(stmt)

    async def last_position(self, checklist_id: int) -> str | None:
        stmt = select(func.max(ChecklistItem.position)).where(
            ChecklistItem.checklist_id == checklist_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()


class CommentRepository(RepositoryBase[Comment]):
    model = Comment

    async def get_multi(
        self, card_id: int, *, limit: int, offset: int
    ) -> tuple[Sequence[Comment], int]:
        stmt = select(Comment).where(Comment.card_id == card_id, Comment.deleted_at.is_(None))
        return await self.paginate(stmt.order_by(Comment.id), limit=limit, offset=offset)

    async def add_mentions(self, comment: Comment, user_ids: Sequence[int]) -> None:
        existing = set(
            (
                await self.session.execute(
                    select(Mention.user_id).where(Mention.comment_id == comment.id)
                )
            ).scalars()
        )
        for user_id in user_ids:
            if user_id not in existing:
                self.session.add(
                    Mention(comment_id=comment.id, card_id=comment.card_id, user_id=user_id)
                )
        await self.session.flush()

    async def mentioned_user_ids(self, comment_ids: Sequence[int]) -> dict[int, list[int]]:
        if not comment_ids:
            return {}
        rows = await self.session.execute(
            select(Mention.comment_id, Mention.user_id)
            .where(Mention.comment_id.in_(comment_ids))
            .order_by(Mention.user_id)
        )
        result: dict[int, list[int]] = {}
        for comment_id, user_id in rows:
            result.setdefault(comment_id, []).append(user_id)
        return result


class AttachmentRepository(RepositoryBase[Attachment]):
    model = Attachment

    async def get_multi(self, card_id: int) -> Sequence[Attachment]:
        stmt = (
            select(Attachment)
            .where(Attachment.card_id == card_id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.id)
        )
        return await self.get_all(stmt)
