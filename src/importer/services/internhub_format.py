"""InternHub's own export format: write a board snapshot, read it back.

The format is described in `schemas/board_export_schema.py`. Reading streams the file
like the Trello reader: one pass per section, each element validated on its own, so an
error names its place (`cards[12].due_at: …`).
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson
import orjson
from pydantic import BaseModel, ValidationError

from ...board.schemas.board_snapshot import (
    BoardSnapshot,
    CardSnapshot,
    ChecklistItemSnapshot,
    ChecklistSnapshot,
    ColumnSnapshot,
    CommentSnapshot,
    LabelSnapshot,
    LinkSnapshot,
    MoveSnapshot,
)
from ..constants import EXPORT_FORMAT, EXPORT_VERSION
from ..exceptions import InvalidExportError
from ..schemas.board_export_schema import (
    ExportedBoard,
    ExportedCard,
    ExportedColumn,
    ExportedLabel,
    ExportedPerson,
)
from .trello_parser import json_start

# --- writing --------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def snapshot_to_document(
    snapshot: BoardSnapshot,
    people: dict[int, tuple[str, str]],
    *,
    board_id: int,
    exported_at: dt.datetime,
) -> dict[str, Any]:
    """The export document; `people` gives each user id its username and full name."""
    # Keys follow the usernames, so the same board exports the same way on any server.
    keys = {
        user_id: f"person-{index + 1}"
        for index, user_id in enumerate(sorted(people, key=lambda i: people[i][0].lower()))
    }
    order = {user_id: index for index, user_id in enumerate(keys)}

    def person(user_id: int | None) -> str | None:
        return None if user_id is None else keys.get(user_id)

    cards = []
    for card in snapshot.cards:
        cards.append(
            {
                "column": card.column_key,
                "title": card.title,
                "description": card.description,
                "priority": card.priority,
                "start_at": _iso(card.start_at),
                "due_at": _iso(card.due_at),
                "estimate": None if card.estimate is None else float(card.estimate),
                "created_at": _iso(card.created_at),
                "created_by": person(card.created_by_id),
                "completed_at": _iso(card.completed_at),
                "archived_at": _iso(card.archived_at),
                "assignees": [
                    keys[i]
                    for i in sorted(card.assignee_ids, key=lambda i: order.get(i, -1))
                    if i in keys
                ],
                "labels": card.label_keys,
                "external_id": card.external_id,
                "checklists": [
                    {
                        "title": checklist.title,
                        "external_id": checklist.external_id,
                        "items": [
                            {
                                "text": item.text,
                                "is_done": item.is_done,
                                "done_at": _iso(item.done_at),
                                "due_at": _iso(item.due_at),
                                "assignee": person(item.assignee_id),
                            }
                            for item in checklist.items
                        ],
                    }
                    for checklist in card.checklists
                ],
                "comments": [
                    {
                        "author": person(comment.author_id),
                        "author_name": comment.author_name,
                        "body": comment.body,
                        "at": _iso(comment.at),
                        "edited_at": _iso(comment.edited_at),
                        "external_id": comment.external_id,
                    }
                    for comment in card.comments
                ],
                "links": [
                    {
                        "url": link.url,
                        "title": link.title,
                        "at": _iso(link.at),
                        "added_by": person(link.added_by_id),
                    }
                    for link in card.links
                ],
                "history": [
                    {
                        "at": _iso(step.at),
                        "from": step.from_column_key,
                        "to": step.to_column_key,
                        "actor": person(step.actor_id),
                    }
                    for step in card.history
                ],
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": _iso(exported_at),
        "board": {
            "name": snapshot.name,
            "description": snapshot.description,
            "external_id": snapshot.external_id or f"internhub:{board_id}",
        },
        "people": [
            {"key": key, "username": people[user_id][0], "full_name": people[user_id][1]}
            for user_id, key in keys.items()
        ],
        "columns": [
            {
                "key": c.key,
                "name": c.name,
                "kind": c.kind,
                "wip_limit": c.wip_limit,
                "archived_at": _iso(c.archived_at),
                "external_id": c.external_id,
            }
            for c in snapshot.columns
        ],
        "labels": [
            {
                "key": label.key,
                "name": label.name,
                "color": label.color,
                "archived_at": _iso(label.archived_at),
                "external_id": label.external_id,
            }
            for label in snapshot.labels
        ],
        "cards": cards,
    }


def dump_document(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)


# --- reading --------------------------------------------------------------------------


@dataclass(slots=True)
class ParsedExport:
    board: ExportedBoard
    people: list[ExportedPerson]
    columns: list[ExportedColumn]
    labels: list[ExportedLabel]
    cards: list[ExportedCard]


def _validated[M: BaseModel](model: type[M], value: Any, where: str) -> M:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        place = ".".join(str(part) for part in first["loc"])
        raise InvalidExportError(f"{where}{'.' + place if place else ''}: {first['msg']}") from None


def parse_internhub_export(path: Path) -> ParsedExport:
    with path.open("rb") as stream:
        start = json_start(stream)

        def pass_over(prefix: str) -> Any:
            stream.seek(start)
            return ijson.items(stream, prefix, use_float=True)

        try:
            stream.seek(start)
            first = next(ijson.parse(stream), None)
            if first is None or first[1] != "start_map":
                raise InvalidExportError("The file must hold one JSON object.")
            fmt = next(pass_over("format"), None)
            version = next(pass_over("version"), None)
            if fmt != EXPORT_FORMAT:
                raise InvalidExportError(
                    f"This is not an InternHub board export: 'format' must be {EXPORT_FORMAT!r}."
                )
            if version != EXPORT_VERSION:
                raise InvalidExportError(
                    f"Unsupported export version {version!r}; this server reads {EXPORT_VERSION}."
                )
            board = _validated(ExportedBoard, next(pass_over("board"), None), "board")
            people = [
                _validated(ExportedPerson, item, f"people[{i}]")
                for i, item in enumerate(pass_over("people.item"))
            ]
            columns = [
                _validated(ExportedColumn, item, f"columns[{i}]")
                for i, item in enumerate(pass_over("columns.item"))
            ]
            labels = [
                _validated(ExportedLabel, item, f"labels[{i}]")
                for i, item in enumerate(pass_over("labels.item"))
            ]
            cards = [
                _validated(ExportedCard, item, f"cards[{i}]")
                for i, item in enumerate(pass_over("cards.item"))
            ]
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise InvalidExportError(f"The file is not valid JSON: {exc}"[:300]) from None
    column_keys = {c.key for c in columns}
    if len(column_keys) != len(columns):
        raise InvalidExportError("columns: two columns share a key.")
    for index, card in enumerate(cards):
        if card.column not in column_keys:
            raise InvalidExportError(f"cards[{index}].column names no column of the export.")
    return ParsedExport(board=board, people=people, columns=columns, labels=labels, cards=cards)


def export_to_snapshot(parsed: ParsedExport, people: dict[str, int]) -> BoardSnapshot:
    """`people` maps the export's person keys to user ids."""
    label_keys = {label.key for label in parsed.labels}
    cards = []
    for card in parsed.cards:
        cards.append(
            CardSnapshot(
                column_key=card.column,
                title=card.title,
                created_at=card.created_at,
                description=card.description,
                priority=card.priority,
                start_at=card.start_at,
                due_at=card.due_at,
                estimate=card.estimate,
                created_by_id=people.get(card.created_by or ""),
                completed_at=card.completed_at,
                archived_at=card.archived_at,
                assignee_ids=[people[k] for k in card.assignees if k in people],
                label_keys=[k for k in card.labels if k in label_keys],
                external_id=card.external_id,
                checklists=[
                    ChecklistSnapshot(
                        title=checklist.title,
                        external_id=checklist.external_id,
                        items=[
                            ChecklistItemSnapshot(
                                text=item.text,
                                is_done=item.is_done,
                                done_at=item.done_at,
                                due_at=item.due_at,
                                assignee_id=people.get(item.assignee or ""),
                            )
                            for item in checklist.items
                        ],
                    )
                    for checklist in card.checklists
                ],
                comments=[
                    CommentSnapshot(
                        body=comment.body,
                        at=comment.at,
                        author_id=people.get(comment.author or ""),
                        author_name=comment.author_name,
                        edited_at=comment.edited_at,
                        external_id=comment.external_id,
                    )
                    for comment in card.comments
                ],
                links=[
                    LinkSnapshot(
                        url=link.url,
                        title=link.title,
                        at=link.at,
                        added_by_id=people.get(link.added_by or ""),
                    )
                    for link in card.links
                ],
                history=[
                    MoveSnapshot(
                        at=step.at,
                        to_column_key=step.to,
                        from_column_key=step.from_,
                        actor_id=people.get(step.actor or ""),
                    )
                    for step in card.history
                ],
            )
        )
    return BoardSnapshot(
        name=parsed.board.name,
        description=parsed.board.description,
        external_id=parsed.board.external_id,
        columns=[
            ColumnSnapshot(
                key=c.key,
                name=c.name,
                kind=c.kind,
                wip_limit=c.wip_limit,
                archived_at=c.archived_at,
                external_id=c.external_id,
            )
            for c in parsed.columns
        ],
        labels=[
            LabelSnapshot(
                key=label.key,
                name=label.name,
                color=label.color,
                archived_at=label.archived_at,
                external_id=label.external_id,
            )
            for label in parsed.labels
        ],
        cards=cards,
        mention_handles={
            person.username.lower(): people[person.key]
            for person in parsed.people
            if person.key in people and person.username
        },
    )
