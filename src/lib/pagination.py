"""One pagination dependency and one page envelope for every list."""

from typing import Annotated

from fastapi import Depends, Query
from pydantic import BaseModel, Field

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class PageParams(BaseModel):
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(default=0, ge=0, le=1_000_000)


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip.")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page[T](BaseModel):
    """A page of a list: the items, the total count and the window asked for."""

    items: list[T]
    total: int
    limit: int
    offset: int
