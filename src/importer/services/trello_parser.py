"""Read a Trello board export (JSON) from disk into small records, streaming.

A 100 MB export never sits in memory as a whole, nor as a tree of Python objects: each
top-level array is read in its own pass with ijson's C parser (≈ 0.6 s per 170 MB),
one element at a time, and each element is boiled down at once to the few fields the
import uses. Unknown keys are ignored; missing required keys and wrong types are
reported by name.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from ..exceptions import InvalidExportError

_MISSING = object()


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
    card_id: str
    name: str
    pos: float
    items: list[TrelloCheckItem]


@dataclass(slots=True)
class TrelloAction:
    id: str
    type: str
    date: dt.datetime
    creator: TrelloMember | None
    card_id: str | None
    list_id: str | None  # createCard: the list the card was created in
    list_before: str | None
    list_after: str | None
    text: str | None  # commentCard
    closed: bool | None  # updateCard that archived (True) or restored (False) the card
    check_item_id: str | None
    check_item_complete: bool | None


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
    skipped: list[dict[str, str]] = field(default_factory=list)


def parse_trello_export(path: Path) -> TrelloBoard:
    """The board in the export at `path`; `InvalidExportError` names what is wrong."""
    with path.open("rb") as stream:
        reader = _Reader(stream)
        reader.check_object()
        board_id = reader.scalar("id", str, required=True)
        name = reader.scalar("name", str, required=True)
        for key in ("lists", "cards"):
            found = reader.scalar(key, list, required=False, peek=True)
            if found is _MISSING:
                raise InvalidExportError(
                    f"This is not a Trello board export: the key {key!r} is missing."
                )
            if not isinstance(found, list):  # peeking answers None for null, text, numbers
                raise InvalidExportError(f"The key {key!r} must hold an array.")
        board = TrelloBoard(
            id=board_id,
            name=name,
            desc=reader.scalar("desc", str, required=False) or "",
            label_names={
                str(k): str(v)
                for k, v in (reader.scalar("labelNames", dict, required=False) or {}).items()
                if isinstance(v, str) and v
            },
        )
        for index, item in enumerate(reader.items("lists")):
            board.lists.append(
                TrelloList(
                    id=_text(item, "id", "lists", index, required=True),
                    name=_text(item, "name", "lists", index),
                    closed=bool(item.get("closed")),
                    pos=_number(item.get("pos"), index),
                    index=index,
                )
            )
        if reader.scalar("labels", list, required=False, peek=True) is not _MISSING:
            board.labels = [
                _label(item, index) for index, item in enumerate(reader.items("labels"))
            ]
        for index, item in enumerate(reader.items("members")):
            member = _member(item, "members", index)
            if member is not None:
                board.members.append(member)
        for index, item in enumerate(reader.items("cards")):
            board.cards.append(_card(item, index))
        for index, item in enumerate(reader.items("checklists")):
            board.checklists.append(_checklist(item, index))
        for index, item in enumerate(reader.items("actions")):
            action = _action(item, index)
            if action is not None:
                board.actions.append(action)
        custom = reader.scalar("customFields", list, required=False)
        board.has_custom_fields = bool(custom) and custom is not _MISSING
    return board


class _Reader:
    """Passes over one file: each call rewinds and reads only what it asks for."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.start = json_start(stream)

    def _rewind(self) -> BinaryIO:
        self.stream.seek(self.start)
        return self.stream

    def check_object(self) -> None:
        try:
            for _, event, _ in ijson.parse(self._rewind()):
                if event != "start_map":
                    raise InvalidExportError(
                        "This is not a Trello board export: the file must hold one JSON object."
                    )
                break
            else:
                raise InvalidExportError("The file is empty.")
        except ijson.JSONError as exc:
            raise InvalidExportError(f"The file is not valid JSON: {_why(exc)}.") from None

    def scalar(self, key: str, kind: type, *, required: bool, peek: bool = False) -> Any:
        """A top-level value (`peek`: only whether it is there, and of the right type)."""
        try:
            if peek:
                value = _MISSING
                for prefix, event, _ in ijson.parse(self._rewind()):
                    if prefix == key and event in ("start_array", "start_map"):
                        value = [] if event == "start_array" else {}
                        break
                    if prefix == key:
                        value = None
                        break
            else:
                value = next(ijson.items(self._rewind(), key, use_float=True), _MISSING)
        except ijson.JSONError as exc:
            raise InvalidExportError(f"The file is not valid JSON: {_why(exc)}.") from None
        if value is _MISSING:
            if required:
                raise InvalidExportError(
                    f"This is not a Trello board export: the key {key!r} is missing."
                )
            return _MISSING
        if value is None and not required:
            return None
        if not isinstance(value, kind):
            raise InvalidExportError(
                f"The key {key!r} must hold {_KIND_NAMES.get(kind, kind.__name__)}."
            )
        return value

    def items(self, key: str) -> Iterator[dict[str, Any]]:
        try:
            for index, item in enumerate(
                ijson.items(self._rewind(), f"{key}.item", use_float=True)
            ):
                if not isinstance(item, dict):
                    raise InvalidExportError(f"{key}[{index}] must be an object.")
                yield item
        except ijson.JSONError as exc:
            raise InvalidExportError(f"The file is not valid JSON: {_why(exc)}.") from None


def json_start(stream: BinaryIO) -> int:
    """Where the JSON begins: after a UTF-8 byte order mark, which some editors write."""
    stream.seek(0)
    return 3 if stream.read(3) == b"\xef\xbb\xbf" else 0


_KIND_NAMES: dict[type, str] = {str: "a string", list: "an array", dict: "an object"}


def _why(exc: Exception) -> str:
    """The first line of the parser's message (yajl gives some messages as bytes)."""
    message = exc.args[0] if exc.args else ""
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    text = str(message).strip()
    return text.splitlines()[0][:200].rstrip(".") if text else type(exc).__name__


def _text(item: dict[str, Any], key: str, array: str, index: int, *, required: bool = False) -> str:
    value = item.get(key)
    if value is None:
        if required:
            raise InvalidExportError(f"{array}[{index}] has no {key!r}.")
        return ""
    if not isinstance(value, str):
        if required or not isinstance(value, int | float):
            raise InvalidExportError(f"{array}[{index}].{key} must be a string.")
        return str(value)
    return value


def _number(value: Any, index: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        # Trello also writes "top" / "bottom" in some payloads; keep the array order.
        return float(index)
    return float(value)


def parse_date(value: Any) -> dt.datetime | None:
    """Trello's ISO 8601 times ("2024-03-01T10:00:00.000Z"); anything else → None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def created_from_id(trello_id: str) -> dt.datetime | None:
    """Trello ids are MongoDB ObjectIds: the first 8 hex digits are the creation second."""
    try:
        seconds = int(trello_id[:8], 16)
    except ValueError:
        return None
    if len(trello_id) != 24 or seconds <= 0:
        return None
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _label(item: dict[str, Any], index: int) -> TrelloLabel:
    color = item.get("color")
    return TrelloLabel(
        id=_text(item, "id", "labels", index, required=True),
        name=_text(item, "name", "labels", index),
        color=color if isinstance(color, str) else None,
    )


def _member(item: Any, array: str, index: int) -> TrelloMember | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    return TrelloMember(
        id=item["id"],
        username=_text(item, "username", array, index),
        full_name=_text(item, "fullName", array, index),
    )


def _card(item: dict[str, Any], index: int) -> TrelloCard:
    label_ids = item.get("idLabels") or []
    member_ids = item.get("idMembers") or []
    if not isinstance(label_ids, list) or not isinstance(member_ids, list):
        raise InvalidExportError(f"cards[{index}].idLabels and idMembers must be arrays.")
    inline = []
    for label in item.get("labels") or []:
        if isinstance(label, dict) and isinstance(label.get("id"), str):
            inline.append(_label(label, index))
    attachments = []
    for attachment in item.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        url = attachment.get("url")
        attachments.append(
            TrelloAttachment(
                name=str(attachment.get("name") or ""),
                url=url if isinstance(url, str) else "",
                date=parse_date(attachment.get("date")),
                member_id=attachment.get("idMember")
                if isinstance(attachment.get("idMember"), str)
                else None,
            )
        )
    return TrelloCard(
        id=_text(item, "id", "cards", index, required=True),
        list_id=_text(item, "idList", "cards", index, required=True),
        name=_text(item, "name", "cards", index),
        desc=_text(item, "desc", "cards", index),
        closed=bool(item.get("closed")),
        pos=_number(item.get("pos"), index),
        index=index,
        start=parse_date(item.get("start")),
        due=parse_date(item.get("due")),
        due_complete=bool(item.get("dueComplete")),
        label_ids=[v for v in label_ids if isinstance(v, str)],
        inline_labels=inline,
        member_ids=[v for v in member_ids if isinstance(v, str)],
        attachments=attachments,
        last_activity=parse_date(item.get("dateLastActivity")),
    )


def _checklist(item: dict[str, Any], index: int) -> TrelloChecklist:
    items = []
    raw_items = item.get("checkItems") or []
    if not isinstance(raw_items, list):
        raise InvalidExportError(f"checklists[{index}].checkItems must be an array.")
    for position, check in enumerate(raw_items):
        if not isinstance(check, dict):
            continue
        items.append(
            TrelloCheckItem(
                id=str(check.get("id") or ""),
                name=str(check.get("name") or ""),
                pos=_number(check.get("pos"), position),
                complete=check.get("state") == "complete",
                due=parse_date(check.get("due")),
            )
        )
    return TrelloChecklist(
        id=_text(item, "id", "checklists", index, required=True),
        card_id=_text(item, "idCard", "checklists", index, required=True),
        name=_text(item, "name", "checklists", index),
        pos=_number(item.get("pos"), index),
        items=items,
    )


def _ref(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def _action(item: dict[str, Any], index: int) -> TrelloAction | None:
    """The actions the import uses; others (and broken ones) are passed over."""
    kind = item.get("type")
    date = parse_date(item.get("date"))
    data = item.get("data")
    if not isinstance(kind, str) or date is None or not isinstance(data, dict):
        return None
    creator = _member(item.get("memberCreator"), "actions", index)
    if creator is None and isinstance(item.get("idMemberCreator"), str):
        creator = TrelloMember(id=item["idMemberCreator"], username="", full_name="")
    old: dict[str, Any] = data["old"] if isinstance(data.get("old"), dict) else {}
    card: dict[str, Any] = data["card"] if isinstance(data.get("card"), dict) else {}
    closed = None
    if kind == "updateCard" and "closed" in old and isinstance(card.get("closed"), bool):
        closed = card["closed"]
    check_item: dict[str, Any] = (
        data["checkItem"] if isinstance(data.get("checkItem"), dict) else {}
    )
    text = data.get("text")
    return TrelloAction(
        id=str(item.get("id") or ""),
        type=kind,
        date=date,
        creator=creator,
        card_id=_ref(data, "card"),
        list_id=_ref(data, "list"),
        list_before=_ref(data, "listBefore"),
        list_after=_ref(data, "listAfter"),
        text=text if isinstance(text, str) else None,
        closed=closed,
        check_item_id=check_item.get("id") if isinstance(check_item.get("id"), str) else None,
        check_item_complete=(check_item.get("state") == "complete") if check_item else None,
    )
