"""Bodies of the liveness and readiness probes."""

from typing import Literal

from pydantic import BaseModel


class HealthRead(BaseModel):
    status: Literal["ok"] = "ok"


class ReadinessRead(BaseModel):
    status: Literal["ok"] = "ok"
    database: Literal["ok"] = "ok"
