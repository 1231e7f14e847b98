"""Constants of the tracker: column kinds, priorities, activity event kinds, limits."""

import re
from enum import StrEnum


class ColumnKind(StrEnum):
    """What a column means for analytics and reviews."""

    BACKLOG = "backlog"
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    REVIEW = "review"
    DONE = "done"


DEFAULT_COLUMNS: list[tuple[str, ColumnKind]] = [
    ("Бэклог", ColumnKind.BACKLOG),
    ("К выполнению", ColumnKind.TODO),
    ("В работе", ColumnKind.IN_PROGRESS),
    ("На проверке", ColumnKind.REVIEW),
    ("Готово", ColumnKind.DONE),
]
DEFAULT_BOARD_NAME = "Основная доска"


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class AttachmentKind(StrEnum):
    FILE = "file"
    LINK = "link"


class EventKind(StrEnum):
    """Activity log entries; analytics reads `card_created` and `card_moved`."""

    CARD_CREATED = "card_created"
    CARD_MOVED = "card_moved"
    CARD_RENAMED = "card_renamed"
    CARD_UPDATED = "card_updated"
    CARD_ASSIGNED = "card_assigned"
    CARD_UNASSIGNED = "card_unassigned"
    CARD_DUE_CHANGED = "card_due_changed"
    CARD_LABELED = "card_labeled"
    CARD_UNLABELED = "card_unlabeled"
    CARD_ARCHIVED = "card_archived"
    CARD_RESTORED = "card_restored"
    COMMENT_ADDED = "comment_added"
    COMMENT_EDITED = "comment_edited"
    COMMENT_DELETED = "comment_deleted"
    CHECKLIST_ADDED = "checklist_added"
    CHECKLIST_ITEM_ADDED = "checklist_item_added"
    CHECKLIST_ITEM_DONE = "checklist_item_done"
    CHECKLIST_ITEM_UNDONE = "checklist_item_undone"
    ATTACHMENT_ADDED = "attachment_added"
    ATTACHMENT_REMOVED = "attachment_removed"
    COLUMN_CREATED = "column_created"
    COLUMN_UPDATED = "column_updated"
    COLUMN_ARCHIVED = "column_archived"
    COLUMN_RESTORED = "column_restored"
    BOARD_UPDATED = "board_updated"


LABEL_COLORS = (
    "green",
    "yellow",
    "orange",
    "red",
    "purple",
    "blue",
    "sky",
    "lime",
    "pink",
    "black",
    "grey",
)
MAX_TITLE = 500
MAX_MARKDOWN = 100_000
# Keys longer than this trigger a rebalance of the column.
MAX_POSITION_LENGTH = 48


# An @username in a comment (not inside an e-mail address or another word).
MENTION = re.compile(r"(?<![\w.@])@([\w.\-]{3,32})")
