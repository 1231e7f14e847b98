"""People named by an imported board, and how each was matched to an InternHub user."""

from typing import Literal

from ...lib.dtos.base_dto import BaseDTO

MatchedBy = Literal["mapping", "username", "full_name", "placeholder", "new_placeholder"]


class PersonRef(BaseDTO):
    """Someone named by an import: `key` is the source's id (e.g. a Trello member id)."""

    key: str
    username: str = ""
    full_name: str = ""


class PersonMatch(BaseDTO):
    user_id: int
    # "mapping" (named in the request), "username", "full_name", "placeholder" (made by
    # an earlier import) or "new_placeholder".
    matched_by: MatchedBy
