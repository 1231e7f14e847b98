"""Routes of the tracker: one router, its controllers' routers under their prefixes."""

from fastapi import APIRouter

from .controllers.board_controller import column_router, label_router, project_router
from .controllers.board_controller import router as board_router
from .controllers.card_controller import router as card_router
from .controllers.card_detail_controller import attachment_router
from .controllers.card_detail_controller import router as card_detail_router

router = APIRouter()
# `/cards/my` and `/cards/search` (card_router) before `/cards/{card_id}/...`.
router.include_router(card_router, prefix="/cards", tags=["Cards"])
router.include_router(board_router, prefix="/boards", tags=["Boards"])
router.include_router(card_detail_router, prefix="/cards", tags=["Cards"])
router.include_router(project_router, prefix="/projects", tags=["Boards"])
router.include_router(column_router, prefix="/columns", tags=["Boards"])
router.include_router(label_router, prefix="/labels", tags=["Boards"])
router.include_router(attachment_router, prefix="/attachments", tags=["Cards"])
