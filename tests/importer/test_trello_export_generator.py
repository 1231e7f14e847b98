"""The Trello export generator (bench/trello_export.py) keeps the invariants the importer
tests rely on. No database: these run in well under a second each."""

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from bench.trello_export import (
    ARRAY_KEYS,
    BOARD_KEYS,
    LABEL_NAME_KEYS,
    build_export,
    write_big_export,
    write_export,
)

DATA = Path(__file__).parent / "data"
HEX24 = re.compile(r"[0-9a-f]{24}")


@pytest.fixture(scope="module")
def board() -> dict[str, Any]:
    return build_export(cards=120, lists=6, members=5, seed=3, closed_lists=2)


def _ids(export: dict[str, Any]) -> Iterator[str]:
    """Every object id of an export (previews repeat theirs as `_id`)."""
    yield export["id"]
    yield export["idOrganization"]
    for key in ("lists", "members", "memberships", "actions", "pluginData"):
        yield from (x["id"] for x in export[key])
    yield from (x["id"] for x in export.get("labels", []))
    for field in export["customFields"]:
        yield field["id"]
        yield from (o["id"] for o in field.get("options", []))
    for checklist in export["checklists"]:
        yield checklist["id"]
        yield from (item["id"] for item in checklist["checkItems"])
    for card in export["cards"]:
        yield card["id"]
        yield from (x["id"] for x in card["customFieldItems"])
        for attachment in card["attachments"]:
            yield attachment["id"]
            yield from (p["id"] for p in attachment["previews"])


def _assert_references_resolve(export: dict[str, Any]) -> None:
    lists = {x["id"] for x in export["lists"]}
    members = {x["id"] for x in export["members"]}
    checklists = {x["id"]: x for x in export["checklists"]}
    labels = {x["id"]: x for x in export["labels"]} if "labels" in export else None
    for card in export["cards"]:
        assert card["idBoard"] == export["id"]
        assert card["idList"] in lists
        assert set(card["idMembers"]) <= members
        assert [lab["id"] for lab in card["labels"]] == card["idLabels"]
        for label in card["labels"]:
            if labels is not None:
                assert label == labels[label["id"]]
            assert label["color"] is None or label["color"] in export["labelNames"]
        for checklist_id in card["idChecklists"]:
            assert checklists[checklist_id]["idCard"] == card["id"]
        assert card["badges"]["checkItems"] == sum(
            len(checklists[c]["checkItems"]) for c in card["idChecklists"]
        )
    assert {c["idCard"] for c in checklists.values()} <= {c["id"] for c in export["cards"]}
    for checklist in checklists.values():
        assert all(item["idChecklist"] == checklist["id"] for item in checklist["checkItems"])
    assert {m["idMember"] for m in export["memberships"]} == members


def test_same_seed_same_export_other_seed_other_export() -> None:
    first = build_export(cards=40, seed=9, closed_lists=1)
    again = build_export(cards=40, seed=9, closed_lists=1)
    assert json.dumps(first, ensure_ascii=False) == json.dumps(again, ensure_ascii=False)
    assert build_export(cards=40, seed=10, closed_lists=1) != first


def test_keys_and_order_follow_a_real_export(board: dict[str, Any]) -> None:
    assert list(board) == [*BOARD_KEYS, *ARRAY_KEYS]
    assert list(board["labelNames"]) == list(LABEL_NAME_KEYS)
    assert {"permissionLevel", "background", "backgroundImage", "cardCovers"} <= set(board["prefs"])
    card_keys = {"badges", "checkItemStates", "cover", "customFieldItems", "shortUrl", "url"}
    assert all(card_keys <= set(card) for card in board["cards"])


def test_ids_are_24_hex_and_unique(board: dict[str, Any]) -> None:
    ids = list(_ids(board))
    assert all(HEX24.fullmatch(i) for i in ids)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("with_label_array", [True, False])
def test_card_references_resolve(with_label_array: bool) -> None:
    export = build_export(cards=80, seed=5, closed_lists=1, with_label_array=with_label_array)
    _assert_references_resolve(export)


def test_arrays_are_not_in_pos_order(board: dict[str, Any]) -> None:
    def out_of_order(items: list[dict[str, Any]]) -> bool:
        positions = [x["pos"] for x in items]
        return positions != sorted(positions)

    assert out_of_order(board["lists"])
    by_list: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for card in board["cards"]:
        by_list[card["idList"]].append(card)
    assert any(out_of_order(cards) for cards in by_list.values())
    for cards in by_list.values():
        assert len({c["pos"] for c in cards}) == len(cards)  # pos decides, no ties
    assert any(out_of_order(c["checkItems"]) for c in board["checklists"])
    assert any(isinstance(x["pos"], float) for x in board["lists"] + board["cards"])


def test_closed_lists_hold_an_open_card(board: dict[str, Any]) -> None:
    closed = {x["id"] for x in board["lists"] if x["closed"]}
    assert len(closed) == 2
    assert any(not c["closed"] and c["idList"] in closed for c in board["cards"])
    assert any(c["closed"] for c in board["cards"])  # some cards are archived as well
    assert not any(x["closed"] for x in build_export(cards=20)["lists"])


def test_labels_cover_the_awkward_cases(board: dict[str, Any]) -> None:
    labels = board["labels"]
    assert any(lab["name"] == "" for lab in labels)
    assert any(lab["color"] is None for lab in labels)
    assert sum(lab["uses"] for lab in labels) == sum(len(c["idLabels"]) for c in board["cards"])


def test_legacy_export_has_no_label_array() -> None:
    export = build_export(cards=30, seed=2, with_label_array=False)
    assert "labels" not in export
    assert set(export["labelNames"]) <= set(LABEL_NAME_KEYS)
    card_labels = [lab for card in export["cards"] for lab in card["labels"]]
    assert card_labels
    for label in card_labels:
        assert export["labelNames"][label["color"]] == label["name"]


def _assert_action_dates_consistent(board: dict[str, Any]) -> int:
    """Checks the action history against the cards; returns how many cards moved."""
    actions = board["actions"]
    dates = [a["date"] for a in actions]
    assert dates == sorted(dates, reverse=True)  # newest first
    created: dict[str, str] = {}
    moves: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for action in actions:
        card = action["data"].get("card")
        if action["type"] == "createCard":
            created[card["id"]] = action["date"]
        elif action["type"] == "updateCard" and "listAfter" in action["data"]:
            assert action["data"]["old"]["idList"] == action["data"]["listBefore"]["id"]
            assert card["idList"] == action["data"]["listAfter"]["id"]
            moves[card["id"]].append(action)
    cards = {c["id"]: c for c in board["cards"]}
    for card_id, card_moves in moves.items():
        card_moves.sort(key=lambda a: a["date"])
        if card_id in created:  # a capped export may have lost the creation
            assert created[card_id] < card_moves[0]["date"]
        for before, after in pairwise(card_moves):
            assert before["data"]["listAfter"]["id"] == after["data"]["listBefore"]["id"]
        assert card_moves[-1]["data"]["listAfter"]["id"] == cards[card_id]["idList"]
    for action in actions:
        card = action["data"].get("card")
        if card and card["id"] in created:
            assert action["date"] >= created[card["id"]]
        if card:
            assert action["date"] <= cards[card["id"]]["dateLastActivity"]
    assert board["dateLastActivity"] == dates[0]
    return len(moves)


def test_action_dates_are_consistent(board: dict[str, Any]) -> None:
    assert _assert_action_dates_consistent(board) > 0


def test_actions_are_capped_newest_first_and_keep_a_former_member() -> None:
    full = build_export(cards=150, seed=4, closed_lists=1)
    capped = build_export(cards=150, seed=4, closed_lists=1, actions_limit=50)
    assert len(full["actions"]) <= 1000
    assert len(capped["actions"]) == 50
    assert capped["actions"] == full["actions"][:50]
    assert capped["cards"] == full["cards"]
    members = {m["id"] for m in capped["members"]}
    former = [
        a
        for a in capped["actions"]
        if a["type"] == "commentCard" and a["idMemberCreator"] not in members
    ]
    assert former
    assert former[0]["memberCreator"]["fullName"]
    assert build_export(cards=5, actions_limit=0)["actions"] == []


def test_text_is_multilingual(board: dict[str, Any]) -> None:
    dumped = json.dumps(board, ensure_ascii=False)
    for sample in ("\u200d", "🇯🇵", "ё", "中文", "日本語", "```", "## "):
        assert sample in dumped
    english = build_export(cards=20, text="en")
    assert english["lists"]
    assert not re.search("[а-яё]", english["cards"][0]["name"])
    with pytest.raises(ValueError, match="text"):
        build_export(text="de")


def test_write_export_is_utf8_json(tmp_path: Path) -> None:
    path = write_export(tmp_path / "board.json", cards=10, seed=6)
    raw = path.read_bytes()
    assert "Бэклог".encode() in raw  # ensure_ascii off
    assert json.loads(raw) == build_export(cards=10, seed=6)


def test_big_export_is_valid_json_of_about_the_target_size(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    target = 2_000_000
    count = write_big_export(path, target_bytes=target, seed=2)
    size = path.stat().st_size
    assert 0.8 * target <= size <= 1.2 * target
    export = json.loads(path.read_text(encoding="utf-8"))
    assert list(export) == [*BOARD_KEYS, *ARRAY_KEYS]
    assert len(export["cards"]) == count
    assert 0 < len(export["actions"]) <= 1000
    _assert_references_resolve(export)
    ids = list(_ids(export))
    assert len(ids) == len(set(ids))


def test_fixtures() -> None:
    minimal = json.loads((DATA / "minimal_board.json").read_text(encoding="utf-8"))
    assert list(minimal) == [*BOARD_KEYS, *ARRAY_KEYS]
    assert minimal["cards"] == minimal["lists"] == minimal["labels"] == []
    assert [a["type"] for a in minimal["actions"]] == ["createBoard"]

    legacy = json.loads((DATA / "legacy_board.json").read_text(encoding="utf-8"))
    assert "labels" not in legacy
    assert (len(legacy["lists"]), len(legacy["cards"])) == (3, 6)
    assert any(card["labels"] for card in legacy["cards"])
    _assert_references_resolve(legacy)

    other = json.loads((DATA / "not_a_board.json").read_text(encoding="utf-8"))
    assert "cards" not in other
    assert "actions" not in other

    with pytest.raises(json.JSONDecodeError):
        json.loads((DATA / "malformed.json").read_text(encoding="utf-8"))
