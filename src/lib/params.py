"""Shared request parameter types."""

from typing import Annotated

from fastapi import Path

PG_BIGINT_MAX = 2**63 - 1

IdPath = Annotated[int, Path(ge=1, le=PG_BIGINT_MAX, description="Positive integer id.")]
