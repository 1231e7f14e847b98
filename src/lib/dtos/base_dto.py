"""Pydantic bases: read models built from ORM objects, input models that refuse extra fields."""

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict


class BaseDTO(BaseModel):
    """A DTO that reads attributes of ORM objects (the former "ORM mode")."""

    model_config = ConfigDict(from_attributes=True)


class InputDTO(BaseModel):
    """A request body: unknown fields are an error, so nothing is mass-assigned."""

    model_config = ConfigDict(extra="forbid")


def _iso_text(value: object) -> object:
    """Dates travel as ISO 8601 text; a bare number (a Unix time?) is refused, not guessed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("expected an ISO 8601 string")
    return value


IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_text)]
IsoDate = Annotated[dt.date, BeforeValidator(_iso_text)]
