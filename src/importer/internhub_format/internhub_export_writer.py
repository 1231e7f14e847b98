"""Write a board snapshot as InternHub's own export document (the format is described
in `schemas/board_export_schema.py`)."""

import dataclasses
import datetime as dt
from typing import Any

import orjson

from ...board.schemas.board_snapshot import BoardSnapshot, ColumnSnapshot, LabelSnapshot
from ..constants import EXPORT_FORMAT, EXPORT_VERSION


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _plain(snapshot: ColumnSnapshot | LabelSnapshot) -> dict[str, Any]:
    return {
        key: _iso(value) if isinstance(value, dt.datetime) else value
        for key, value in dataclasses.asdict(snapshot).items()
    }


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
                "due_completed_at": _iso(card.due_completed_at),
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
        # Columns and labels are written with exactly the snapshot's fields.
        "columns": [_plain(column) for column in snapshot.columns],
        "labels": [_plain(label) for label in snapshot.labels],
        "cards": cards,
    }


def dump_document(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)
