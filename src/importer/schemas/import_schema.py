"""Request options and responses of imports and exports."""

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from ...lib.dtos.base_dto import BaseDTO, InputDTO

ColumnKindName = Literal["backlog", "todo", "in_progress", "review", "done"]


class ImportOptions(InputDTO):
    """Sent as form fields beside the file (the JSON ones as JSON text)."""

    allow_copy: bool = Field(
        default=False,
        description="Import even if this export was imported into the project before.",
    )
    member_map: dict[
        Annotated[str, Field(min_length=1, max_length=100)],
        Annotated[str, Field(min_length=1, max_length=32)],
    ] = Field(
        default_factory=dict,
        max_length=1000,
        description="Trello member id or username → InternHub username.",
    )
    column_kinds: dict[Annotated[str, Field(min_length=1, max_length=200)], ColumnKindName] = Field(
        default_factory=dict,
        max_length=1000,
        description="Trello list id or name → column kind (backlog, todo, in_progress, "
        "review, done); other lists are guessed from their names.",
    )

    @field_validator("member_map", "column_kinds")
    @classmethod
    def _keys_trimmed(cls, value: dict[str, Any]) -> dict[str, Any]:
        return {k.strip(): v for k, v in value.items()}


class ImportJobRead(BaseDTO):
    id: int
    project_id: int
    board_id: int | None
    created_by_id: int | None
    source: str
    status: Literal["queued", "running", "succeeded", "failed"]
    filename: str
    size: int
    progress: int = Field(description="0–100.")
    stage: str
    report: dict[str, Any] | None = Field(
        description="Counts imported and skipped (with reasons), warnings, each "
        "column's kind and where it came from, and how every member was matched."
    )
    error: str | None
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


ExportFormat = Literal["json", "csv"]
CsvLanguage = Literal["ru", "en"]
