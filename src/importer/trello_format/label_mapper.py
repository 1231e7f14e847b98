"""Trello labels → the board's labels, and each card's labels among them.

An empty name is replaced by the colour; shades (`green_dark`) keep their main colour.
Older exports have no `labels` array: their labels come from the cards' own label
objects and from `labelNames` (colour → name)."""

from ...board.schemas.board_snapshot import LabelSnapshot
from ..constants import TRELLO_COLORS
from .mapping_report import MappingReport
from .trello_records import TrelloBoard, TrelloCard, TrelloLabel


def colour(color: str | None) -> str | None:
    return TRELLO_COLORS.get(color.split("_")[0]) if color else None


def _snapshot(label: TrelloLabel) -> LabelSnapshot:
    return LabelSnapshot(
        key=label.id,
        name=label.name.strip() or label.color or "no colour",
        color=colour(label.color),
        external_id=label.id,
    )


def map_labels(board: TrelloBoard, report: MappingReport) -> dict[str, LabelSnapshot]:
    """The board's labels by key (a Trello label id, or "color:<colour>")."""
    if board.labels is not None:
        labels: dict[str, LabelSnapshot] = {}
        for label in board.labels:
            labels.setdefault(label.id, _snapshot(label))
        return labels
    report.warnings.append(
        "An older export without a labels array: labels come from labelNames and "
        "the cards' own labels."
    )
    labels = {}
    for card in board.cards:
        for label in card.inline_labels:
            labels.setdefault(label.id, _snapshot(label))
    named = {(label.color, label.name) for label in labels.values()}
    for color, name in board.label_names.items():
        if colour(color) is not None and (colour(color), name) not in named:
            key = f"color:{color}"
            labels[key] = LabelSnapshot(key=key, name=name, color=colour(color))
    return labels


def card_label_keys(
    card: TrelloCard, labels: dict[str, LabelSnapshot], report: MappingReport
) -> list[str]:
    keys = []
    for label_id in card.label_ids:
        if label_id in labels:
            keys.append(label_id)
            continue
        inline = next((lbl for lbl in card.inline_labels if lbl.id == label_id), None)
        key = f"color:{inline.color}" if inline and inline.color else ""
        if key in labels:
            keys.append(key)
        else:
            report.skip("card_label", f"{card.id}/{label_id}", "the label is not in the export")
    return keys
