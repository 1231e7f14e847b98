"""What the import keeps of a Trello board export: one small record per object, with
only the fields it uses, already checked for type."""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class TrelloList:
    id: str
    name: str
    closed: bool
    pos: float
    index: int


@dataclass(slots=True)
class TrelloLabel:
    id: str
    name: str
    color: str | None


@dataclass(slots=True)
class TrelloMember:
    id: str
    username: str
    full_name: str


@dataclass(slots=True)
class TrelloAttachment:
    name: str
    url: str
    date: dt.datetime | None
    member_id: str | None


@dataclass(slots=True)
class TrelloCard:
    id: str
    list_id: str
    name: str
    desc: str
    closed: bool
    pos: float
    index: int
    start: dt.datetime | None
    due: dt.datetime | None
    due_complete: bool
    label_ids: list[str]
    # Older exports carry only these (no top-level `labels`).
    inline_labels: list[TrelloLabel]
    member_ids: list[str]
    attachments: list[TrelloAttachment]
    last_activity: dt.datetime | None


@dataclass(slots=True)
class TrelloCheckItem:
    id: str
    name: str
    pos: float
    complete: bool
    due: dt.datetime | None


@dataclass(slots=True)
class TrelloChecklist:
    id: str
    card_id: str | None  # None: the checklist names no card
    name: str
    pos: float
    items: list[TrelloCheckItem]


@dataclass(slots=True)
class TrelloAction:
    """One entry of the board's activity; the fields that do not apply to its type are
    None."""

    id: str
    type: str
    date: dt.datetime
    creator: TrelloMember | None
    card_id: str | None
    list_id: str | None  # createCard: the list the card was created in; updateList: the list
    list_before: str | None
    list_after: str | None
    text: str | None  # commentCard
    edited_at: dt.datetime | None  # commentCard: when its text was last edited
    comment_id: str | None  # updateComment: the commentCard action whose text changed
    closed: bool | None  # updateCard / updateList that archived (True) or restored (False)
    due_complete: bool | None  # updateCard that ticked (True) or cleared the due date
    check_item_id: str | None
    check_item_complete: bool | None


@dataclass(slots=True)
class Dropped:
    """An object the reader could not use (its id missing or of the wrong type)."""

    what: str
    id: str
    reason: str


@dataclass(slots=True)
class TrelloBoard:
    id: str
    name: str
    desc: str
    label_names: dict[str, str]
    lists: list[TrelloList] = field(default_factory=list)
    labels: list[TrelloLabel] | None = None  # None: an older export without the array
    members: list[TrelloMember] = field(default_factory=list)
    cards: list[TrelloCard] = field(default_factory=list)
    checklists: list[TrelloChecklist] = field(default_factory=list)
    actions: list[TrelloAction] = field(default_factory=list)
    has_custom_fields: bool = False
    # Key paths ("cards[].due") → how many values of an unexpected type were passed over.
    ignored: dict[str, int] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
