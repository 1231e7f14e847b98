"""InternHub's own board export format, version 1 (`GET /boards/{id}/export?format=json`).

One JSON object:

```
{"format": "internhub.board", "version": 1, "exported_at": "…",
 "board":   {"name", "description", "external_id"},
 "people":  [{"key", "username", "full_name"}],
 "columns": [{"key", "name", "kind", "wip_limit", "archived_at", "external_id"}],
 "labels":  [{"key", "name", "color", "archived_at", "external_id"}],
 "cards":   [{"column", "title", "description", "priority", "start_at", "due_at",
              "due_completed_at", "estimate", "created_at", "created_by", "completed_at",
              "archived_at", "assignees", "labels", "external_id",
              "checklists": [{"title", "external_id",
                              "items": [{"text", "is_done", "done_at", "due_at", "assignee"}]}],
              "comments":   [{"author", "author_name", "body", "at", "edited_at", "external_id"}],
              "links":      [{"url", "title", "at", "added_by"}],
              "history":    [{"at", "from", "to", "actor"}]}]}
```

Columns and cards are in board order. Keys added to version 1 later are optional
(`due_completed_at`), so older files still import. People are referred to by `key`; on import they
are matched to accounts by username (then full name), like Trello members. Times are
ISO 8601 with an offset. Uploaded files are not part of the format (links are).
"""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt

from ...lib.dtos.base_dto import BaseDTO, IsoDateTime

Text = Annotated[str, Field(max_length=1_000_000)]
Key = Annotated[str, Field(min_length=1, max_length=64)]


class _Item(BaseDTO):
    # Unknown keys are ignored: a newer minor revision of the format still imports.
    model_config = ConfigDict(extra="ignore")


class ExportedBoard(_Item):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Text = ""
    external_id: Annotated[str, Field(max_length=64)] | None = None


class ExportedPerson(_Item):
    key: Key
    username: Annotated[str, Field(max_length=32)] = ""
    full_name: Annotated[str, Field(max_length=200)] = ""


class ExportedColumn(_Item):
    key: Key
    name: Annotated[str, Field(max_length=120)]
    kind: Literal["backlog", "todo", "in_progress", "review", "done"]
    wip_limit: Annotated[StrictInt, Field(ge=1, le=10_000)] | None = None
    archived_at: IsoDateTime | None = None
    external_id: Annotated[str, Field(max_length=64)] | None = None


class ExportedLabel(_Item):
    key: Key
    name: Annotated[str, Field(max_length=100)]
    color: Annotated[str, Field(max_length=16)] | None = None
    archived_at: IsoDateTime | None = None
    external_id: Annotated[str, Field(max_length=64)] | None = None


class ExportedChecklistItem(_Item):
    text: Annotated[str, Field(max_length=1000)]
    is_done: StrictBool = False
    done_at: IsoDateTime | None = None
    due_at: IsoDateTime | None = None
    assignee: Key | None = None


class ExportedChecklist(_Item):
    title: Annotated[str, Field(max_length=200)]
    items: list[ExportedChecklistItem] = []
    external_id: Annotated[str, Field(max_length=64)] | None = None


class ExportedComment(_Item):
    author: Key | None = None
    author_name: Annotated[str, Field(max_length=200)] | None = None
    body: Text
    at: IsoDateTime
    edited_at: IsoDateTime | None = None
    external_id: Annotated[str, Field(max_length=64)] | None = None


class ExportedLink(_Item):
    url: Annotated[str, Field(min_length=1, max_length=2000)]
    title: Annotated[str, Field(max_length=300)] | None = None
    at: IsoDateTime
    added_by: Key | None = None


class ExportedMove(_Item):
    at: IsoDateTime
    to: Key
    from_: Key | None = Field(default=None, alias="from")
    actor: Key | None = None

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class ExportedCard(_Item):
    column: Key
    title: Annotated[str, Field(max_length=500)]
    description: Text = ""
    priority: Literal["low", "medium", "high", "critical"] = "medium"
    start_at: IsoDateTime | None = None
    due_at: IsoDateTime | None = None
    due_completed_at: IsoDateTime | None = None
    estimate: Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=2)] | None = None
    created_at: IsoDateTime
    created_by: Key | None = None
    completed_at: IsoDateTime | None = None
    archived_at: IsoDateTime | None = None
    assignees: list[Key] = []
    labels: list[Key] = []
    checklists: list[ExportedChecklist] = []
    comments: list[ExportedComment] = []
    links: list[ExportedLink] = []
    history: list[ExportedMove] = []
    external_id: Annotated[str, Field(max_length=64)] | None = None
