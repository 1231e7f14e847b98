"""Routes of the tracker."""

from ..lib.routing import RouterMount
from .controllers.board_controller import column_router, label_router, project_router
from .controllers.board_controller import router as board_router
from .controllers.card_controller import router as card_router
from .controllers.card_detail_controller import attachment_router
from .controllers.card_detail_controller import router as card_detail_router

# In matching order (see src/routes.py).
routers = [
    # Moves and card reads first, then board reads: most of the traffic.
    RouterMount(card_router, "/cards", ("Cards",)),
    RouterMount(board_router, "/boards", ("Boards",)),
    RouterMount(card_detail_router, "/cards", ("Cards",)),
    RouterMount(project_router, "/projects", ("Boards",)),
    RouterMount(column_router, "/columns", ("Boards",)),
    RouterMount(label_router, "/labels", ("Boards",)),
    RouterMount(attachment_router, "/attachments", ("Cards",)),
]
