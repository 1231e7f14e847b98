"""An InternHub board export, read back → a `BoardSnapshot` (the export's person keys
replaced by the users they were matched to)."""

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
from ..schemas.board_export_schema import ExportedCard
from .internhub_export_reader import ParsedExport


def export_to_snapshot(parsed: ParsedExport, people: dict[str, int]) -> BoardSnapshot:
    """`people` maps the export's person keys to user ids."""
    label_keys = {label.key for label in parsed.labels}
    return BoardSnapshot(
        name=parsed.board.name,
        description=parsed.board.description,
        external_id=parsed.board.external_id,
        # The exported columns and labels carry exactly the snapshot's fields.
        columns=[ColumnSnapshot(**column.model_dump()) for column in parsed.columns],
        labels=[LabelSnapshot(**label.model_dump()) for label in parsed.labels],
        cards=[_card(card, people, label_keys) for card in parsed.cards],
        mention_handles={
            person.username.lower(): people[person.key]
            for person in parsed.people
            if person.key in people and person.username
        },
    )


def _card(card: ExportedCard, people: dict[str, int], label_keys: set[str]) -> CardSnapshot:
    def person(key: str | None) -> int | None:
        return people.get(key or "")

    return CardSnapshot(
        column_key=card.column,
        title=card.title,
        created_at=card.created_at,
        description=card.description,
        priority=card.priority,
        start_at=card.start_at,
        due_at=card.due_at,
        due_completed_at=card.due_completed_at,
        estimate=card.estimate,
        created_by_id=person(card.created_by),
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
                        assignee_id=person(item.assignee),
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
                author_id=person(comment.author),
                author_name=comment.author_name,
                edited_at=comment.edited_at,
                external_id=comment.external_id,
            )
            for comment in card.comments
        ],
        links=[
            LinkSnapshot(
                url=link.url, title=link.title, at=link.at, added_by_id=person(link.added_by)
            )
            for link in card.links
        ],
        history=[
            MoveSnapshot(
                at=step.at,
                to_column_key=step.to,
                from_column_key=step.from_,
                actor_id=person(step.actor),
            )
            for step in card.history
        ],
    )
