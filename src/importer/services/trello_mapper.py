"""Turn a parsed Trello board into a `BoardSnapshot`, and say what was left out and why.

The mapping (issue «Moving in from Trello»):
- lists → columns in `pos` order; closed lists → archived columns (their open cards stay
  open); a column's kind comes from the request's `column_kinds`, else from its name;
- cards → cards in `pos` order per list; closed → archived; name, desc (Markdown, byte for
  byte), start, due, labels, members as assignees, checklists (order and states),
  attachments as links;
- labels → labels; an empty name is replaced by the colour; older exports without a
  `labels` array get theirs from `labelNames` and the cards' own label objects;
- actions → comments (original date and author), card creation and list changes into
  the activity log, archiving times, checked-item times.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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
from ..constants import COLUMN_KIND_HINTS, TRELLO_ACTIONS_CAP, TRELLO_COLORS
from .trello_parser import TrelloBoard, TrelloCard, TrelloLabel, created_from_id

_CREATING_ACTIONS = {
    "createCard",
    "copyCard",
    "convertToCardFromCheckItem",
    "moveCardToBoard",
    "emailCard",
}


@dataclass(slots=True)
class MappingReport:
    skipped: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def skip(self, what: str, ident: str, reason: str) -> None:
        self.counts[f"skipped_{what}"] += 1
        if len(self.skipped) < 200:  # the report stays readable; counts stay exact
            self.skipped.append({"what": what, "id": ident, "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        return {"skipped": self.skipped, "warnings": self.warnings, "counts": dict(self.counts)}


def column_kind(name: str, list_id: str, explicit: Mapping[str, str]) -> str:
    kind = explicit.get(list_id) or explicit.get(name.strip().lower())
    if kind:
        return kind
    lowered = name.lower()
    for candidate, hints in COLUMN_KIND_HINTS:
        if any(hint in lowered for hint in hints):
            return candidate
    return "todo"


def _label_name(label: TrelloLabel) -> str:
    return label.name.strip() or label.color or "no colour"


def _color(color: str | None) -> str | None:
    if not color:
        return None
    return TRELLO_COLORS.get(color.split("_")[0])


def trello_to_snapshot(
    board: TrelloBoard,
    *,
    people: dict[str, int],
    column_kinds: Mapping[str, str],
    now: dt.datetime,
) -> tuple[BoardSnapshot, MappingReport]:
    """`people` maps Trello member ids to InternHub user ids (matched or placeholders)."""
    report = MappingReport()
    # Keys are list ids or names (any case); a name may be as long as an id.
    known_ids = {item.id for item in board.lists}
    explicit = {k if k in known_ids else k.strip().lower(): v for k, v in column_kinds.items()}
    unique_lists = {item.id: item for item in reversed(board.lists)}  # first one wins
    if len(unique_lists) != len(board.lists):
        report.warnings.append("Some lists share an id; the first of each is imported.")
    lists = sorted(unique_lists.values(), key=lambda item: (item.pos, item.index))
    columns = [
        ColumnSnapshot(
            key=item.id,
            name=item.name.strip() or "—",
            kind=column_kind(item.name, item.id, explicit),
            archived_at=now if item.closed else None,
            external_id=item.id,
        )
        for item in lists
    ]
    list_ids = {item.id for item in lists}

    labels: dict[str, LabelSnapshot] = {}
    if board.labels is not None:
        for label in board.labels:
            labels.setdefault(
                label.id,
                LabelSnapshot(
                    key=label.id,
                    name=_label_name(label),
                    color=_color(label.color),
                    external_id=label.id,
                ),
            )
    else:
        report.warnings.append(
            "An older export without a labels array: labels come from labelNames and "
            "the cards' own labels."
        )
        for card in board.cards:
            for label in card.inline_labels:
                labels.setdefault(
                    label.id,
                    LabelSnapshot(
                        key=label.id,
                        name=_label_name(label),
                        color=_color(label.color),
                        external_id=label.id,
                    ),
                )
        named = {(lbl.color, lbl.name) for lbl in labels.values()}
        for colour, name in board.label_names.items():
            if (_color(colour), name) not in named and _color(colour) is not None:
                labels[f"color:{colour}"] = LabelSnapshot(
                    key=f"color:{colour}", name=name, color=_color(colour)
                )

    # Actions, oldest first: the card's past.
    history: dict[str, list[MoveSnapshot]] = defaultdict(list)
    created: dict[str, tuple[dt.datetime, int | None]] = {}
    comments: dict[str, list[CommentSnapshot]] = defaultdict(list)
    archived: dict[str, dt.datetime] = {}
    checked: dict[str, dt.datetime] = {}
    former: set[str] = set()
    for action in sorted(board.actions, key=lambda a: a.date):
        card_id = action.card_id
        actor = people.get(action.creator.id) if action.creator else None
        if card_id is None:
            continue
        if action.type in _CREATING_ACTIONS:
            created.setdefault(card_id, (action.date, actor))
            if action.list_id:
                history[card_id].append(MoveSnapshot(action.date, action.list_id, None, actor))
        elif action.type == "updateCard":
            if action.list_before and action.list_after:
                history[card_id].append(
                    MoveSnapshot(action.date, action.list_after, action.list_before, actor)
                )
            if action.closed is True:
                archived[card_id] = action.date
            elif action.closed is False:
                archived.pop(card_id, None)
        elif action.type == "commentCard" and action.text is not None:
            author_name = None
            if actor is None:
                author_name = (
                    (action.creator.full_name or action.creator.username)
                    if action.creator
                    else None
                ) or "Trello"
                if action.creator:
                    former.add(action.creator.id)
            comments[card_id].append(
                CommentSnapshot(
                    body=action.text,
                    at=action.date,
                    author_id=actor,
                    author_name=author_name,
                    external_id=action.id or None,
                )
            )
        elif action.type == "updateCheckItemStateOnCard" and action.check_item_id:
            if action.check_item_complete:
                checked[action.check_item_id] = action.date
            else:
                checked.pop(action.check_item_id, None)
    if len(board.actions) >= TRELLO_ACTIONS_CAP:
        report.warnings.append(
            f"The export holds {len(board.actions)} actions, Trello's limit: older comments "
            "and history are missing from it; cards without a creation action are dated "
            "from their Trello id."
        )
    report.counts["actions_in_export"] = len(board.actions)
    report.counts["comments_by_former_members"] = sum(
        1 for items in comments.values() for c in items if c.author_id is None
    )
    report.counts["former_members"] = len(former)

    checklists: dict[str, list[ChecklistSnapshot]] = defaultdict(list)
    card_ids = {card.id for card in board.cards}
    for checklist in sorted(board.checklists, key=lambda c: c.pos):
        if checklist.card_id not in card_ids:
            report.skip("checklist", checklist.id, "its card is not in the export")
            continue
        checklists[checklist.card_id].append(
            ChecklistSnapshot(
                title=checklist.name.strip() or "Checklist",
                external_id=checklist.id,
                items=[
                    ChecklistItemSnapshot(
                        text=item.name,
                        is_done=item.complete,
                        done_at=checked.get(item.id) if item.complete else None,
                        due_at=item.due,
                    )
                    for item in sorted(checklist.items, key=lambda i: i.pos)
                ],
            )
        )

    order = {item.id: index for index, item in enumerate(lists)}
    cards: list[CardSnapshot] = []
    due_complete_open = 0
    kinds = {c.key: c.kind for c in columns}
    for card in sorted(board.cards, key=lambda c: (order.get(c.list_id, -1), c.pos, c.index)):
        if card.list_id not in list_ids:
            report.skip("card", card.id, "its list is not in the export")
            continue
        snapshot = _card(
            card, labels, people, report, created, history, comments, archived, checklists, now
        )
        if card.due_complete and kinds[card.list_id] != "done":
            due_complete_open += 1
        if kinds[card.list_id] == "done" and not any(
            kinds.get(step.to_column_key) == "done" for step in snapshot.history
        ):
            # Done before the export's history begins: the last activity is the best date.
            snapshot.completed_at = card.last_activity or snapshot.created_at
        cards.append(snapshot)
    if due_complete_open:
        report.warnings.append(
            f"{due_complete_open} cards are marked due-complete in Trello but sit outside "
            "a done column; they stay where they were."
        )
    if board.has_custom_fields:
        report.warnings.append("Custom fields (a Trello Power-Up) are not imported.")
    return (
        BoardSnapshot(
            name=board.name.strip() or "Trello",
            description=board.desc,
            external_id=f"trello:{board.id}",
            columns=columns,
            labels=list(labels.values()),
            cards=cards,
            # Comments @mention people by their Trello username.
            mention_handles={
                member.username.lower(): people[member.id]
                for member in (
                    *(a.creator for a in board.actions if a.creator is not None),
                    *board.members,
                )
                if member.id in people and member.username
            },
        ),
        report,
    )


def _card(
    card: TrelloCard,
    labels: dict[str, LabelSnapshot],
    people: dict[str, int],
    report: MappingReport,
    created: dict[str, tuple[dt.datetime, int | None]],
    history: dict[str, list[MoveSnapshot]],
    comments: dict[str, list[CommentSnapshot]],
    archived: dict[str, dt.datetime],
    checklists: dict[str, list[ChecklistSnapshot]],
    now: dt.datetime,
) -> CardSnapshot:
    created_at, created_by = created.get(card.id, (None, None))
    if created_at is None:
        created_at = created_from_id(card.id) or card.last_activity or now
    label_keys = []
    for label_id in card.label_ids:
        if label_id in labels:
            label_keys.append(label_id)
        else:
            inline = next((lbl for lbl in card.inline_labels if lbl.id == label_id), None)
            key = f"color:{inline.color}" if inline and inline.color else ""
            if key in labels:
                label_keys.append(key)
            else:
                report.skip("card_label", f"{card.id}/{label_id}", "the label is not in the export")
    assignees = []
    for member_id in card.member_ids:
        if member_id in people:
            assignees.append(people[member_id])
        else:
            report.skip("assignment", f"{card.id}/{member_id}", "the member is not in the export")
    links = []
    for attachment in card.attachments:
        if not attachment.url.startswith(("http://", "https://")):
            report.skip("attachment", card.id, "the attachment has no web address")
            continue
        links.append(
            LinkSnapshot(
                url=attachment.url,
                title=attachment.name or None,
                at=attachment.date or created_at,
                added_by_id=people.get(attachment.member_id or ""),
            )
        )
    archived_at = None
    if card.closed:
        archived_at = archived.get(card.id) or card.last_activity or now
    return CardSnapshot(
        column_key=card.list_id,
        title=card.name.strip() or "—",
        created_at=created_at,
        description=card.desc,
        start_at=card.start,
        due_at=card.due,
        created_by_id=created_by,
        archived_at=archived_at,
        assignee_ids=assignees,
        label_keys=label_keys,
        checklists=checklists.get(card.id, []),
        comments=comments.get(card.id, []),
        links=links,
        history=history.get(card.id, []),
        external_id=card.id,
    )
