"""Trello checklists → each card's checklists, in order, with their items' states and the
times items were ticked (from the actions)."""

import datetime as dt
from collections import defaultdict

from ...board.schemas.board_snapshot import ChecklistItemSnapshot, ChecklistSnapshot
from .mapping_report import MappingReport
from .trello_records import TrelloBoard, TrelloChecklist


def map_checklists(
    board: TrelloBoard, checked: dict[str, dt.datetime], report: MappingReport
) -> dict[str, list[ChecklistSnapshot]]:
    """Checklists by card id; those of no card in the export are left out (counted with
    their items)."""
    card_ids = {card.id for card in board.cards}
    checklists: dict[str, list[ChecklistSnapshot]] = defaultdict(list)
    for checklist in sorted(board.checklists, key=lambda c: c.pos):
        if checklist.card_id is None:
            _skip(checklist, "it names no card", report)
        elif checklist.card_id not in card_ids:
            _skip(checklist, "its card is not in the export", report)
        else:
            checklists[checklist.card_id].append(_checklist(checklist, checked))
    return checklists


def _skip(checklist: TrelloChecklist, reason: str, report: MappingReport) -> None:
    report.skip("checklist", checklist.id, reason, also={"checklist_item": len(checklist.items)})


def _checklist(checklist: TrelloChecklist, checked: dict[str, dt.datetime]) -> ChecklistSnapshot:
    return ChecklistSnapshot(
        title=checklist.name.strip() or "Checklist",
        external_id=checklist.id or None,
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
