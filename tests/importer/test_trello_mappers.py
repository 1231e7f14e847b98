"""Each mapper of a Trello export on its own, on hand-made records (no file, no database)."""

import datetime as dt

from src.board.schemas.board_snapshot import ColumnSnapshot, MoveSnapshot
from src.importer.trello_format.action_mapper import map_actions
from src.importer.trello_format.attachment_mapper import map_attachments
from src.importer.trello_format.card_mapper import CardContext, map_card, map_cards
from src.importer.trello_format.checklist_mapper import map_checklists
from src.importer.trello_format.label_mapper import card_label_keys, map_labels
from src.importer.trello_format.list_mapper import map_lists
from src.importer.trello_format.mapping_report import MAX_LISTED, MappingReport
from src.importer.trello_format.member_mapper import member_refs, mention_handles
from src.importer.trello_format.trello_records import (
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

T0 = dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
ANNA = TrelloMember(id="m-anna", username="anna", full_name="Анна Сидорова")
GONE = TrelloMember(id="m-gone", username="gone", full_name="Ушедший Участник")


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def board(**fields: object) -> TrelloBoard:
    values: dict[str, object] = {"id": "b1", "name": "Доска", "desc": "", "label_names": {}}
    values.update(fields)
    return TrelloBoard(**values)  # type: ignore[arg-type]


def card(card_id: str, list_id: str, **fields: object) -> TrelloCard:
    values: dict[str, object] = {
        "id": card_id,
        "list_id": list_id,
        "name": card_id,
        "desc": "",
        "closed": False,
        "pos": 1.0,
        "index": 0,
        "start": None,
        "due": None,
        "due_complete": False,
        "label_ids": [],
        "inline_labels": [],
        "member_ids": [],
        "attachments": [],
        "last_activity": None,
    }
    values.update(fields)
    return TrelloCard(**values)  # type: ignore[arg-type]


def action(kind: str, hours: float, **fields: object) -> TrelloAction:
    values: dict[str, object] = dict.fromkeys(
        (
            "card_id",
            "list_id",
            "list_before",
            "list_after",
            "text",
            "edited_at",
            "comment_id",
            "closed",
            "due_complete",
            "check_item_id",
            "check_item_complete",
        )
    )
    values.update(id=f"a{hours}", type=kind, date=at(hours), creator=ANNA)
    values.update(fields)
    return TrelloAction(**values)  # type: ignore[arg-type]


# --- lists -----------------------------------------------------------------------------------


def test_lists_become_columns_in_pos_order_with_kinds_and_archive_times() -> None:
    lists = [
        TrelloList(id="l-done", name="Готово", closed=False, pos=3, index=0),
        TrelloList(id="l-todo", name="Planned", closed=False, pos=1, index=1),
        TrelloList(id="l-misc", name="Misc", closed=True, pos=2, index=2),
        TrelloList(id="l-old", name="Old", closed=True, pos=4, index=3),
    ]
    report = MappingReport()
    columns = map_lists(board(lists=lists), {"MISC": "review"}, {"l-misc": at(5)}, NOW, report)
    assert [(c.key, c.kind, c.archived_at) for c in columns] == [
        ("l-todo", "todo", None),
        ("l-misc", "review", at(5)),
        ("l-done", "done", None),
        ("l-old", "todo", NOW),  # no action tells when: the import's time
    ]
    assert [(c["name"], c["kind_from"]) for c in report.columns] == [
        ("Planned", "name"),
        ("Misc", "column_kinds"),
        ("Готово", "name"),
        ("Old", "default"),
    ]
    assert "«Old» → todo (no name matched)" in report.warnings[0]


# --- labels ----------------------------------------------------------------------------------


def test_labels_of_an_older_export_come_from_the_cards_and_label_names() -> None:
    inline = TrelloLabel(id="lb1", name="", color="green_dark")
    older = board(
        cards=[card("c1", "l1", inline_labels=[inline], label_ids=["lb1", "lb-gone"])],
        label_names={"red": "Срочно", "weird": "Непонятный"},
    )
    report = MappingReport()
    labels = map_labels(older, report)
    assert [(k, v.name, v.color) for k, v in labels.items()] == [
        ("lb1", "green_dark", "green"),
        ("color:red", "Срочно", "red"),
    ]
    assert "older export" in report.warnings[0]
    assert card_label_keys(older.cards[0], labels, report) == ["lb1"]
    assert report.counts["skipped_card_label"] == 1


# --- members ---------------------------------------------------------------------------------


def test_members_and_the_authors_who_left_are_the_people_to_match() -> None:
    exported = board(members=[ANNA], actions=[action("commentCard", 1, creator=GONE)])
    members, former = member_refs(exported)
    assert [m.key for m in members] == ["m-anna"]
    assert [(f.key, f.username) for f in former] == [("m-gone", "gone")]
    assert mention_handles(exported, {"m-anna": 7}) == {"anna": 7}


# --- actions ---------------------------------------------------------------------------------


def test_actions_tell_each_cards_past() -> None:
    actions = [
        action("createCard", 0, card_id="c1", list_id="l1"),
        action("updateCard", 1, card_id="c1", list_before="l1", list_after="l2"),
        action("updateCard", 2, card_id="c1", closed=True),
        action("updateCard", 3, card_id="c1", closed=False),  # restored: not archived
        action("updateCard", 4, card_id="c1", due_complete=True),
        action(
            "updateCheckItemStateOnCard",
            5,
            card_id="c1",
            check_item_id="i1",
            check_item_complete=True,
        ),
        action("updateList", 6, list_id="l3", closed=True),
        action("commentCard", 7, card_id="c1", text="Готово", edited_at=at(8)),
        action("commentCard", 9, card_id="c1", text="От ушедшего", creator=GONE),
        action("commentCard", 10, card_id=None, text="Ничья"),
        action("commentCard", 11, card_id="c1", text=None),
    ]
    report = MappingReport()
    past = map_actions(board(actions=actions), {"m-anna": 7}, report)

    assert past.created["c1"] == (at(0), 7)
    assert past.history["c1"] == [
        MoveSnapshot(at(0), "l1", None, 7),
        MoveSnapshot(at(1), "l2", "l1", 7),
    ]
    assert "c1" not in past.archived
    assert past.due_completed == {"c1": at(4)}
    assert past.checked == {"i1": at(5)}
    assert past.list_archived == {"l3": at(6)}
    comments = past.comments["c1"]
    assert [(c.body, c.author_id, c.author_name, c.edited_at) for c in comments] == [
        ("Готово", 7, None, at(8)),
        ("От ушедшего", None, "Ушедший Участник", None),
    ]
    assert report.counts["skipped_comment"] == 2
    assert report.counts["former_members"] == 1


# --- checklists and attachments ----------------------------------------------------------------


def test_checklists_of_no_card_are_left_out_with_their_items_counted() -> None:
    items = [
        TrelloCheckItem(id="i2", name="Два", pos=2, complete=False, due=None),
        TrelloCheckItem(id="i1", name="Раз", pos=1, complete=True, due=None),
    ]
    exported = board(
        cards=[card("c1", "l1")],
        checklists=[
            TrelloChecklist(id="k1", card_id="c1", name="", pos=1, items=items),
            TrelloChecklist(id="k2", card_id=None, name="Без карточки", pos=2, items=items),
            TrelloChecklist(id="k3", card_id="c-gone", name="Чужая", pos=3, items=items[:1]),
        ],
    )
    report = MappingReport()
    checklists = map_checklists(exported, {"i1": at(3)}, report)
    [kept] = checklists["c1"]
    assert kept.title == "Checklist"
    assert [(i.text, i.is_done, i.done_at) for i in kept.items] == [
        ("Раз", True, at(3)),
        ("Два", False, None),
    ]
    assert report.counts["skipped_checklist"] == 2
    assert report.counts["skipped_checklist_item"] == 3


def test_attachments_without_a_web_address_are_left_out() -> None:
    with_files = card(
        "c1",
        "l1",
        attachments=[
            TrelloAttachment(
                name="Макет", url="https://example.com/a", date=None, member_id="m-anna"
            ),
            TrelloAttachment(name="Файл", url="file:///c:/x", date=at(1), member_id=None),
        ],
    )
    report = MappingReport()
    links = map_attachments(with_files, at(0), {"m-anna": 7}, report)
    assert [(x.url, x.title, x.at, x.added_by_id) for x in links] == [
        ("https://example.com/a", "Макет", at(0), 7)
    ]
    assert report.counts["skipped_attachment"] == 1


# --- cards -----------------------------------------------------------------------------------


def _context(columns: list[ColumnSnapshot], **fields: object) -> CardContext:
    past = map_actions(board(), {}, MappingReport())
    values: dict[str, object] = {
        "columns": {c.key: c for c in columns},
        "labels": {},
        "people": {},
        "past": past,
        "checklists": {},
        "now": NOW,
    }
    values.update(fields)
    return CardContext(**values)  # type: ignore[arg-type]


def test_a_card_takes_its_dates_from_its_column_and_the_export() -> None:
    archived = ColumnSnapshot(key="l-old", name="Old", kind="todo", archived_at=at(9))
    done = ColumnSnapshot(key="l-done", name="Done", kind="done")
    context = _context([archived, done])
    report = MappingReport()

    in_old = map_card(card("5e0000010000000000000000", "l-old"), context, report)
    assert in_old.archived_at == at(9)
    assert in_old.created_at == dt.datetime.fromtimestamp(0x5E000001, tz=dt.UTC)
    assert report.counts["cards_archived_with_their_list"] == 1

    finished = card("c2", "l-done", due=at(1), due_complete=True, last_activity=at(2), closed=False)
    mapped = map_card(finished, context, report)
    assert mapped.due_completed_at == at(2)  # no action tells when: the last activity
    assert mapped.completed_at == at(2)  # done before the export's history began
    assert report.counts["due_complete"] == 1


def test_the_report_lists_some_left_out_objects_but_counts_them_all() -> None:
    many = [card(f"c{i}", "l-gone", index=i) for i in range(MAX_LISTED + 50)]
    report = MappingReport()
    assert map_cards(board(cards=many), [], _context([]), report) == []
    assert report.counts["skipped_card"] == MAX_LISTED + 50
    assert len(report.skipped) == MAX_LISTED
