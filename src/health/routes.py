"""Routes of the health context (served at the root, not under /api/v1)."""

from .health_controller import router

__all__ = ["router"]
