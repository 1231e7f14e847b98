"""Queries on checklists, checklist items, comments, mentions and attachments."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment, Mention


class ChecklistRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_checklist(self, checklist_id: int) -> Checklist | None:
        return await self.session.get(Checklist, checklist_id)

    async def get_item(self, item_id: int) -> ChecklistItem | None:
        return await self.session.get(ChecklistItem, item_id)

    async def checklists_of(self, card_id: int) -> Sequence[Checklist]:
        stmt = (
            select(Checklist)
            .where(Checklist.card_id == card_id, Checklist.archived_at.is_(None))
            .order_by(Checklist.position, Checklist.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def items_of(self, card_id: int) -> Sequence[ChecklistItem]:
        stmt = (
            select(ChecklistItem)
            .where(ChecklistItem.card_id == card_id, ChecklistItem.archived_at.is_(None))
            .order_by(ChecklistItem.checklist_id, ChecklistItem.position, ChecklistItem.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def last_checklist_position(self, card_id: int) -> str | None:
        stmt = select(func.max(Checklist.position)).where(Checklist.card_id == card_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def last_item_position(self, checklist_id: int) -> str | None:
        stmt = select(func.max(ChecklistItem.position)).where(
            ChecklistItem.checklist_id == checklist_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add(self, obj: Checklist | ChecklistItem) -> None:
        self.session.add(obj)
        await self.session.flush()

    async def flush(self) -> None:
        await self.session.flush()


class CommentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_id(self, comment_id: int) -> Comment | None:
        return await self.session.get(Comment, comment_id)

    async def get_multi(
        self, card_id: int, *, limit: int, offset: int
    ) -> tuple[Sequence[Comment], int]:
        where = (Comment.card_id == card_id, Comment.deleted_at.is_(None))
        total = (
            await self.session.execute(select(func.count()).select_from(Comment).where(*where))
        ).scalar_one()
        rows = await self.session.execute(
            select(Comment).where(*where).order_by(Comment.id).limit(limit).offset(offset)
        )
        return rows.scalars().all(), total

    async def add(self, comment: Comment) -> Comment:
        self.session.add(comment)
        await self.session.flush()
        return comment

    async def flush(self) -> None:
        await self.session.flush()

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


class AttachmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_id(self, attachment_id: int) -> Attachment | None:
        return await self.session.get(Attachment, attachment_id)

    async def get_multi(self, card_id: int) -> Sequence[Attachment]:
        stmt = (
            select(Attachment)
            .where(Attachment.card_id == card_id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.id)
        )
        return (await self.session.execute(stmt)).scalars().all()

    async def add(self, attachment: Attachment) -> Attachment:
        self.session.add(attachment)
        await self.session.flush()
        return attachment

    async def flush(self) -> None:
        await self.session.flush()
