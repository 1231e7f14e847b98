"""Imports reuse the tracker's world (internship «Весна 2026», teams Альфа and Бета)."""

from tests.board.conftest import committed_tracker, tracker  # noqa: F401
