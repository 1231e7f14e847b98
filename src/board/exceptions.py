"""Errors of the tracker."""

from typing import Any

from ..lib.errors import (
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    UnprocessableError,
)


class _NotFoundError(NotFoundError):
    what = "Object"

    def __init__(self) -> None:
        super().__init__(f"{self.what} not found.")


class BoardNotFoundError(_NotFoundError):
    code = "board_not_found"
    title = "Board not found"
    what = "Board"


class ColumnNotFoundError(_NotFoundError):
    code = "column_not_found"
    title = "Column not found"
    what = "Column"


class CardNotFoundError(_NotFoundError):
    code = "card_not_found"
    title = "Card not found"
    what = "Card"


class ChecklistNotFoundError(_NotFoundError):
    code = "checklist_not_found"
    title = "Checklist not found"
    what = "Checklist"


class ChecklistItemNotFoundError(_NotFoundError):
    code = "checklist_item_not_found"
    title = "Checklist item not found"
    what = "Checklist item"


class CommentNotFoundError(_NotFoundError):
    code = "comment_not_found"
    title = "Comment not found"
    what = "Comment"


class AttachmentNotFoundError(_NotFoundError):
    code = "attachment_not_found"
    title = "Attachment not found"
    what = "Attachment"


class LabelNotFoundError(_NotFoundError):
    code = "label_not_found"
    title = "Label not found"
    what = "Label"


class BoardPermissionError(PermissionDeniedError):
    code = "board_permission_denied"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)


class WipLimitReachedError(ConflictError):
    code = "wip_limit_reached"
    title = "WIP limit reached"

    def __init__(self, column_name: str, limit: int) -> None:
        super().__init__(
            f"Column «{column_name}» already holds its limit of {limit} cards.",
            extra={"wip_limit": limit},
        )


class StaleVersionError(ConflictError):
    code = "stale_version"
    title = "The card was changed meanwhile"

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            "Someone changed the card since you loaded it; here is its current state.",
            extra={"current": current},
        )


class NotArchivedError(ConflictError):
    code = "not_archived"
    title = "Archive it first"

    def __init__(self, what: str) -> None:
        super().__init__(f"Only an archived {what} can be deleted.")


class ArchivedError(ConflictError):
    code = "archived"
    title = "Archived"

    def __init__(self, what: str) -> None:
        super().__init__(f"The {what} is archived; restore it first.")


class InvalidReferenceError(UnprocessableError):
    """A referenced id exists nowhere the request may point (another board, card, team)."""

    code = "invalid_reference"
    title = "Invalid reference"


class AttachmentTooLargeError(PayloadTooLargeError):
    code = "attachment_too_large"
    title = "Attachment too large"


class StorageQuotaExceededError(PayloadTooLargeError):
    code = "storage_quota_exceeded"
    title = "Project storage quota exceeded"

    def __init__(self, *, used: int, quota: int, size: int) -> None:
        super().__init__(
            f"The project's attachments may take {quota} bytes in all; {used} are used, "
            f"so this file of {size} bytes does not fit. Remove attachments or ask an "
            "organiser to raise PROJECT_STORAGE_QUOTA_BYTES.",
            extra={"quota_bytes": quota, "used_bytes": used, "file_bytes": size},
        )
