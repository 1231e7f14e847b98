"""Constants of reviews."""

from enum import StrEnum


class RequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    ACCEPT = "accept"
    RETURN = "return"
