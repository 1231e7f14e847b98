"""What reviews do when the tracker announces something."""

from ..board.events import CardMoved
from ..lib.events import subscribe
from .services.review_service import review_service


def register() -> None:
    # A card dragged into a review column is submitted; dragged out, withdrawn.
    subscribe(CardMoved, review_service.on_card_moved)
