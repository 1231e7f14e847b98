"""Routes of imports and exports: one router, its controllers' routers under their prefixes."""

from fastapi import APIRouter

from .controllers.import_controller import board_router, project_router
from .controllers.import_controller import router as import_router

router = APIRouter()
router.include_router(project_router, prefix="/projects", tags=["Import and export"])
router.include_router(import_router, prefix="/imports", tags=["Import and export"])
router.include_router(board_router, prefix="/boards", tags=["Import and export"])
