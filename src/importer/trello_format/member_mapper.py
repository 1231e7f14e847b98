"""Trello members → the people an import matches to InternHub users, and what the
matched users become on the board: assignees, authors, @mentioned people."""

from ..schemas.people_schema import PersonRef
from .mapping_report import MappingReport
from .trello_records import TrelloBoard, TrelloCard


def member_refs(board: TrelloBoard) -> tuple[list[PersonRef], list[PersonRef]]:
    """The board's members, and the authors of actions who are members no longer."""
    members = [
        PersonRef(key=m.id, username=m.username, full_name=m.full_name) for m in board.members
    ]
    known = {ref.key for ref in members}
    former: dict[str, PersonRef] = {}
    for action in board.actions:
        creator = action.creator
        if creator and creator.id not in known and creator.id not in former:
            former[creator.id] = PersonRef(
                key=creator.id, username=creator.username, full_name=creator.full_name
            )
    return members, list(former.values())


def assignee_ids(card: TrelloCard, people: dict[str, int], report: MappingReport) -> list[int]:
    assignees = []
    for member_id in card.member_ids:
        if member_id in people:
            assignees.append(people[member_id])
        else:
            report.skip("assignment", f"{card.id}/{member_id}", "the member is not in the export")
    return assignees


def mention_handles(board: TrelloBoard, people: dict[str, int]) -> dict[str, int]:
    """Comments @mention people by their Trello username: username → matched user."""
    named = (*(a.creator for a in board.actions if a.creator is not None), *board.members)
    return {
        member.username.lower(): people[member.id]
        for member in named
        if member.id in people and member.username
    }
