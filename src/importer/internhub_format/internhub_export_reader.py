"""Read an InternHub board export from disk, streaming like the Trello reader: one pass
per section, each element validated on its own, so an error names its place
(`cards[12].due_at: …`)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..constants import EXPORT_FORMAT, EXPORT_VERSION
from ..exceptions import InvalidExportError
from ..json_stream import JsonPasses
from ..schemas.board_export_schema import (
    ExportedBoard,
    ExportedCard,
    ExportedColumn,
    ExportedLabel,
    ExportedPerson,
)


@dataclass(slots=True)
class ParsedExport:
    board: ExportedBoard
    people: list[ExportedPerson]
    columns: list[ExportedColumn]
    labels: list[ExportedLabel]
    cards: list[ExportedCard]


def read_internhub_export(path: Path) -> ParsedExport:
    with path.open("rb") as stream:
        passes = JsonPasses(stream)
        passes.check_object("The file must hold one JSON object.")
        fmt = passes.value("format")
        if fmt != EXPORT_FORMAT:
            kinds = passes.top_level_kinds()
            if fmt is None and "id" in kinds and ("lists" in kinds or "cards" in kinds):
                raise InvalidExportError(
                    "This is a Trello board export, not an InternHub one: import it as a "
                    "Trello export (POST /api/v1/projects/{id}/imports/trello, or "
                    "`internhub import-trello`)."
                )
            raise InvalidExportError(
                f"This is not an InternHub board export: 'format' must be {EXPORT_FORMAT!r}."
            )
        version = passes.value("version")
        if version != EXPORT_VERSION:
            raise InvalidExportError(
                f"Unsupported export version {version!r}; this server reads {EXPORT_VERSION}."
            )
        board = _validated(ExportedBoard, passes.value("board"), "board")
        people = _section(passes, ExportedPerson, "people")
        columns = _section(passes, ExportedColumn, "columns")
        labels = _section(passes, ExportedLabel, "labels")
        cards = _section(passes, ExportedCard, "cards")
    column_keys = {c.key for c in columns}
    if len(column_keys) != len(columns):
        raise InvalidExportError("columns: two columns share a key.")
    for index, card in enumerate(cards):
        if card.column not in column_keys:
            raise InvalidExportError(f"cards[{index}].column names no column of the export.")
    return ParsedExport(board=board, people=people, columns=columns, labels=labels, cards=cards)


def _section[M: BaseModel](passes: JsonPasses, model: type[M], key: str) -> list[M]:
    return [_validated(model, item, f"{key}[{i}]") for i, item in passes.elements(key)]


def _validated[M: BaseModel](model: type[M], value: Any, where: str) -> M:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        raise InvalidExportError(f"{where}{'.' + place if place else ''}: {first['msg']}") from None
