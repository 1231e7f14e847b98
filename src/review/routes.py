"""Routes of reviews: one router, its controllers' routers under their prefixes."""

from fastapi import APIRouter

from .controllers.review_controller import card_router, internship_router
from .controllers.review_controller import router as review_router

router = APIRouter()
router.include_router(internship_router, prefix="/internships", tags=["Reviews"])
router.include_router(card_router, prefix="/cards", tags=["Reviews"])
router.include_router(review_router, prefix="/reviews", tags=["Reviews"])
