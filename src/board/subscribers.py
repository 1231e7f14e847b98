"""What the tracker does when other contexts announce something."""

from ..internship.events import ProjectCreated
from ..lib.events import subscribe
from .services.board_service import board_service


def register() -> None:
    # Every project starts with a default board.
    subscribe(ProjectCreated, board_service.on_project_created)
