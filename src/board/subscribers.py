"""What the tracker does when other contexts announce something."""

from ..internship.events import ProjectCreated
from ..lib.events import subscribe
from ..user.events import UsersMerged
from .services.board_service import board_service
from .services.board_transfer_service import board_transfer_service


def register() -> None:
    # Every project starts with a default board.
    subscribe(ProjectCreated, board_service.on_project_created)
    # Placeholders from imports merged into real accounts take their cards along.
    subscribe(UsersMerged, board_transfer_service.on_users_merged)
