"""Trello actions → the past of the board's cards and lists: creation, moves, comments
(with their authors and edit times), archiving, ticked checklist items and due dates."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ...board.schemas.board_snapshot import CommentSnapshot, MoveSnapshot
from ..constants import TRELLO_ACTIONS_CAP
from .mapping_report import MappingReport
from .trello_records import TrelloAction, TrelloBoard

_CREATING_ACTIONS = {
    "createCard",
    "copyCard",
    "convertToCardFromCheckItem",
    "moveCardToBoard",
    "emailCard",
}


@dataclass(slots=True)
class BoardPast:
    """What the actions tell, by card id (or list id, check item id)."""

    created: dict[str, tuple[dt.datetime, int | None]] = field(default_factory=dict)
    history: defaultdict[str, list[MoveSnapshot]] = field(default_factory=lambda: defaultdict(list))
    comments: defaultdict[str, list[CommentSnapshot]] = field(
        default_factory=lambda: defaultdict(list)
    )
    archived: dict[str, dt.datetime] = field(default_factory=dict)
    list_archived: dict[str, dt.datetime] = field(default_factory=dict)
    checked: dict[str, dt.datetime] = field(default_factory=dict)
    due_completed: dict[str, dt.datetime] = field(default_factory=dict)


def map_actions(board: TrelloBoard, people: dict[str, int], report: MappingReport) -> BoardPast:
    """Replays the actions oldest first; `people` maps Trello member ids to users."""
    past = BoardPast()
    comments: list[CommentSnapshot] = []
    by_id: dict[str, CommentSnapshot] = {}  # by the commentCard action's id
    edits: dict[str, dt.datetime] = {}  # commentCard action id → its last edit
    former: set[str] = set()
    for action in sorted(board.actions, key=lambda a: a.date):
        actor = people.get(action.creator.id) if action.creator else None
        if action.type == "commentCard":
            comment = _comment(action, actor, past, report)
            if comment is not None:
                comments.append(comment)
                by_id[action.id] = comment
                if comment.author_id is None and action.creator:
                    former.add(action.creator.id)
        elif action.type == "updateComment" and action.comment_id:
            edits[action.comment_id] = action.date
        elif action.type == "updateList" and action.list_id and action.closed is not None:
            _record(past.list_archived, action.list_id, action.date, keep=action.closed)
        elif action.card_id is not None:
            _card_action(action, actor, past)
    for comment_id, at in edits.items():
        comment = by_id.get(comment_id)
        if comment is not None and at > comment.at and comment.edited_at is None:
            comment.edited_at = at
    if len(board.actions) >= TRELLO_ACTIONS_CAP:
        report.warnings.append(
            f"The export holds {len(board.actions)} actions, Trello's limit: older comments "
            "and history are missing from it; cards without a creation action are dated "
            "from their Trello id."
        )
    report.counts["actions_in_export"] = len(board.actions)
    report.counts["comments_by_former_members"] = sum(
        1 for comment in comments if comment.author_id is None
    )
    report.counts["former_members"] = len(former)
    return past


def _record(into: dict[str, dt.datetime], key: str, at: dt.datetime, *, keep: bool) -> None:
    """Archived/ticked (`keep`) at `at`; restored/cleared forgets the earlier time."""
    if keep:
        into[key] = at
    else:
        into.pop(key, None)


def _card_action(action: TrelloAction, actor: int | None, past: BoardPast) -> None:
    card_id = action.card_id
    assert card_id is not None
    if action.type in _CREATING_ACTIONS:
        past.created.setdefault(card_id, (action.date, actor))
        if action.list_id:
            past.history[card_id].append(MoveSnapshot(action.date, action.list_id, None, actor))
    elif action.type == "updateCard":
        if action.list_before and action.list_after:
            past.history[card_id].append(
                MoveSnapshot(action.date, action.list_after, action.list_before, actor)
            )
        if action.closed is not None:
            _record(past.archived, card_id, action.date, keep=action.closed)
        if action.due_complete is not None:
            _record(past.due_completed, card_id, action.date, keep=action.due_complete)
    elif action.type == "updateCheckItemStateOnCard" and action.check_item_id:
        _record(
            past.checked,
            action.check_item_id,
            action.date,
            keep=bool(action.check_item_complete),
        )


def _comment(
    action: TrelloAction, actor: int | None, past: BoardPast, report: MappingReport
) -> CommentSnapshot | None:
    if action.card_id is None:
        report.skip("comment", action.id, "it names no card")
        return None
    if action.text is None:
        report.skip("comment", action.id, "it has no text")
        return None
    author_name = None
    if actor is None:
        # A former member of the board: the comment keeps the name the action gives.
        creator = action.creator
        author_name = (creator.full_name or creator.username if creator else None) or "Trello"
    comment = CommentSnapshot(
        body=action.text,
        at=action.date,
        author_id=actor,
        author_name=author_name,
        edited_at=action.edited_at if action.edited_at and action.edited_at > action.date else None,
        external_id=action.id or None,
    )
    past.comments[action.card_id].append(comment)
    return comment
