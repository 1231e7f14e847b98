"""Routes of reviews."""

from ..lib.routing import RouterMount
from .controllers.review_controller import card_router, internship_router
from .controllers.review_controller import router as review_router

# In matching order (see src/routes.py).
routers = [
    RouterMount(internship_router, "/internships", ("Reviews",)),
    RouterMount(card_router, "/cards", ("Reviews",)),
    RouterMount(review_router, "/reviews", ("Reviews",)),
]
