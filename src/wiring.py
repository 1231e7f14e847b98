"""Composition: connect the contexts' event subscribers. Idempotent."""


def wire() -> None:
    from .board.subscribers import register as register_board
    from .review.subscribers import register as register_review

    register_board()
    register_review()
