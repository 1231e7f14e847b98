"""The current time, in one place (UTC, timezone-aware)."""

import datetime as dt


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
