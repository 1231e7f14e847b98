"""Small hand-made Trello board exports for tests where the exact answer matters.

`TrelloExport` builds one board object by object and writes it with the keys a real
export carries (`idBoard`, `nodeId`, `badges`, `limits`, `prefs`, `memberCreator`…), not
only the ones the importer reads. Ids are Mongo ObjectIds like Trello's: the first
8 hex digits are the creation second. Actions come out newest first, as Trello writes
them. Bulk data comes from `bench.trello_export.build_export` instead.
"""

import datetime as dt
import itertools
import json
from typing import Any

JSON = dict[str, Any]

EPOCH = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)
# The ObjectId's middle part differs per export, so two exports never share an id.
_EXPORTS = itertools.count(1)


def iso(at: dt.datetime) -> str:
    """Trello's time format: milliseconds and a `Z`."""
    at = at.astimezone(dt.UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _limit(disable_at: int) -> JSON:
    return {"status": "ok", "disableAt": disable_at, "warnAt": disable_at * 4 // 5}


class TrelloExport:
    """One board; each method adds an object and returns its dict (edit it freely)."""

    def __init__(
        self,
        name: str = "Стажировка — доска команды",
        *,
        desc: str = "",
        created: dt.datetime = EPOCH,
    ) -> None:
        self._counter = 0
        self._machine = f"5c1e{next(_EXPORTS):06x}"
        self._clock = created
        self.created = created
        self.org_id = self.new_id(created - dt.timedelta(days=400))
        self.id = self.new_id(created)
        self.short_link = "bRd" + self.id[-5:]
        self.board: JSON = {
            "id": self.id,
            "nodeId": f"ari:cloud:trello::board/workspace/{self.org_id}/{self.id}",
            "name": name,
            "desc": desc,
            "descData": {"emoji": {}},
            "closed": False,
            "dateClosed": None,
            "idOrganization": self.org_id,
            "idEnterprise": None,
            "limits": {
                "attachments": {"perBoard": _limit(36000), "perCard": _limit(1000)},
                "cards": {"openPerBoard": _limit(5000), "totalPerBoard": _limit(2000000)},
                "labels": {"perBoard": _limit(1000)},
                "lists": {"openPerBoard": _limit(500), "totalPerBoard": _limit(3000)},
            },
            "pinned": False,
            "starred": False,
            "url": f"https://trello.com/b/{self.short_link}/board",
            "prefs": {
                "permissionLevel": "org",
                "hideVotes": False,
                "voting": "disabled",
                "comments": "members",
                "background": "blue",
                "backgroundColor": "#0079BF",
                "cardAging": "regular",
                "calendarFeedEnabled": False,
                "switcherViews": [{"viewType": "Board", "enabled": True}],
            },
            "shortLink": self.short_link,
            "subscribed": False,
            "labelNames": {colour: "" for colour in ("green", "yellow", "orange", "red")},
            "powerUps": [],
            "dateLastActivity": iso(created),
            "dateLastView": iso(created),
            "shortUrl": f"https://trello.com/b/{self.short_link}",
            "idTags": [],
            "datePluginDisable": None,
            "creationMethod": None,
            "ixUpdate": "812",
            "templateGallery": None,
            "enterpriseOwned": False,
            "idBoardSource": None,
            "premiumFeatures": ["additionalBoardBackgrounds", "customEmoji"],
            "idMemberCreator": None,
            "type": "board",
        }
        self.actions: list[JSON] = []
        self.cards: list[JSON] = []
        self.labels: list[JSON] = []
        self.lists: list[JSON] = []
        self.members: list[JSON] = []
        self.checklists: list[JSON] = []
        self.custom_fields: list[JSON] = []
        self.memberships: list[JSON] = []

    # --- ids ------------------------------------------------------------------------

    def new_id(self, at: dt.datetime | None = None) -> str:
        self._counter += 1
        if at is None:
            self._clock += dt.timedelta(minutes=1)
            at = self._clock
        return f"{int(at.timestamp()):08x}{self._machine}{self._counter:06x}"

    # --- board-level objects --------------------------------------------------------

    def member(self, username: str, full_name: str) -> JSON:
        member_id = self.new_id(self.created - dt.timedelta(days=900))
        member = {
            "id": member_id,
            "activityBlocked": False,
            "avatarHash": None,
            "avatarUrl": None,
            "bio": "",
            "bioData": None,
            "confirmed": True,
            "fullName": full_name,
            "idEnterprise": None,
            "idEnterprisesDeactivated": [],
            "idMemberReferrer": None,
            "idPremOrgsAdmin": [],
            "initials": "".join(part[:1] for part in full_name.split()[:2]).upper(),
            "memberType": "normal",
            "nonPublic": {},
            "nonPublicAvailable": True,
            "products": [],
            "url": f"https://trello.com/{username}",
            "username": username,
            "status": "disconnected",
        }
        self.members.append(member)
        self.memberships.append(
            {
                "id": self.new_id(),
                "idMember": member_id,
                "memberType": "admin" if len(self.members) == 1 else "normal",
                "unconfirmed": False,
                "deactivated": False,
            }
        )
        if self.board["idMemberCreator"] is None:
            self.board["idMemberCreator"] = member_id
        return member

    def former_member(self, username: str, full_name: str) -> JSON:
        """Someone who left the board: named in actions only (not in `members`)."""
        return {
            "id": self.new_id(self.created - dt.timedelta(days=800)),
            "fullName": full_name,
            "username": username,
            "initials": full_name[:1],
        }

    def label(self, name: str, color: str | None) -> JSON:
        label_id = self.new_id()
        label = {
            "id": label_id,
            "idBoard": self.id,
            "idOrganization": self.org_id,
            "nodeId": f"ari:cloud:trello::label/workspace/{self.org_id}/{label_id}",
            "name": name,
            "color": color,
            "uses": 0,
        }
        self.labels.append(label)
        return label

    def add_list(self, name: str, pos: float, *, closed: bool = False) -> JSON:
        list_id = self.new_id()
        item = {
            "id": list_id,
            "name": name,
            "closed": closed,
            "color": None,
            "idBoard": self.id,
            "pos": pos,
            "subscribed": False,
            "softLimit": None,
            "type": None,
            "datasource": {"filter": False},
            "creationMethod": None,
            "idOrganization": self.org_id,
            "limits": {"cards": {"openPerList": _limit(5000), "totalPerList": _limit(1000000)}},
            "nodeId": f"ari:cloud:trello::list/workspace/{self.org_id}/{list_id}",
        }
        self.lists.append(item)
        return item

    # --- cards ----------------------------------------------------------------------

    def card(
        self,
        lst: JSON,
        name: str,
        pos: float,
        *,
        desc: str = "",
        closed: bool = False,
        start: str | None = None,
        due: str | None = None,
        due_complete: bool = False,
        labels: tuple[JSON, ...] = (),
        members: tuple[JSON, ...] = (),
        created: dt.datetime | None = None,
        last_activity: dt.datetime | None = None,
    ) -> JSON:
        card_id = self.new_id(created)
        short_link = "c" + card_id[-7:]
        number = len(self.cards) + 1
        card = {
            "id": card_id,
            "address": None,
            "badges": {
                "attachmentsByType": {"trello": {"board": 0, "card": 0}},
                "externalSource": None,
                "location": False,
                "votes": 0,
                "viewingMemberVoted": False,
                "subscribed": False,
                "fogbugz": "",
                "checkItems": 0,
                "checkItemsChecked": 0,
                "checkItemsEarliestDue": None,
                "comments": 0,
                "attachments": 0,
                "description": bool(desc),
                "due": due,
                "dueComplete": due_complete,
                "start": start,
            },
            "checkItemStates": [],
            "closed": closed,
            "coordinates": None,
            "creationMethod": None,
            "dueComplete": due_complete,
            "dateLastActivity": iso(last_activity or self.created + dt.timedelta(days=30)),
            "desc": desc,
            "descData": {"emoji": {}},
            "due": due,
            "dueReminder": None,
            "email": None,
            "idBoard": self.id,
            "idChecklists": [],
            "idLabels": [label["id"] for label in labels],
            "idList": lst["id"],
            "idMembers": [member["id"] for member in members],
            "idMembersVoted": [],
            "idShort": number,
            "idAttachmentCover": None,
            "labels": [dict(label) for label in labels],
            "limits": {
                "attachments": {"perCard": _limit(1000)},
                "checklists": {"perCard": _limit(500)},
                "stickers": {"perCard": _limit(70)},
            },
            "locationName": None,
            "manualCoverAttachment": False,
            "name": name,
            "nodeId": f"ari:cloud:trello::card/workspace/{self.org_id}/{card_id}",
            "pinned": False,
            "pos": pos,
            "shortLink": short_link,
            "shortUrl": f"https://trello.com/c/{short_link}",
            "start": start,
            "subscribed": False,
            "url": f"https://trello.com/c/{short_link}/{number}-card",
            "cover": {
                "idAttachment": None,
                "color": None,
                "idUploadedBackground": None,
                "size": "normal",
                "brightness": "dark",
                "idPlugin": None,
            },
            "isTemplate": False,
            "cardRole": None,
            "mirrorSourceId": None,
            "attachments": [],
            "pluginData": [],
            "customFieldItems": [],
        }
        for label in labels:
            label["uses"] += 1
        self.cards.append(card)
        return card

    def attachment(
        self, card: JSON, name: str, url: str, at: dt.datetime, member: JSON | None = None
    ) -> JSON:
        attachment_id = self.new_id(at)
        attachment: JSON = {
            "id": attachment_id,
            "bytes": None,
            "date": iso(at),
            "edgeColor": None,
            "idMember": member["id"] if member else None,
            "isMalicious": False,
            "isUpload": False,
            "mimeType": "",
            "name": name,
            "previews": [],
            "url": url,
            "pos": 16384 * (len(card["attachments"]) + 1),
            "fileName": None,
        }
        card["attachments"].append(attachment)
        card["badges"]["attachments"] += 1
        return attachment

    def checklist(
        self, card: JSON, name: str, pos: float, items: list[tuple[str, float, bool]]
    ) -> JSON:
        checklist_id = self.new_id()
        checklist = {
            "id": checklist_id,
            "name": name,
            "idBoard": self.id,
            "idCard": card["id"],
            "pos": pos,
            "limits": {"checkItems": {"perChecklist": _limit(200)}},
            "checkItems": [
                {
                    "id": self.new_id(),
                    "idChecklist": checklist_id,
                    "name": text,
                    "nameData": {"emoji": {}},
                    "pos": item_pos,
                    "state": "complete" if done else "incomplete",
                    "due": None,
                    "dueReminder": None,
                    "idMember": None,
                    "type": None,
                }
                for text, item_pos, done in items
            ],
        }
        card["idChecklists"].append(checklist_id)
        card["badges"]["checkItems"] += len(items)
        card["badges"]["checkItemsChecked"] += sum(1 for *_, done in items if done)
        self.checklists.append(checklist)
        return checklist

    # --- actions --------------------------------------------------------------------

    def _board_ref(self) -> JSON:
        return {"id": self.id, "name": self.board["name"], "shortLink": self.short_link}

    @staticmethod
    def _card_ref(card: JSON) -> JSON:
        return {
            "id": card["id"],
            "name": card["name"],
            "idShort": card["idShort"],
            "shortLink": card["shortLink"],
        }

    def action(self, kind: str, at: dt.datetime, creator: JSON, data: JSON) -> JSON:
        action = {
            "id": self.new_id(at),
            "idMemberCreator": creator["id"],
            "data": {**data, "board": self._board_ref()},
            "appCreator": None,
            "type": kind,
            "date": iso(at),
            "limits": {},
            "memberCreator": {
                "id": creator["id"],
                "activityBlocked": False,
                "avatarHash": None,
                "avatarUrl": None,
                "fullName": creator["fullName"],
                "idMemberReferrer": None,
                "initials": creator.get("initials", ""),
                "nonPublic": {},
                "nonPublicAvailable": True,
                "username": creator["username"],
            },
        }
        self.actions.append(action)
        return action

    def create_card(self, card: JSON, lst: JSON, at: dt.datetime, creator: JSON) -> JSON:
        return self.action(
            "createCard",
            at,
            creator,
            {"card": self._card_ref(card), "list": {"id": lst["id"], "name": lst["name"]}},
        )

    def move_card(
        self, card: JSON, source: JSON, target: JSON, at: dt.datetime, creator: JSON
    ) -> JSON:
        return self.action(
            "updateCard",
            at,
            creator,
            {
                "card": {**self._card_ref(card), "idList": target["id"]},
                "old": {"idList": source["id"]},
                "listBefore": {"id": source["id"], "name": source["name"]},
                "listAfter": {"id": target["id"], "name": target["name"]},
            },
        )

    def archive_card(
        self, card: JSON, at: dt.datetime, creator: JSON, *, closed: bool = True
    ) -> JSON:
        lst = next(x for x in self.lists if x["id"] == card["idList"])
        return self.action(
            "updateCard",
            at,
            creator,
            {
                "card": {**self._card_ref(card), "closed": closed},
                "old": {"closed": not closed},
                "list": {"id": lst["id"], "name": lst["name"]},
            },
        )

    def archive_list(self, lst: JSON, at: dt.datetime, creator: JSON) -> JSON:
        lst["closed"] = True
        return self.action(
            "updateList",
            at,
            creator,
            {
                "list": {"id": lst["id"], "name": lst["name"], "closed": True},
                "old": {"closed": False},
            },
        )

    def complete_due(
        self, card: JSON, at: dt.datetime, creator: JSON, *, complete: bool = True
    ) -> JSON:
        card["dueComplete"] = card["badges"]["dueComplete"] = complete
        return self.action(
            "updateCard",
            at,
            creator,
            {
                "card": {**self._card_ref(card), "dueComplete": complete},
                "old": {"dueComplete": not complete},
            },
        )

    def edit_comment(self, comment: JSON, text: str, at: dt.datetime) -> JSON:
        """Trello keeps the comment's action with the new text and its edit time, and
        logs the edit as an `updateComment` action."""
        old = comment["data"]["text"]
        comment["data"]["text"] = text
        comment["data"]["dateLastEdited"] = iso(at)
        creator = {**comment["memberCreator"]}
        return self.action(
            "updateComment",
            at,
            creator,
            {
                "action": {"id": comment["id"], "text": text},
                "old": {"text": old},
                "card": comment["data"]["card"],
            },
        )

    def comment(self, card: JSON, text: str, at: dt.datetime, creator: JSON) -> JSON:
        lst = next(x for x in self.lists if x["id"] == card["idList"])
        card["badges"]["comments"] += 1
        return self.action(
            "commentCard",
            at,
            creator,
            {
                "text": text,
                "textData": {"emoji": {}},
                "card": self._card_ref(card),
                "list": {"id": lst["id"], "name": lst["name"]},
            },
        )

    def check_item(
        self,
        card: JSON,
        checklist: JSON,
        index: int,
        at: dt.datetime,
        creator: JSON,
        *,
        complete: bool = True,
    ) -> JSON:
        item = checklist["checkItems"][index]
        return self.action(
            "updateCheckItemStateOnCard",
            at,
            creator,
            {
                "card": self._card_ref(card),
                "checklist": {"id": checklist["id"], "name": checklist["name"]},
                "checkItem": {
                    "id": item["id"],
                    "name": item["name"],
                    "state": "complete" if complete else "incomplete",
                    "textData": {"emoji": {}},
                },
            },
        )

    # --- output ---------------------------------------------------------------------

    def to_dict(self) -> JSON:
        export = dict(self.board)
        export["actions"] = sorted(self.actions, key=lambda a: a["date"], reverse=True)
        export["cards"] = self.cards
        export["labels"] = self.labels
        export["lists"] = self.lists
        export["members"] = self.members
        export["checklists"] = self.checklists
        export["customFields"] = self.custom_fields
        export["memberships"] = self.memberships
        export["pluginData"] = []
        return export

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
