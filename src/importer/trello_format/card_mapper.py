"""Trello cards → cards in board order, with their labels, assignees, checklists,
comments, links and history; a card left out is counted with its comments and
checklists."""

import datetime as dt
from dataclasses import dataclass

from ...board.schemas.board_snapshot import (
    CardSnapshot,
    ChecklistSnapshot,
    ColumnSnapshot,
    LabelSnapshot,
)
from .action_mapper import BoardPast
from .attachment_mapper import map_attachments
from .label_mapper import card_label_keys
from .mapping_report import MappingReport
from .member_mapper import assignee_ids
from .trello_export_reader import created_from_id
from .trello_records import TrelloBoard, TrelloCard


@dataclass(frozen=True, slots=True)
class CardContext:
    """What the other mappers made that each card draws on."""

    columns: dict[str, ColumnSnapshot]  # by list id
    labels: dict[str, LabelSnapshot]
    people: dict[str, int]  # Trello member id → user id
    past: BoardPast
    checklists: dict[str, list[ChecklistSnapshot]]  # by card id
    now: dt.datetime


def map_cards(
    board: TrelloBoard, columns: list[ColumnSnapshot], context: CardContext, report: MappingReport
) -> list[CardSnapshot]:
    """The cards in board order: by column (as `columns` are), then by `pos` within it."""
    order = {column.key: index for index, column in enumerate(columns)}
    cards = []
    for card in sorted(board.cards, key=lambda c: (order.get(c.list_id, -1), c.pos, c.index)):
        if card.list_id in context.columns:
            cards.append(map_card(card, context, report))
            continue
        own = context.checklists.get(card.id, [])
        report.skip(
            "card",
            card.id,
            "its list is not in the export",
            also={
                "comment": len(context.past.comments.get(card.id, [])),
                "checklist": len(own),
                "checklist_item": sum(len(checklist.items) for checklist in own),
            },
        )
    exported = {card.id for card in board.cards}
    for card_id, comments in context.past.comments.items():
        if card_id not in exported:
            for comment in comments:
                report.skip("comment", comment.external_id or "", "its card is not in the export")
    return cards


def map_card(card: TrelloCard, context: CardContext, report: MappingReport) -> CardSnapshot:
    columns, past, people = context.columns, context.past, context.people
    column = columns[card.list_id]
    created_at, created_by = past.created.get(card.id, (None, None))
    if created_at is None:
        created_at = created_from_id(card.id) or card.last_activity or context.now
    archived_at = None
    if card.closed:
        archived_at = past.archived.get(card.id) or card.last_activity or context.now
    elif column.archived_at is not None:
        # Open in an archived list, which Trello shows nowhere: here it is in the archive.
        archived_at = column.archived_at
        report.counts["cards_archived_with_their_list"] += 1
    due_completed_at = None
    if card.due_complete and card.due is not None:
        # Ticked in Trello: when the actions tell, else the card's last activity.
        due_completed_at = past.due_completed.get(card.id) or card.last_activity or context.now
        report.counts["due_complete"] += 1
    history = past.history.get(card.id, [])
    completed_at = None
    if column.kind == "done" and not any(
        step.to_column_key in columns and columns[step.to_column_key].kind == "done"
        for step in history
    ):
        # Done before the export's history begins: the last activity is the best date.
        completed_at = card.last_activity or created_at
    return CardSnapshot(
        column_key=card.list_id,
        title=card.name.strip() or "—",
        created_at=created_at,
        description=card.desc,
        start_at=card.start,
        due_at=card.due,
        due_completed_at=due_completed_at,
        created_by_id=created_by,
        completed_at=completed_at,
        archived_at=archived_at,
        assignee_ids=assignee_ids(card, people, report),
        label_keys=card_label_keys(card, context.labels, report),
        checklists=context.checklists.get(card.id, []),
        comments=past.comments.get(card.id, []),
        links=map_attachments(card, created_at, people, report),
        history=history,
        external_id=card.id,
    )
