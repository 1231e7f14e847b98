"""Bodies of boards, columns and labels, and the whole-board read."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt, StringConstraints

from ...lib.dtos.base_dto import BaseDTO, InputDTO
from ...lib.params import PG_BIGINT_MAX
from ..constants import LABEL_COLORS, ColumnKind, Priority

BoardName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ColumnName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
LabelName = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Id = Annotated[StrictInt, Field(ge=1, le=PG_BIGINT_MAX)]
WipLimit = Annotated[StrictInt, Field(ge=1, le=10_000, description="At most this many cards.")]
LabelColor = Literal[
    "green", "yellow", "orange", "red", "purple", "blue", "sky", "lime", "pink", "black", "grey"
]
assert set(LabelColor.__args__) == set(LABEL_COLORS)  # type: ignore[attr-defined]


class BoardCreate(InputDTO):
    name: BoardName
    description: Annotated[str, Field(max_length=20_000)] = ""
    with_default_columns: StrictBool = True


class BoardUpdate(InputDTO):
    name: BoardName | None = None
    description: Annotated[str | None, Field(max_length=20_000)] = None


class BoardRead(BaseDTO):
    id: int
    project_id: int
    name: str
    description: str
    is_default: bool
    archived_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ColumnCreate(InputDTO):
    name: ColumnName
    kind: ColumnKind = ColumnKind.TODO
    wip_limit: WipLimit | None = None
    after_column_id: Id | None = Field(
        default=None, description="Place after this column (default: at the end)."
    )


class ColumnUpdate(InputDTO):
    name: ColumnName | None = None
    kind: ColumnKind | None = None
    wip_limit: WipLimit | None = Field(default=None, description="null removes the limit.")


class ColumnMove(InputDTO):
    after_column_id: Id | None = Field(
        default=None, description="Land after this column; null puts it first."
    )


class ColumnRead(BaseDTO):
    id: int
    board_id: int
    name: str
    kind: ColumnKind
    position: str
    wip_limit: int | None
    archived_at: dt.datetime | None


class LabelCreate(InputDTO):
    name: LabelName = ""
    color: LabelColor | None = None


class LabelUpdate(InputDTO):
    name: LabelName | None = None
    color: LabelColor | None = None


class LabelRead(BaseDTO):
    id: int
    board_id: int
    name: str
    color: str | None


class CardSummary(BaseDTO):
    """A card as the board shows it."""

    id: int
    column_id: int
    title: str
    position: str
    priority: Priority
    start_at: dt.datetime | None
    due_at: dt.datetime | None
    due_completed_at: dt.datetime | None = Field(
        default=None, description="When the due date was marked as met: then not overdue."
    )
    estimate: Decimal | None
    completed_at: dt.datetime | None
    version: int
    assignee_ids: list[int]
    label_ids: list[int]
    checklist_done: int
    checklist_total: int
    comment_count: int
    attachment_count: int


class ColumnWithCards(ColumnRead):
    card_count: int
    cards: list[CardSummary]


class BoardFull(BoardRead):
    """The whole board in one response."""

    columns: list[ColumnWithCards]
    labels: list[LabelRead]


DueFilter = Literal["overdue", "week", "none"]
