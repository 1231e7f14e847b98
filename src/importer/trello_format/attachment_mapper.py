"""Trello attachments → links on the card (uploaded files stay with Trello: an export
holds their addresses, not their bytes)."""

import datetime as dt

from ...board.schemas.board_snapshot import LinkSnapshot
from .mapping_report import MappingReport
from .trello_records import TrelloCard


def map_attachments(
    card: TrelloCard, created_at: dt.datetime, people: dict[str, int], report: MappingReport
) -> list[LinkSnapshot]:
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
    return links
