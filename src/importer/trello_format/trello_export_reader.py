"""Read a Trello board export (JSON) from disk into small records, streaming.

Each top-level array is read in its own pass with ijson's C parser, one element at a
time, and boiled down at once to the few fields the import uses.

Required are the board's `id`, `name`, `lists` and `cards`, a list's `id`, and a card's
`id` and `idList`: without them the file is refused (422) naming the key. Every other
key may be absent or null (a default stands in) or hold a value of an unexpected type:
such a value is passed over and counted by its key path ("cards[].due"), for the
import's report. Unknown keys are ignored.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, overload

from ..constants import EXPORT_FORMAT
from ..exceptions import InvalidExportError
from ..json_stream import KIND_NAMES, JsonPasses
from .trello_records import (
    Dropped,
    TrelloAction,
    TrelloAttachment,
    TrelloBoard,
    TrelloCard,
    TrelloCheckItem,
    TrelloChecklist,
    TrelloLabel,
    TrelloList,
    TrelloMember,
)

JSON = dict[str, Any]

_REQUIRED = (("id", "string"), ("name", "string"), ("lists", "array"), ("cards", "array"))
# Top-level values read whole (small ones); the arrays are streamed.
_SMALL = ("desc", "labelNames")


def read_trello_export(path: Path) -> TrelloBoard:
    """The board in the export at `path`; `InvalidExportError` names what is wrong."""
    with path.open("rb") as stream:
        return _ExportReader(JsonPasses(stream)).read()


class _ExportReader:
    """One pass per top-level array; the small values are read whole."""

    def __init__(self, passes: JsonPasses) -> None:
        self.passes = passes
        self.values = _Values()
        self.kinds: dict[str, str] = {}

    def read(self) -> TrelloBoard:
        self.passes.check_object(
            "This is not a Trello board export: the file must hold one JSON object."
        )
        self.kinds = self.passes.top_level_kinds()
        self._check_shape()
        board = self._board()
        for index, item in self.passes.elements("lists"):
            board.lists.append(_list(_element(item, "lists", index), index, self.values))
        board.labels = self._labels(board)
        board.members = self._members(board)
        for index, item in self.passes.elements("cards"):
            board.cards.append(_card(_element(item, "cards", index), index, self.values, board))
        for index, item in self._optional("checklists"):
            checklist = self.values.element(item, "checklists[]")
            if checklist is not None:
                board.checklists.append(_checklist(checklist, index, self.values))
        board.actions = self._actions(board)
        board.has_custom_fields = self.kinds.get("customFields") == "array" and any(
            True for _ in self.passes.elements("customFields")
        )
        board.ignored = dict(self.values.ignored)
        return board

    def _check_shape(self) -> None:
        kinds = self.kinds
        if kinds.get("format") == "string" and self.passes.value("format") == EXPORT_FORMAT:
            raise InvalidExportError(
                "This is an InternHub board export, not a Trello one: import it as an "
                "InternHub export (POST /api/v1/projects/{id}/imports/internhub, or "
                "`internhub import-board`)."
            )
        for key, kind in _REQUIRED:
            if key not in kinds:
                raise InvalidExportError(
                    f"This is not a Trello board export: the key {key!r} is missing."
                )
            if kinds[key] != kind:
                raise InvalidExportError(f"The key {key!r} must hold {KIND_NAMES[kind]}.")

    def _board(self) -> TrelloBoard:
        top = {key: self.passes.value(key) for key in ("id", "name", *_SMALL) if key in self.kinds}
        label_names = self.values.object(top, "labelNames", "") or {}
        return TrelloBoard(
            id=no_nul(top["id"]),
            name=no_nul(top["name"]),
            desc=self.values.text(top, "desc", ""),
            label_names={
                str(colour): name
                for colour, name in label_names.items()
                if isinstance(name, str) and name
            },
        )

    def _optional(self, key: str) -> Iterable[tuple[int, Any]]:
        """The elements of an optional top-level array (none when absent, null or no
        array)."""
        if self.values.kind(self.kinds, key) != "array":
            return []
        return self.passes.elements(key)

    def _labels(self, board: TrelloBoard) -> list[TrelloLabel] | None:
        if self.kinds.get("labels") != "array":
            self.values.kind(self.kinds, "labels")  # anything but an array: an older export
            return None
        labels = []
        for _, item in self.passes.elements("labels"):
            label = _label(self.values.element(item, "labels[]"), "labels[].", self.values, board)
            if label is not None:
                labels.append(label)
        return labels

    def _members(self, board: TrelloBoard) -> list[TrelloMember]:
        members = []
        for _, item in self._optional("members"):
            member = _member(self.values.element(item, "members[]"), "members[].", self.values)
            if member is not None:
                members.append(member)
            elif isinstance(item, dict):
                board.dropped.append(Dropped("member", _name(item, "username"), "it has no id"))
        return members

    def _actions(self, board: TrelloBoard) -> list[TrelloAction]:
        actions = []
        for _, item in self._optional("actions"):
            raw = self.values.element(item, "actions[]")
            if raw is None:
                continue
            action = _action(raw, self.values)
            if action is not None:
                actions.append(action)
            else:
                reason = "it has no type, date or data"
                board.dropped.append(Dropped("action", _name(raw, "id"), reason))
        return actions


def _element(item: Any, array: str, index: int) -> JSON:
    if not isinstance(item, dict):
        raise InvalidExportError(f"{array}[{index}] must be an object.")
    return item


def _required_id(item: JSON, key: str, where: str) -> str:
    value = item.get(key)
    if value is None or value == "":
        raise InvalidExportError(f"{where} has no {key!r}.")
    if not isinstance(value, str):
        raise InvalidExportError(f"{where}.{key} must be a string.")
    return no_nul(value)


def _name(item: JSON, key: str) -> str:
    value = item.get(key)
    return no_nul(value) if isinstance(value, str) else ""


class _Values:
    """Reads optional values of the export's objects: absent or null gives the default,
    a value of an unexpected type gives the default too and is counted by key path."""

    def __init__(self) -> None:
        self.ignored: defaultdict[str, int] = defaultdict(int)

    def kind(self, kinds: dict[str, str], key: str) -> str:
        """The kind of a top-level key meant to hold an array; "null" when absent."""
        kind = kinds.get(key, "null")
        if kind not in ("array", "null"):
            self.ignored[key] += 1
        return kind

    def element(self, item: Any, at: str) -> JSON | None:
        if isinstance(item, dict):
            return item
        self.ignored[at] += 1
        return None

    def text(self, item: JSON, key: str, at: str) -> str:
        return self.maybe_text(item, key, at) or ""

    def maybe_text(self, item: JSON, key: str, at: str) -> str | None:
        value = item.get(key)
        if value is None or isinstance(value, str):
            return no_nul(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)  # a name that is a number, e.g. a year
        self.ignored[at + key] += 1
        return None

    def ref(self, item: JSON, key: str, at: str) -> str | None:
        """An id: a string that is not empty."""
        value = item.get(key)
        if isinstance(value, str) and value:
            return no_nul(value)
        if value is not None and value != "":
            self.ignored[at + key] += 1
        return None

    def flag(self, item: JSON, key: str, at: str) -> bool:
        value = item.get(key)
        if isinstance(value, bool):
            return value
        if value is not None:
            self.ignored[at + key] += 1
        return False

    def number(self, item: JSON, key: str, at: str, default: float) -> float:
        value = item.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        # Trello also writes "top" / "bottom" in some payloads: the array order stands.
        if value is not None and value not in ("top", "bottom"):
            self.ignored[at + key] += 1
        return default

    def date(self, item: JSON, key: str, at: str) -> dt.datetime | None:
        value = item.get(key)
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.ignored[at + key] += 1
        return parsed

    def object(self, item: JSON, key: str, at: str) -> JSON | None:
        value = item.get(key)
        if isinstance(value, dict):
            return value
        if value is not None:
            self.ignored[at + key] += 1
        return None

    def objects(self, item: JSON, key: str, at: str) -> list[JSON]:
        return self._array(item, key, at, lambda v: v if isinstance(v, dict) else None)

    def ids(self, item: JSON, key: str, at: str) -> list[str]:
        return self._array(item, key, at, lambda v: no_nul(v) if isinstance(v, str) and v else None)

    def _array[T](
        self, item: JSON, key: str, at: str, element: Callable[[Any], T | None]
    ) -> list[T]:
        """The elements of an array that `element` accepts; the others are counted."""
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.ignored[at + key] += 1
            return []
        found = [e for e in map(element, value) if e is not None]
        if len(found) != len(value):
            self.ignored[f"{at}{key}[]"] += len(value) - len(found)
        return found


@overload
def no_nul(value: str) -> str: ...
@overload
def no_nul(value: None) -> None: ...
def no_nul(value: str | None) -> str | None:
    """Without NUL characters, which PostgreSQL cannot store in text (nor in JSON)."""
    return value.replace("\x00", "") if value and "\x00" in value else value


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


# --- one reader per kind of object ---------------------------------------------------------


def _list(item: JSON, index: int, values: _Values) -> TrelloList:
    return TrelloList(
        id=_required_id(item, "id", f"lists[{index}]"),
        name=values.text(item, "name", "lists[]."),
        closed=values.flag(item, "closed", "lists[]."),
        pos=values.number(item, "pos", "lists[].", float(index)),
        index=index,
    )


def _label(item: JSON | None, at: str, values: _Values, board: TrelloBoard) -> TrelloLabel | None:
    if item is None:
        return None
    label_id = values.ref(item, "id", at)
    name = values.text(item, "name", at)
    color = values.maybe_text(item, "color", at)
    if label_id is None:
        board.dropped.append(Dropped("label", name, "it has no id"))
        return None
    return TrelloLabel(id=label_id, name=name, color=color)


def _member(item: JSON | None, at: str, values: _Values) -> TrelloMember | None:
    if item is None:
        return None
    member_id = values.ref(item, "id", at)
    username = values.text(item, "username", at)
    full_name = values.text(item, "fullName", at)
    if member_id is None:
        return None
    return TrelloMember(id=member_id, username=username, full_name=full_name)


def _card(item: JSON, index: int, values: _Values, board: TrelloBoard) -> TrelloCard:
    at = "cards[]."
    inline = []
    for label in values.objects(item, "labels", at):
        found = _label(label, "cards[].labels[].", values, board)
        if found is not None:
            inline.append(found)
    attachments = [
        TrelloAttachment(
            name=values.text(attachment, "name", "cards[].attachments[]."),
            url=values.text(attachment, "url", "cards[].attachments[]."),
            date=values.date(attachment, "date", "cards[].attachments[]."),
            member_id=values.ref(attachment, "idMember", "cards[].attachments[]."),
        )
        for attachment in values.objects(item, "attachments", at)
    ]
    return TrelloCard(
        id=_required_id(item, "id", f"cards[{index}]"),
        list_id=_required_id(item, "idList", f"cards[{index}]"),
        name=values.text(item, "name", at),
        desc=values.text(item, "desc", at),
        closed=values.flag(item, "closed", at),
        pos=values.number(item, "pos", at, float(index)),
        index=index,
        start=values.date(item, "start", at),
        due=values.date(item, "due", at),
        due_complete=values.flag(item, "dueComplete", at),
        label_ids=values.ids(item, "idLabels", at),
        inline_labels=inline,
        member_ids=values.ids(item, "idMembers", at),
        attachments=attachments,
        last_activity=values.date(item, "dateLastActivity", at),
    )


def _checklist(item: JSON, index: int, values: _Values) -> TrelloChecklist:
    at = "checklists[]."
    items_at = "checklists[].checkItems[]."
    return TrelloChecklist(
        id=values.text(item, "id", at),
        card_id=values.ref(item, "idCard", at),
        name=values.text(item, "name", at),
        pos=values.number(item, "pos", at, float(index)),
        items=[
            TrelloCheckItem(
                id=values.text(check, "id", items_at),
                name=values.text(check, "name", items_at),
                pos=values.number(check, "pos", items_at, float(position)),
                complete=values.maybe_text(check, "state", items_at) == "complete",
                due=values.date(check, "due", items_at),
            )
            for position, check in enumerate(values.objects(item, "checkItems", at))
        ],
    )


def _action(item: JSON, values: _Values) -> TrelloAction | None:
    """The fields of an action the import uses; None when it has no type, date or data."""
    at = "actions[]."
    action_id = values.text(item, "id", at)
    kind = values.ref(item, "type", at)
    date = values.date(item, "date", at)
    creator_id = values.ref(item, "idMemberCreator", at)
    creator = _member(values.object(item, "memberCreator", at), "actions[].memberCreator.", values)
    data = values.object(item, "data", at)
    if kind is None or date is None or data is None:
        return None
    if creator is None and creator_id is not None:
        creator = TrelloMember(id=creator_id, username="", full_name="")
    d = "actions[].data."
    old = values.object(data, "old", d) or {}
    card = values.object(data, "card", d) or {}
    lst = values.object(data, "list", d) or {}
    check_item = values.object(data, "checkItem", d) or {}
    closed = None
    if kind in ("updateCard", "updateList") and "closed" in old:
        archived = (card if kind == "updateCard" else lst).get("closed")
        closed = archived if isinstance(archived, bool) else None
    due_complete = None
    if kind == "updateCard" and "dueComplete" in old:
        ticked = card.get("dueComplete")
        due_complete = ticked if isinstance(ticked, bool) else None
    edited = values.object(data, "action", d) or {}
    return TrelloAction(
        id=action_id,
        type=kind,
        date=date,
        creator=creator,
        card_id=values.ref(card, "id", d + "card."),
        list_id=values.ref(lst, "id", d + "list."),
        list_before=_ref(values.object(data, "listBefore", d), "listBefore", values),
        list_after=_ref(values.object(data, "listAfter", d), "listAfter", values),
        text=values.maybe_text(data, "text", d),
        edited_at=values.date(data, "dateLastEdited", d),
        comment_id=values.ref(edited, "id", d + "action."),
        closed=closed,
        due_complete=due_complete,
        check_item_id=values.ref(check_item, "id", d + "checkItem."),
        check_item_complete=(
            values.maybe_text(check_item, "state", d + "checkItem.") == "complete"
            if check_item
            else None
        ),
    )


def _ref(value: JSON | None, key: str, values: _Values) -> str | None:
    return None if value is None else values.ref(value, "id", f"actions[].data.{key}.")
