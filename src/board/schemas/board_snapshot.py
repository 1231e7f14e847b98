"""A whole board with its history, as plain data: what imports write and exports read.

Columns and labels are referred to by `key` (unique within one snapshot) rather than by
database id, so a snapshot can come from a file (a Trello export, InternHub's own export)
and be written into a new board. People are InternHub user ids; whoever builds the
snapshot has already matched them.

Dataclasses rather than pydantic models: a 100 MB export holds tens of thousands of
these, built by trusted code after the file was validated.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(slots=True)
class ColumnSnapshot:
    key: str
    name: str
    kind: str
    wip_limit: int | None = None
    archived_at: dt.datetime | None = None
    external_id: str | None = None


@dataclass(slots=True)
class LabelSnapshot:
    key: str
    name: str
    color: str | None = None
    archived_at: dt.datetime | None = None
    external_id: str | None = None


@dataclass(slots=True)
class ChecklistItemSnapshot:
    text: str
    is_done: bool = False
    done_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    assignee_id: int | None = None


@dataclass(slots=True)
class ChecklistSnapshot:
    title: str
    items: list[ChecklistItemSnapshot] = field(default_factory=list)
    external_id: str | None = None


@dataclass(slots=True)
class CommentSnapshot:
    body: str
    at: dt.datetime
    author_id: int | None = None
    # Kept when the author is no InternHub user (a former member of the Trello board).
    author_name: str | None = None
    edited_at: dt.datetime | None = None
    external_id: str | None = None


@dataclass(slots=True)
class LinkSnapshot:
    url: str
    title: str | None
    at: dt.datetime
    added_by_id: int | None = None


@dataclass(slots=True)
class MoveSnapshot:
    """One step of a card's history: created in a column, or moved between two."""

    at: dt.datetime
    to_column_key: str
    from_column_key: str | None = None  # None: the card was created here
    actor_id: int | None = None


@dataclass(slots=True)
class CardSnapshot:
    column_key: str
    title: str
    created_at: dt.datetime
    description: str = ""
    priority: str = "medium"
    start_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    due_completed_at: dt.datetime | None = None
    estimate: Decimal | None = None
    created_by_id: int | None = None
    # When the card reached its done column; derived from `history` when not given.
    completed_at: dt.datetime | None = None
    archived_at: dt.datetime | None = None
    assignee_ids: list[int] = field(default_factory=list)
    label_keys: list[str] = field(default_factory=list)
    checklists: list[ChecklistSnapshot] = field(default_factory=list)
    comments: list[CommentSnapshot] = field(default_factory=list)
    links: list[LinkSnapshot] = field(default_factory=list)
    # Creation and moves in time order. May be empty or partial (Trello exports keep
    # at most 1 000 actions): the import then records the creation in the card's
    # current column at `created_at`.
    history: list[MoveSnapshot] = field(default_factory=list)
    external_id: str | None = None


@dataclass(slots=True)
class BoardSnapshot:
    name: str
    description: str = ""
    external_id: str | None = None
    # Board order: columns as shown left to right, cards top to bottom per column.
    columns: list[ColumnSnapshot] = field(default_factory=list)
    labels: list[LabelSnapshot] = field(default_factory=list)
    cards: list[CardSnapshot] = field(default_factory=list)
    # @handles as the source's comments write them (lower case) → the user each names:
    # the import records the comments' mentions through it.
    mention_handles: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class SnapshotWriteResult:
    board_id: int
    counts: dict[str, int]
    extra: dict[str, Any] = field(default_factory=dict)
