"""A Trello board export → a `BoardSnapshot`, and the report of what was left out, why,
and what was guessed. Each kind of object has its own mapper (lists, labels, members,
actions, checklists, attachments, cards); this module puts them together."""

import datetime as dt
from collections.abc import Mapping

from ...board.schemas.board_snapshot import BoardSnapshot
from .action_mapper import map_actions
from .card_mapper import CardContext, map_cards
from .checklist_mapper import map_checklists
from .label_mapper import map_labels
from .list_mapper import map_lists
from .mapping_report import MappingReport
from .member_mapper import mention_handles
from .trello_records import TrelloBoard

__all__ = ["MappingReport", "trello_to_snapshot"]


def trello_to_snapshot(
    board: TrelloBoard,
    *,
    people: dict[str, int],
    column_kinds: Mapping[str, str],
    now: dt.datetime,
) -> tuple[BoardSnapshot, MappingReport]:
    """`people` maps Trello member ids to InternHub user ids (matched or placeholders)."""
    report = MappingReport()
    for dropped in board.dropped:
        report.skip(dropped.what, dropped.id, dropped.reason)
    past = map_actions(board, people, report)
    columns = map_lists(board, column_kinds, past.list_archived, now, report)
    labels = map_labels(board, report)
    checklists = map_checklists(board, past.checked, report)
    context = CardContext(
        columns={column.key: column for column in columns},
        labels=labels,
        people=people,
        past=past,
        checklists=checklists,
        now=now,
    )
    cards = map_cards(board, columns, context, report)
    if board.has_custom_fields:
        report.warnings.append("Custom fields (a Trello Power-Up) are not imported.")
    if board.ignored:
        passed_over = ", ".join(
            f"{path} ({count})" for path, count in sorted(board.ignored.items())
        )
        report.warnings.append(f"Values of an unexpected type were passed over: {passed_over}.")
    snapshot = BoardSnapshot(
        name=board.name.strip() or "Trello",
        description=board.desc,
        external_id=f"trello:{board.id}",
        columns=columns,
        labels=list(labels.values()),
        cards=cards,
        mention_handles=mention_handles(board, people),
    )
    return snapshot, report
