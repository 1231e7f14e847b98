"""What hangs off a card: checklists, comments with @mentions, attachments."""

import asyncio
import mimetypes
import unicodedata
from pathlib import Path
from typing import BinaryIO

import puremagic
from sqlalchemy.ext.asyncio import AsyncSession

from ...config.database.db_helper import on_rollback
from ...config.project_config import get_settings
from ...internship.services.team_service import team_service
from ...lib.clock import utcnow
from ...lib.errors import ConflictError, UnprocessableError
from ...lib.file_store import ABANDONED_AFTER_SECONDS, strip_invisible
from ...lib.ordering import key_between
from ...lib.pagination import Page, PageParams
from ...lib.rate_limit import enforce_rate_limit
from ...lib.security.actor import Actor
from ...user.user_service import user_service
from ..constants import MENTION, AttachmentKind, EventKind
from ..exceptions import (
    AttachmentNotFoundError,
    AttachmentTooLargeError,
    BoardPermissionError,
    CardNotFoundError,
    ChecklistItemNotFoundError,
    ChecklistNotFoundError,
    CommentNotFoundError,
    InvalidReferenceError,
)
from ..models.card_detail_model import Attachment, Checklist, ChecklistItem, Comment
from ..repositories.activity_repository import ActivityRepository
from ..repositories.attachment_file_repository import AttachmentFileRepository, FileTooLargeError
from ..repositories.card_detail_repository import (
    AttachmentRepository,
    ChecklistItemRepository,
    ChecklistRepository,
    CommentRepository,
)
from ..schemas.card_schema import (
    AttachmentRead,
    CardImport,
    ChecklistCreate,
    ChecklistItemCreate,
    ChecklistItemRead,
    ChecklistItemUpdate,
    ChecklistRead,
    ChecklistUpdate,
    CommentCreate,
    CommentRead,
    LinkCreate,
)
from .activity_service import activity_service
from .attachment_quota_service import attachment_quota_service
from .card_service import card_service
from .markdown import render_markdown


def files() -> AttachmentFileRepository:
    return AttachmentFileRepository(get_settings().data_dir / "attachments")


def clean_filename(name: str | None) -> str:
    """The uploaded name as metadata: refuse anything path-like rather than guess."""
    name = unicodedata.normalize("NFC", strip_invisible(name or "")).strip()
    if not name:
        raise UnprocessableError("The file needs a name.", field="file")
    if (
        "/" in name
        or "\\" in name
        or ".." in name
        or "\x00" in name
        or any(unicodedata.category(ch) == "Cc" for ch in name)
        or len(name) > 255
    ):
        raise UnprocessableError(
            "The file name may not contain path separators, '..' or control characters.",
            field="file",
        )
    return name


class CardDetailService:
    async def remove_partial_uploads(self) -> int:
        """Attachments half-written by a process that died while copying: removed
        (at start-up); how many."""
        return await asyncio.to_thread(files().remove_partial_older_than, ABANDONED_AFTER_SECONDS)

    # --- history (imports, demo data) -------------------------------------------------

    async def import_details(
        self, session: AsyncSession, board_id: int, card_id: int, spec: CardImport
    ) -> None:
        """Comments, checklists and links of an imported card, with their original times."""
        comments = CommentRepository(session)
        activity = ActivityRepository(session)
        for item in spec.comments:
            comment = await comments.add(
                Comment(
                    card_id=card_id,
                    author_id=item.author_id,
                    body=item.body,
                    created_at=item.at,
                    updated_at=item.at,
                )
            )
            await activity.add_past(
                board_id=board_id,
                card_id=card_id,
                actor_id=item.author_id,
                kind=EventKind.COMMENT_ADDED.value,
                data={"comment_id": comment.id},
                at=item.at,
            )
        checklists = ChecklistRepository(session)
        items = ChecklistItemRepository(session)
        position: str | None = None
        for spec_list in spec.checklists:
            position = key_between(position, None)
            checklist = Checklist(card_id=card_id, title=spec_list.title, position=position)
            await checklists.add(checklist)
            item_position: str | None = None
            for spec_item in spec_list.items:
                item_position = key_between(item_position, None)
                await items.add(
                    ChecklistItem(
                        checklist_id=checklist.id,
                        card_id=card_id,
                        text=spec_item.text,
                        position=item_position,
                        is_done=spec_item.is_done,
                        done_at=spec_item.done_at if spec_item.is_done else None,
                    )
                )
                if spec_item.is_done and spec_item.done_at is not None:
                    await activity.add_past(
                        board_id=board_id,
                        card_id=card_id,
                        actor_id=None,
                        kind=EventKind.CHECKLIST_ITEM_DONE.value,
                        data={"text": spec_item.text},
                        at=spec_item.done_at,
                    )
        attachments = AttachmentRepository(session)
        for link in spec.links:
            await attachments.add(
                Attachment(
                    card_id=card_id,
                    kind=AttachmentKind.LINK.value,
                    url=link.url[:2000],
                    title=(link.title or link.url)[:300],
                    created_at=spec.created_at,
                    updated_at=spec.created_at,
                )
            )

    # --- checklists -------------------------------------------------------------------

    async def list_checklists(
        self, session: AsyncSession, actor: Actor, card_id: int
    ) -> list[ChecklistRead]:
        await card_service.card_in_board(session, actor, card_id, write=False)
        return await self._checklists(session, card_id)

    async def _checklists(self, session: AsyncSession, card_id: int) -> list[ChecklistRead]:
        items = await ChecklistItemRepository(session).items_of(card_id)
        result = []
        for checklist in await ChecklistRepository(session).checklists_of(card_id):
            result.append(
                ChecklistRead(
                    id=checklist.id,
                    card_id=checklist.card_id,
                    title=checklist.title,
                    position=checklist.position,
                    items=[
                        ChecklistItemRead.model_validate(i)
                        for i in items
                        if i.checklist_id == checklist.id
                    ],
                )
            )
        return result

    async def create_checklist(
        self, session: AsyncSession, actor: Actor, card_id: int, data: ChecklistCreate
    ) -> ChecklistRead:
        card, board, _ = await card_service.card_in_board(session, actor, card_id, write=True)
        repo = ChecklistRepository(session)
        checklist = Checklist(
            card_id=card.id,
            title=data.title,
            position=key_between(await repo.last_position(card.id), None),
        )
        await repo.add(checklist)
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.CHECKLIST_ADDED,
            checklist_id=checklist.id,
            title=checklist.title,
        )
        return ChecklistRead(
            id=checklist.id,
            card_id=card.id,
            title=checklist.title,
            position=checklist.position,
            items=[],
        )

    async def update_checklist(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        checklist_id: int,
        data: ChecklistUpdate,
    ) -> ChecklistRead:
        await card_service.card_in_board(session, actor, card_id, write=True)
        checklist = await self._checklist_of(session, card_id, checklist_id)
        checklist.title = data.title
        await ChecklistRepository(session).flush()
        return next(c for c in await self._checklists(session, card_id) if c.id == checklist.id)

    async def archive_checklist(
        self, session: AsyncSession, actor: Actor, card_id: int, checklist_id: int
    ) -> None:
        await card_service.card_in_board(session, actor, card_id, write=True)
        checklist = await self._checklist_of(session, card_id, checklist_id)
        await ChecklistRepository(session).archive(checklist)

    async def _checklist_of(
        self, session: AsyncSession, card_id: int, checklist_id: int
    ) -> Checklist:
        checklist = await ChecklistRepository(session).get_by_id(checklist_id)
        # A child id must belong to the card in the path.
        if checklist is None or checklist.card_id != card_id or checklist.archived_at is not None:
            raise ChecklistNotFoundError
        return checklist

    async def add_item(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        checklist_id: int,
        data: ChecklistItemCreate,
    ) -> ChecklistItemRead:
        card, board, access = await card_service.card_in_board(session, actor, card_id, write=True)
        checklist = await self._checklist_of(session, card_id, checklist_id)
        if data.assignee_id is not None:
            await self._check_team_person(session, access.team_id, data.assignee_id)
        repo = ChecklistItemRepository(session)
        item = ChecklistItem(
            checklist_id=checklist.id,
            card_id=card.id,
            text=data.text,
            position=key_between(await repo.last_position(checklist.id), None),
            is_done=False,
            assignee_id=data.assignee_id,
            due_at=data.due_at,
        )
        await repo.add(item)
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.CHECKLIST_ITEM_ADDED,
            item_id=item.id,
            text=item.text,
        )
        return ChecklistItemRead.model_validate(item)

    async def update_item(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        item_id: int,
        data: ChecklistItemUpdate,
    ) -> ChecklistItemRead:
        card, board, access = await card_service.card_in_board(session, actor, card_id, write=True)
        repo = ChecklistItemRepository(session)
        item = await self._live_item(session, card.id, item_id)
        changes = data.model_dump(exclude_unset=True)
        if changes.get("assignee_id") is not None:
            await self._check_team_person(session, access.team_id, changes["assignee_id"])
        if "text" in changes and changes["text"] is not None:
            item.text = changes["text"]
        if "assignee_id" in changes:
            item.assignee_id = changes["assignee_id"]
        if "due_at" in changes:
            item.due_at = changes["due_at"]
        if "after_item_id" in changes:
            item.position = await self._item_position(session, item, changes["after_item_id"])
        if changes.get("is_done") is not None and changes["is_done"] != item.is_done:
            item.is_done = changes["is_done"]
            item.done_at = utcnow() if item.is_done else None
            await activity_service.record(
                session,
                actor,
                board_id=board.id,
                card_id=card.id,
                kind=EventKind.CHECKLIST_ITEM_DONE
                if item.is_done
                else EventKind.CHECKLIST_ITEM_UNDONE,
                item_id=item.id,
                text=item.text,
            )
        await repo.flush()
        return ChecklistItemRead.model_validate(item)

    async def _live_item(self, session: AsyncSession, card_id: int, item_id: int) -> ChecklistItem:
        """An item of this card whose checklist is not archived either."""
        item = await ChecklistItemRepository(session).get_by_id(item_id)
        if item is None or item.card_id != card_id or item.archived_at is not None:
            raise ChecklistItemNotFoundError
        checklist = await ChecklistRepository(session).get_by_id(item.checklist_id)
        if checklist is None or checklist.archived_at is not None:
            raise ChecklistItemNotFoundError
        return item

    async def _item_position(
        self, session: AsyncSession, item: ChecklistItem, after_id: int | None
    ) -> str:
        repo = ChecklistItemRepository(session)
        siblings = [
            i
            for i in await repo.items_of(item.card_id)
            if i.checklist_id == item.checklist_id and i.id != item.id
        ]
        if after_id is None:
            return key_between(None, siblings[0].position if siblings else None)
        index = next((n for n, i in enumerate(siblings) if i.id == after_id), None)
        if index is None:
            raise InvalidReferenceError(
                "The item to place after is not in this checklist.", field="after_item_id"
            )
        following = siblings[index + 1].position if index + 1 < len(siblings) else None
        if following == siblings[index].position:
            following = None
        return key_between(siblings[index].position, following)

    async def archive_item(
        self, session: AsyncSession, actor: Actor, card_id: int, item_id: int
    ) -> None:
        card, _, _ = await card_service.card_in_board(session, actor, card_id, write=True)
        item = await self._live_item(session, card.id, item_id)
        await ChecklistItemRepository(session).archive(item)

    async def _check_team_person(self, session: AsyncSession, team_id: int, user_id: int) -> None:
        if user_id not in await team_service.team_user_ids(session, team_id):
            raise InvalidReferenceError(
                "Only the team's members and mentors can be assigned.", field="assignee_id"
            )

    # --- comments ---------------------------------------------------------------------

    async def list_comments(
        self, session: AsyncSession, actor: Actor, card_id: int, page: PageParams
    ) -> Page[CommentRead]:
        await card_service.card_in_board(session, actor, card_id, write=False)
        repo = CommentRepository(session)
        comments, total = await repo.get_multi(card_id, limit=page.limit, offset=page.offset)
        mentions = await repo.mentioned_user_ids([c.id for c in comments])
        return Page[CommentRead](
            items=[_comment_read(c, mentions.get(c.id, [])) for c in comments],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def add_comment(
        self, session: AsyncSession, actor: Actor, card_id: int, data: CommentCreate
    ) -> CommentRead:
        await enforce_rate_limit(
            session, get_settings().rate_limits.comments, Comment.author_id, actor.user_id
        )
        card, board, access = await card_service.card_in_board(session, actor, card_id, write=True)
        repo = CommentRepository(session)
        comment = await repo.add(Comment(card_id=card.id, author_id=actor.user_id, body=data.body))
        mentioned = await self._record_mentions(session, comment, access.team_id)
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.COMMENT_ADDED,
            comment_id=comment.id,
            mentioned_user_ids=mentioned,
        )
        return _comment_read(comment, mentioned)

    async def edit_comment(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        comment_id: int,
        data: CommentCreate,
    ) -> CommentRead:
        card, board, access = await card_service.card_in_board(session, actor, card_id, write=True)
        comment = await self._own_comment(session, actor, card.id, comment_id)
        comment.body = data.body
        comment.edited_at = utcnow()
        await CommentRepository(session).flush()
        await self._record_mentions(session, comment, access.team_id)
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.COMMENT_EDITED,
            comment_id=comment.id,
        )
        # Mentions accumulate over edits: read them all back.
        all_mentions = await CommentRepository(session).mentioned_user_ids([comment.id])
        return _comment_read(comment, all_mentions.get(comment.id, []))

    async def delete_comment(
        self, session: AsyncSession, actor: Actor, card_id: int, comment_id: int
    ) -> None:
        """Soft: the comment disappears from the card, the row stays."""
        card, board, _ = await card_service.card_in_board(session, actor, card_id, write=True)
        comment = await self._own_comment(session, actor, card.id, comment_id, admin_ok=True)
        comment.deleted_at = utcnow()
        await CommentRepository(session).flush()
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.COMMENT_DELETED,
            comment_id=comment.id,
        )

    async def _own_comment(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        comment_id: int,
        *,
        admin_ok: bool = False,
    ) -> Comment:
        comment = await CommentRepository(session).get_by_id(comment_id)
        if comment is None or comment.card_id != card_id or comment.deleted_at is not None:
            raise CommentNotFoundError
        if comment.author_id != actor.user_id and not (admin_ok and actor.is_admin):
            raise BoardPermissionError("Only the author may change this comment.")
        return comment

    async def _record_mentions(
        self, session: AsyncSession, comment: Comment, team_id: int
    ) -> list[int]:
        names = {m.lower() for m in MENTION.findall(comment.body)}
        if not names:
            return []
        team = await team_service.team_user_ids(session, team_id)
        ids = []
        for name in sorted(names):
            user = await user_service.find_by_username(session, name)
            if user is not None and user.id in team:
                ids.append(user.id)
        await CommentRepository(session).add_mentions(comment, ids)
        return sorted(ids)

    # --- attachments ------------------------------------------------------------------

    async def list_attachments(
        self, session: AsyncSession, actor: Actor, card_id: int
    ) -> list[AttachmentRead]:
        await card_service.card_in_board(session, actor, card_id, write=False)
        return [
            AttachmentRead.model_validate(a)
            for a in await AttachmentRepository(session).get_multi(card_id)
        ]

    async def upload(
        self,
        session: AsyncSession,
        actor: Actor,
        card_id: int,
        *,
        filename: str | None,
        stream: BinaryIO,
    ) -> AttachmentRead:
        await enforce_rate_limit(
            session,
            get_settings().rate_limits.attachments,
            Attachment.uploaded_by_id,
            actor.user_id,
        )
        card, board, _ = await card_service.card_in_board(session, actor, card_id, write=True)
        name = clean_filename(filename)
        limit = get_settings().attachment_max_bytes
        store = files()
        try:
            storage_name, size, head = store.store(stream, max_bytes=limit)
        except FileTooLargeError:
            raise AttachmentTooLargeError(f"Attachments are limited to {limit} bytes.") from None
        on_rollback(session, lambda: store.remove(storage_name))
        await attachment_quota_service.reserve(session, board.project_id, size)
        attachment = await AttachmentRepository(session).add(
            Attachment(
                card_id=card.id,
                kind=AttachmentKind.FILE.value,
                filename=name,
                storage_name=storage_name,
                content_type=_sniff(head, name),
                size=size,
                uploaded_by_id=actor.user_id or None,
            )
        )
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.ATTACHMENT_ADDED,
            attachment_id=attachment.id,
            filename=name,
        )
        return AttachmentRead.model_validate(attachment)

    async def add_link(
        self, session: AsyncSession, actor: Actor, card_id: int, data: LinkCreate
    ) -> AttachmentRead:
        await enforce_rate_limit(
            session,
            get_settings().rate_limits.attachments,
            Attachment.uploaded_by_id,
            actor.user_id,
        )
        card, board, _ = await card_service.card_in_board(session, actor, card_id, write=True)
        url = str(data.url)
        if len(url) > 2000:
            raise UnprocessableError("The URL is too long.", field="url")
        attachment = await AttachmentRepository(session).add(
            Attachment(
                card_id=card.id,
                kind=AttachmentKind.LINK.value,
                url=url,
                title=data.title or url,
                uploaded_by_id=actor.user_id or None,
            )
        )
        await activity_service.record(
            session,
            actor,
            board_id=board.id,
            card_id=card.id,
            kind=EventKind.ATTACHMENT_ADDED,
            attachment_id=attachment.id,
            url=url,
        )
        return AttachmentRead.model_validate(attachment)

    async def _attachment(
        self, session: AsyncSession, actor: Actor, attachment_id: int, *, write: bool
    ) -> tuple[Attachment, int]:
        attachment = await AttachmentRepository(session).get_by_id(attachment_id)
        if attachment is None or attachment.deleted_at is not None:
            raise AttachmentNotFoundError
        try:
            _, board, _ = await card_service.card_in_board(
                session, actor, attachment.card_id, write=write
            )
        except CardNotFoundError:
            raise AttachmentNotFoundError from None
        return attachment, board.id

    async def file_of(
        self, session: AsyncSession, actor: Actor, attachment_id: int
    ) -> tuple[Path, str, str]:
        """Path, download name and content type of a file attachment the actor may read."""
        attachment, _ = await self._attachment(session, actor, attachment_id, write=False)
        if attachment.kind != AttachmentKind.FILE.value or not attachment.storage_name:
            raise ConflictError("This attachment is a link, not a file.")
        path = files().path_of(attachment.storage_name)
        if not path.exists():
            raise AttachmentNotFoundError
        return (
            path,
            attachment.filename or "file",
            attachment.content_type or "application/octet-stream",
        )

    async def remove(self, session: AsyncSession, actor: Actor, attachment_id: int) -> None:
        """Soft delete: hidden from the card; the file stays until an organiser purges it."""
        attachment, board_id = await self._attachment(session, actor, attachment_id, write=True)
        attachment.deleted_at = utcnow()
        await AttachmentRepository(session).flush()
        await activity_service.record(
            session,
            actor,
            board_id=board_id,
            card_id=attachment.card_id,
            kind=EventKind.ATTACHMENT_REMOVED,
            attachment_id=attachment.id,
        )


def _sniff(head: bytes, filename: str) -> str:
    """The content type from the bytes themselves; the name only as a fallback."""
    try:
        found = puremagic.from_string(head, mime=True) if head else ""
    except (puremagic.PureError, ValueError):
        found = ""
    if found:
        return str(found)
    guessed, _ = mimetypes.guess_type(filename)
    if guessed and guessed.startswith("text/"):
        return guessed
    return "application/octet-stream"


def _comment_read(comment: Comment, mentioned: list[int]) -> CommentRead:
    return CommentRead(
        id=comment.id,
        card_id=comment.card_id,
        author_id=comment.author_id,
        author_name=comment.author_name,
        body=comment.body,
        body_html=render_markdown(comment.body),
        mentioned_user_ids=mentioned,
        edited_at=comment.edited_at,
        created_at=comment.created_at,
    )


card_detail_service = CardDetailService()
