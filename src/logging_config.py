"""Logging: one format with the request id, configured once per process."""

import logging
import sys

from .lib.request_context import RedactSecretsLogFilter, RequestIdLogFilter

LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"


class _InternHubHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The one handler this module installs (recognised when called again)."""


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if any(isinstance(h, _InternHubHandler) for h in root.handlers):
        root.setLevel(level.upper())
        return
    handler = _InternHubHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RequestIdLogFilter())
    handler.addFilter(RedactSecretsLogFilter())
    root.addHandler(handler)
    root.setLevel(level.upper())
    # Alembic reports every plugin and step at INFO; keep start-up logs readable.
    logging.getLogger("alembic").setLevel(logging.WARNING)
