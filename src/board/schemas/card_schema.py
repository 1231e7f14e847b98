"""Bodies of cards, moves, checklists, comments, attachments and activity."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AnyHttpUrl,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from ...lib.dtos.base_dto import BaseDTO, InputDTO, IsoDateTime
from ..constants import MAX_MARKDOWN, MAX_TITLE, AttachmentKind, Priority
from .board_schema import CardSummary, Id

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE)]
Markdown = Annotated[
    str, Field(max_length=MAX_MARKDOWN, description="Markdown, stored as written.")
]
Estimate = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=2)]
Moment = Annotated[IsoDateTime, Field(description="ISO 8601 with a time zone offset.")]
Version = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


def _check_dates(start: dt.datetime | None, due: dt.datetime | None) -> None:
    if start is not None and due is not None and due < start:
        raise ValueError("due_at must not be before start_at")


class CardCreate(InputDTO):
    title: Title
    column_id: Id | None = Field(default=None, description="Default: the board's first column.")
    description: Markdown = ""
    priority: Priority = Priority.MEDIUM
    start_at: Moment | None = None
    due_at: Moment | None = None
    estimate: Estimate | None = None
    assignee_ids: Annotated[list[Id], Field(max_length=20)] = []
    label_ids: Annotated[list[Id], Field(max_length=30)] = []
    position: Literal["top", "bottom"] = "bottom"

    @model_validator(mode="after")
    def _dates(self) -> Self:
        _check_dates(self.start_at, self.due_at)
        return self


class CardUpdate(InputDTO):
    """Fields left out stay as they are; `null` clears dates and the estimate."""

    title: Title | None = None
    description: Markdown | None = None
    priority: Priority | None = None
    start_at: Moment | None = None
    due_at: Moment | None = None
    due_completed_at: Moment | None = Field(
        default=None, description="The due date was met (then not overdue); null: not yet."
    )
    estimate: Estimate | None = None
    assignee_ids: Annotated[list[Id] | None, Field(max_length=20)] = None
    label_ids: Annotated[list[Id] | None, Field(max_length=30)] = None
    version: Version | None = Field(
        default=None, description="Optimistic lock; the If-Match header works too."
    )


class CardMove(InputDTO):
    column_id: Id
    after_card_id: Id | None = Field(default=None, description="Land right after this card.")
    before_card_id: Id | None = Field(default=None, description="Land right before this card.")
    to: Literal["top", "bottom"] | None = Field(
        default=None, description="Without a neighbour: the top or (default) the bottom."
    )
    force: StrictBool = Field(default=False, description="Mentors: ignore the WIP limit.")
    version: Version | None = None

    @model_validator(mode="after")
    def _one_anchor(self) -> Self:
        anchors = [self.after_card_id, self.before_card_id, self.to]
        if sum(a is not None for a in anchors) > 1:
            raise ValueError("give at most one of after_card_id, before_card_id, to")
        return self


class CardRead(CardSummary):
    board_id: int
    description: str
    description_html: str
    created_by_id: int | None
    archived_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CardListItem(CardSummary):
    board_id: int
    project_id: int
    board_name: str
    column_name: str | None = None
    column_kind: str | None = None
    headline: str | None = None
    rank: float | None = None


class ChecklistCreate(InputDTO):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ChecklistUpdate(InputDTO):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ChecklistItemCreate(InputDTO):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    assignee_id: Id | None = None
    due_at: Moment | None = None


class ChecklistItemUpdate(InputDTO):
    text: Annotated[
        str | None, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)
    ] = None
    is_done: StrictBool | None = None
    assignee_id: Id | None = None
    due_at: Moment | None = None
    after_item_id: Id | None = Field(default=None, description="Reorder: land after this item.")


class ChecklistItemRead(BaseDTO):
    id: int
    checklist_id: int
    text: str
    position: str
    is_done: bool
    done_at: dt.datetime | None
    assignee_id: int | None
    due_at: dt.datetime | None


class ChecklistRead(BaseDTO):
    id: int
    card_id: int
    title: str
    position: str
    items: list[ChecklistItemRead]


class CommentCreate(InputDTO):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]


class CommentRead(BaseDTO):
    id: int
    card_id: int
    author_id: int | None
    # Imported comments by someone who is no InternHub user keep the author's name.
    author_name: str | None = None
    body: str
    body_html: str
    mentioned_user_ids: list[int]
    edited_at: dt.datetime | None
    created_at: dt.datetime


class LinkCreate(InputDTO):
    url: AnyHttpUrl
    title: Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=300)] = None


class AttachmentRead(BaseDTO):
    id: int
    card_id: int
    kind: AttachmentKind
    filename: str | None
    content_type: str | None
    size: int | None
    url: str | None
    title: str | None
    uploaded_by_id: int | None
    created_at: dt.datetime


class ActivityRead(BaseDTO):
    id: int
    board_id: int
    card_id: int | None
    actor_id: int | None
    kind: str
    data: dict[str, Any]
    created_at: dt.datetime


class ActivityPage(BaseDTO):
    items: list[ActivityRead]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page.")


class StaleVersionDetail(BaseDTO):
    current: CardRead


class ImportedStep(BaseDTO):
    """The card entered `column_id` at `at` (history from another tracker or demo data)."""

    column_id: int
    at: dt.datetime
    actor_id: int | None = None


class ImportedComment(BaseDTO):
    author_id: int | None
    body: str
    at: dt.datetime


class ImportedChecklistItem(BaseDTO):
    text: str
    is_done: bool = False
    done_at: dt.datetime | None = None


class ImportedChecklist(BaseDTO):
    title: str
    items: list[ImportedChecklistItem] = []


class ImportedLink(BaseDTO):
    url: str
    title: str | None = None


class CardImport(BaseDTO):
    """A card with its past: created at `created_at` in the first step's column, then
    moved along `steps`; trusted callers only (imports, demo data)."""

    title: str
    description: str = ""
    priority: Priority = Priority.MEDIUM
    start_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    estimate: Decimal | None = None
    created_by_id: int | None = None
    created_at: dt.datetime
    steps: list[ImportedStep]
    assignee_ids: list[int] = []
    label_ids: list[int] = []
    archived_at: dt.datetime | None = None
    comments: list[ImportedComment] = []
    checklists: list[ImportedChecklist] = []
    links: list[ImportedLink] = []
