"""Pydantic bases: read models built from ORM objects, input models that refuse extra fields."""

from pydantic import BaseModel, ConfigDict


class BaseDTO(BaseModel):
    """A DTO that reads attributes of ORM objects (the former "ORM mode")."""

    model_config = ConfigDict(from_attributes=True)


class InputDTO(BaseModel):
    """A request body: unknown fields are an error, so nothing is mass-assigned."""

    model_config = ConfigDict(extra="forbid")
