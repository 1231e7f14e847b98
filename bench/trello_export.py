"""Deterministic Trello board exports ("Menu → Print, export and share → Export as JSON").

Test data and benchmark input for the Trello importer. The output carries every key a real
export carries (not only what an importer reads), in Trello's key order, with the traps of
real exports: arrays not in `pos` order, archived lists that still hold open cards, labels
without a name or without a colour, comments by people who have left the board, actions
newest first and cut at `actions_limit`, Markdown with Cyrillic, Chinese, Japanese and
emoji (ZWJ sequences, flags, skin tones).

    build_export(cards=50)                          -> dict, one board
    write_export(path, cards=5000, closed_lists=1)  -> path (UTF-8, compact like Trello)
    write_big_export(path, target_bytes=100_000_000) -> card count (streamed, bounded memory)
    write_fixtures(directory)                       -> rewrites tests/importer/data/*.json

    uv run python -m bench.trello_export out.json --cards 5000 --closed-lists 1
    uv run python -m bench.trello_export big.json --big-bytes 100000000
    uv run python -m bench.trello_export --fixtures tests/importer/data

Standard library only; the same arguments always give the same bytes. Ids are Mongo
ObjectIds as Trello's are (the first 8 hex digits are the creation time), unique by a
counter: board-level objects use counters below 4096, card `i` the block of 128 from
4096 + 128·i, actions their own machine part.
"""

import argparse
import heapq
import json
import random
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote

JSON = dict[str, Any]

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
BOARD_EPOCH_MS = 1_693_818_000_000  # 2023-09-04T09:00:00Z
POS_STEP = 16384
CARD_ID_BLOCK = 128
CARD_COUNTER_BASE = 4096
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

BASE_COLOURS = (
    "green",
    "yellow",
    "orange",
    "red",
    "purple",
    "blue",
    "sky",
    "lime",
    "pink",
    "black",
)
CLASSIC_COLOURS = BASE_COLOURS[:6]
LABEL_NAME_KEYS = (
    *BASE_COLOURS,
    *(f"{c}_dark" for c in BASE_COLOURS),
    *(f"{c}_light" for c in BASE_COLOURS),
)
BOARD_KEYS = (
    "id",
    "nodeId",
    "name",
    "desc",
    "descData",
    "closed",
    "dateClosed",
    "idOrganization",
    "idEnterprise",
    "limits",
    "pinned",
    "starred",
    "url",
    "prefs",
    "shortLink",
    "subscribed",
    "labelNames",
    "powerUps",
    "dateLastActivity",
    "dateLastView",
    "shortUrl",
    "idTags",
    "datePluginDisable",
    "creationMethod",
    "ixUpdate",
    "templateGallery",
    "enterpriseOwned",
    "idBoardSource",
    "premiumFeatures",
    "idMemberCreator",
    "type",
)
ARRAY_KEYS = (
    "actions",
    "cards",
    "labels",
    "lists",
    "members",
    "checklists",
    "customFields",
    "memberships",
    "pluginData",
)

# ---------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------

FIRST_NAMES_F = (
    ("Анна", "anna"),
    ("Мария", "maria"),
    ("Екатерина", "ekaterina"),
    ("Ольга", "olga"),
    ("Дарья", "darya"),
    ("Ксения", "ksenia"),
    ("Елена", "elena"),
    ("Наталья", "natalya"),
    ("Юлия", "yulia"),
    ("Софья", "sofya"),
)
FIRST_NAMES_M = (
    ("Иван", "ivan"),
    ("Дмитрий", "dmitry"),
    ("Алексей", "alexey"),
    ("Сергей", "sergey"),
    ("Михаил", "mikhail"),
    ("Андрей", "andrey"),
    ("Никита", "nikita"),
    ("Павел", "pavel"),
    ("Артём", "artem"),
    ("Егор", "egor"),
)
SURNAMES = (  # male, female, latin male, latin female
    ("Смирнов", "Смирнова", "smirnov", "smirnova"),
    ("Иванов", "Иванова", "ivanov", "ivanova"),
    ("Кузнецов", "Кузнецова", "kuznetsov", "kuznetsova"),
    ("Попов", "Попова", "popov", "popova"),
    ("Соколов", "Соколова", "sokolov", "sokolova"),
    ("Лебедев", "Лебедева", "lebedev", "lebedeva"),
    ("Козлов", "Козлова", "kozlov", "kozlova"),
    ("Новиков", "Новикова", "novikov", "novikova"),
    ("Морозов", "Морозова", "morozov", "morozova"),
    ("Волков", "Волкова", "volkov", "volkova"),
    ("Соловьёв", "Соловьёва", "solovyov", "solovyova"),
    ("Зайцев", "Зайцева", "zaytsev", "zaytseva"),
    ("Семёнов", "Семёнова", "semyonov", "semyonova"),
    ("Виноградов", "Виноградова", "vinogradov", "vinogradova"),
    ("Воробьёв", "Воробьёва", "vorobyov", "vorobyova"),
    ("Фёдоров", "Фёдорова", "fyodorov", "fyodorova"),
    ("Орлов", "Орлова", "orlov", "orlova"),
    ("Киселёв", "Киселёва", "kiselyov", "kiselyova"),
    ("Белов", "Белова", "belov", "belova"),
    ("Макаров", "Макарова", "makarov", "makarova"),
)

EMOJI = (
    "👩‍💻",
    "🧑🏽‍🚀",
    "👨‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇷🇺",
    "🇯🇵",
    "🇨🇳",
    "🇰🇿",
    "👍🏽",
    "🔥",
    "🐛",
    "🚀",
    "✅",
    "❤️",
    "1️⃣",
    "🤷‍♀️",
    "🧑‍🔬",
)
CJK_SENTENCES = (
    "日本語のテキストも正しく表示されるか確認してください。",
    "中文用户反馈：搜索结果排序不正确。",
    "界面翻译需要再检查一遍 🇨🇳",
    "レビューが終わったらマージします 👍🏽",
    "数据库迁移脚本已经准备好了。",
    "ログイン画面のバグを修正しました。",
)
CODE_BLOCKS = (
    '```python\ndef greet(name: str) -> str:\n    return f"Привет, {name}! 你好 👋"\n```',
    "```sql\nSELECT id, name FROM cards WHERE id_list = $1 ORDER BY pos;\n```",
    '```json\n{"idList": "5f1e0c2a9d1b3c4d5e6f7a8b", "pos": 49152.5}\n```',
    "```bash\nuv run pytest -q tests/importer\n```",
    "```\nTraceback (most recent call last):\n  File \"import.py\", line 42\nKeyError: 'idList'\n```",
)
LINKS = (
    "[Макет в Figma](https://www.figma.com/file/Xq7bQ2mZ/InternHub?node-id=12%3A34)",
    "[FastAPI docs](https://fastapi.tiangolo.com/tutorial/)",
    "[Issue #42](https://github.com/example/internhub/issues/42)",
    "<https://trello.com/b/AbCdEf12/sprint>",
    "[仕様書](https://example.com/spec?lang=ja&v=2)",
)


@dataclass(frozen=True)
class _Texts:
    board_name: str
    board_desc: str
    list_names: tuple[str, ...]
    list_renamed_from: str
    sprint: str
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    title_suffixes: tuple[str, ...]
    template_prefix: str
    headings: tuple[str, ...]
    sentences: tuple[str, ...]
    bullets: tuple[str, ...]
    quotes: tuple[str, ...]
    comments: tuple[str, ...]
    checklist_names: tuple[str, ...]
    check_items: tuple[str, ...]
    labels: tuple[tuple[str | None, str], ...]
    legacy_labels: tuple[tuple[str, str], ...]
    estimate_field: str
    priority_field: str
    priority_options: tuple[tuple[str, str], ...]
    images: tuple[str, ...]
    documents: tuple[str, ...]
    link_names: tuple[str, ...]
    address: str
    location_name: str


RU = _Texts(
    board_name="Стажировка InternHub — весенний поток 🚀",
    board_desc=(
        "Доска команды стажёров весеннего потока.\n\n**Правила:**\n\n"
        "1. Карточку двигает исполнитель.\n2. «Готово» = ревью + тесты ✅\n\n"
        "Совместный проект с командой из Токио 🇯🇵🤝🇷🇺 — 日本チームとの共同プロジェクト"
    ),
    list_names=(
        "Бэклог",
        "К выполнению",
        "В работе",
        "На проверке",
        "Готово",
        "Идеи 💡",
        "Заблокировано ⛔",
        "Вопросы к наставнику",
    ),
    list_renamed_from="Нужно сделать",
    sprint="Спринт",
    verbs=(
        "Исправить",
        "Добавить",
        "Обновить",
        "Проверить",
        "Настроить",
        "Переписать",
        "Оптимизировать",
        "Задокументировать",
        "Согласовать",
        "Протестировать",
        "Перенести",
        "Убрать",
    ),
    objects=(
        "форму входа",
        "экспорт отчётов в CSV",
        "страницу профиля",
        "уведомления по почте",
        "поиск по карточкам",
        "миграцию базы данных",
        "права доступа наставников",
        "загрузку вложений",
        "тёмную тему",
        "API доски",
        "вёрстку на мобильных",
        "импорт из Trello",
        "расписание созвонов",
        "график нагрузки",
        "кэш сессий",
        "сборку Docker-образа",
        "онбординг стажёров",
        "оценки за спринт",
    ),
    title_suffixes=(
        " 🚀",
        " (срочно)",
        " — 登录页面",
        " / ログイン画面",
        " 👩‍💻",
        " 🇷🇺→🇯🇵",
        " v2",
        " 🐛",
        " «по-быстрому»",
    ),
    template_prefix="Шаблон: ",
    headings=(
        "Описание",
        "Шаги воспроизведения",
        "Ожидаемый результат",
        "Критерии готовности",
        "Заметки",
        "Контекст",
        "背景",
        "再現手順",
    ),
    sentences=(
        "Нужно проверить поведение на пустых данных и на очень длинных строках.",
        "После миграции старые карточки должны открываться без ошибок.",
        "Согласовали с наставником: делаем минимальную версию, потом улучшаем.",
        "Ошибка воспроизводится только в Safari на iOS 17.",
        "Пользователь видит «Ничего не найдено», хотя карточка существует.",
        "Добавить тесты на граничные случаи: 0, 1 и 10 000 элементов.",
        "Время ответа API выросло до 800 мс — надо разобраться с индексами.",
        "Текст ошибки должен быть понятен человеку, а не только разработчику.",
        "Макет утверждён, осталось сверстать и подключить к API.",
        "Проверить права: стажёр не должен видеть чужие оценки.",
        "Ёлки-палки, опять съехала вёрстка на узких экранах 😅",
        "Созвон по задаче в четверг в 15:00 (МСК).",
    ),
    bullets=(
        "обновить схему БД",
        "написать миграцию",
        "проверить на стенде",
        "обновить документацию",
        "показать наставнику 👀",
        "закрыть старые тикеты",
        "добавить индекс на `card_id`",
        "убрать `print()` из кода",
        "翻訳を確認する",
        "添加单元测试",
    ),
    quotes=(
        "Лучше меньше, да лучше.",
        "Сначала сделай, чтобы работало, потом — чтобы было красиво.",
        "完成比完美更重要。",
    ),
    comments=(
        "Готово, проверьте, пожалуйста 🙏",
        "Посмотрел — есть пара замечаний:\n\n- поправить отступы\n- добавить тест на пустой список",
        "@{user} можешь глянуть?",
        "Перенёс в «В работе», начинаю 💪",
        "Не воспроизводится у меня 🤷‍♀️",
        "LGTM 👍🏽",
        "Блокер: ждём доступ к стенду.",
        "修好了，请再测试一次。",
        "確認しました。ありがとうございます！",
        "Ссылка на PR: https://github.com/example/internhub/pull/{n}",
        "Лог ошибки:\n\n```\nTraceback (most recent call last):\n  File \"app.py\", line {n}\nKeyError: 'idList'\n```",
        "**Важно:** не забыть обновить _README_ 📚",
        "Созвонились с @{user}, договорились доделать к пятнице 👩‍💻🧑🏽‍🚀",
    ),
    checklist_names=(
        "Чек-лист",
        "Критерии готовности",
        "Перед релизом",
        "Тестирование",
        "チェックリスト",
    ),
    check_items=(
        "Написать тесты",
        "Код-ревью",
        "Обновить README",
        "Проверить на мобильном 📱",
        "Согласовать с дизайнером",
        "Задеплоить на стенд",
        "テストを書く",
        "修复 bug",
        "Проверить логи 🪵",
        "Показать на демо",
    ),
    labels=(
        ("green", "Фронтенд"),
        ("yellow", ""),
        ("orange", "Бэкенд"),
        ("red", "Срочно 🔥"),
        ("purple", ""),
        ("blue", "Документация"),
        ("sky", "设计"),
        ("lime", "Тесты"),
        ("pink", "レビュー"),
        ("black", ""),
        ("red_dark", "Блокер"),
        ("green_light", ""),
        (None, "Идея 💡"),
    ),
    legacy_labels=(
        ("green", "Фронтенд"),
        ("yellow", ""),
        ("orange", "Бэкенд"),
        ("red", "Срочно 🔥"),
        ("purple", ""),
        ("blue", "Документация"),
    ),
    estimate_field="Оценка, ч",
    priority_field="Приоритет",
    priority_options=(("Высокий", "red"), ("Средний", "yellow"), ("Низкий", "green")),
    images=(
        "макет_главной.png",
        "скриншот ошибки.png",
        "スクリーンショット 2024-03-01.png",
        "设计稿.jpg",
        "диаграмма.svg",
    ),
    documents=(
        "Техническое задание v2.pdf",
        "отчёт_по_стажировке.docx",
        "данные.xlsx",
        "logs.txt",
        "README.md",
    ),
    link_names=("Google Doc: план спринта", "PR на GitHub", "Запись созвона"),
    address="Москва, ул. Льва Толстого, 16",
    location_name="Офис 🏢",
)

EN = _Texts(
    board_name="InternHub internship — spring cohort 🚀",
    board_desc=(
        "Board of the spring intern cohort.\n\n**Rules:**\n\n"
        "1. The assignee moves the card.\n2. Done = review + tests ✅\n\n"
        "Joint project with the Tokyo team 🇯🇵 — 日本チームとの共同プロジェクト"
    ),
    list_names=(
        "Backlog",
        "To Do",
        "Doing",
        "Review",
        "Done",
        "Ideas 💡",
        "Blocked ⛔",
        "Questions for the mentor",
    ),
    list_renamed_from="Things to do",
    sprint="Sprint",
    verbs=("Fix", "Add", "Update", "Check", "Configure", "Rewrite", "Optimise", "Document"),
    objects=(
        "the login form",
        "CSV report export",
        "the profile page",
        "e-mail notifications",
        "card search",
        "the database migration",
        "mentor permissions",
        "attachment upload",
        "the dark theme",
        "the board API",
        "the Trello import",
        "the workload chart",
    ),
    title_suffixes=(" 🚀", " (urgent)", " — 登录页面", " / ログイン画面", " 👩‍💻", " v2", " 🐛"),
    template_prefix="Template: ",
    headings=("Description", "Steps to reproduce", "Expected", "Definition of done", "背景"),
    sentences=(
        "Check the behaviour on empty data and on very long strings.",
        "Old cards must open without errors after the migration.",
        "Agreed with the mentor: minimal version first, polish later.",
        "Only reproducible in Safari on iOS 17.",
        "The user sees “Nothing found” although the card exists.",
        "API latency grew to 800 ms — look at the indexes.",
        "The call is on Thursday at 15:00 (UTC+3).",
    ),
    bullets=(
        "update the schema",
        "write the migration",
        "check on staging",
        "update the docs",
        "show the mentor 👀",
        "add an index on `card_id`",
        "翻訳を確認する",
    ),
    quotes=("Make it work, make it right, make it fast.", "完成比完美更重要。"),
    comments=(
        "Done, please have a look 🙏",
        "A couple of remarks:\n\n- fix the indentation\n- add a test for the empty list",
        "@{user} could you take a look?",
        "LGTM 👍🏽",
        "Cannot reproduce 🤷‍♀️",
        "修好了，请再测试一次。",
        "確認しました。ありがとうございます！",
        "PR: https://github.com/example/internhub/pull/{n}",
    ),
    checklist_names=("Checklist", "Definition of done", "Before release", "チェックリスト"),
    check_items=(
        "Write tests",
        "Code review",
        "Update README",
        "Check on mobile 📱",
        "Deploy to staging",
        "テストを書く",
        "修复 bug",
    ),
    labels=(
        ("green", "Frontend"),
        ("yellow", ""),
        ("orange", "Backend"),
        ("red", "Urgent 🔥"),
        ("purple", ""),
        ("blue", "Docs"),
        ("sky", "设计"),
        ("lime", "Tests"),
        ("pink", "レビュー"),
        ("black", ""),
        ("red_dark", "Blocker"),
        ("green_light", ""),
        (None, "Idea 💡"),
    ),
    legacy_labels=(
        ("green", "Frontend"),
        ("yellow", ""),
        ("orange", "Backend"),
        ("red", "Urgent 🔥"),
        ("purple", ""),
        ("blue", "Docs"),
    ),
    estimate_field="Estimate, h",
    priority_field="Priority",
    priority_options=(("High", "red"), ("Medium", "yellow"), ("Low", "green")),
    images=("homepage_mockup.png", "error screenshot.png", "スクリーンショット.png", "设计稿.jpg"),
    documents=("Specification v2.pdf", "report.docx", "data.xlsx", "logs.txt"),
    link_names=("Google Doc: sprint plan", "GitHub PR", "Call recording"),
    address="1 Infinite Loop, Cupertino, CA",
    location_name="Office 🏢",
)
TEXTS = {"ru": RU, "en": EN}

MIME = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain",
    "md": "text/markdown",
}


# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------


def _iso(ms: int) -> str:
    """ISO 8601 in UTC with milliseconds and `Z`, as Trello writes dates."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


def _num(value: float) -> float | int:
    """JavaScript numbers: 16384 stays an integer in the JSON, 49152.5 a float."""
    return int(value) if value.is_integer() else value


def _limit(disable_at: int, warn_at: int) -> JSON:
    return {"status": "ok", "disableAt": disable_at, "warnAt": warn_at}


def _slug(name: str) -> str:
    """Trello's URL slug keeps ASCII letters and digits only (Cyrillic titles give '12-')."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _shuffle_out_of_order[T](rng: random.Random, items: list[T], key: Callable[[T], Any]) -> None:
    """Shuffle in place; never leave a list of two or more in key order."""
    rng.shuffle(items)
    if len(items) >= 2 and all(key(a) <= key(b) for a, b in pairwise(items)):
        items[0], items[1] = items[1], items[0]


def _board_limits() -> JSON:
    return {
        "attachments": {"perBoard": _limit(36000, 28800), "perCard": _limit(1000, 800)},
        "boards": {
            "totalMembersPerBoard": _limit(1600, 1280),
            "totalAccessRequestsPerBoard": _limit(4000, 3200),
        },
        "cards": {
            "openPerBoard": _limit(5000, 4000),
            "openPerList": _limit(5000, 4000),
            "totalPerBoard": _limit(2000000, 1600000),
            "totalPerList": _limit(1000000, 800000),
        },
        "checklists": {"perBoard": _limit(1800000, 1440000), "perCard": _limit(500, 400)},
        "checkItems": {"perChecklist": _limit(200, 160)},
        "customFields": {"perBoard": _limit(50, 40)},
        "customFieldOptions": {"perField": _limit(50, 40)},
        "labels": {"perBoard": _limit(1000, 800)},
        "lists": {"openPerBoard": _limit(500, 400), "totalPerBoard": _limit(3000, 2400)},
        "stickers": {"perCard": _limit(70, 56)},
        "reactions": {"perAction": _limit(900, 720), "uniquePerAction": _limit(17, 14)},
    }


def _card_limits() -> JSON:
    return {
        "attachments": {"perCard": _limit(1000, 800)},
        "checklists": {"perCard": _limit(500, 400)},
        "stickers": {"perCard": _limit(70, 56)},
    }


def _prefs(rng: random.Random) -> JSON:
    background, colour = rng.choice(
        [("blue", "#0079BF"), ("green", "#519839"), ("purple", "#89609E"), ("sky", "#00AECC")]
    )
    return {
        "permissionLevel": "org",
        "hideVotes": False,
        "voting": "members",
        "comments": "members",
        "invitations": "members",
        "selfJoin": True,
        "cardCovers": True,
        "showCompleteStatus": True,
        "cardCounts": False,
        "isTemplate": False,
        "cardAging": "regular",
        "calendarFeedEnabled": False,
        "hiddenPluginBoardButtons": [],
        "switcherViews": [
            {"viewType": "Board", "enabled": True},
            {"viewType": "Table", "enabled": True},
            {"viewType": "Calendar", "enabled": False},
            {"viewType": "Dashboard", "enabled": False},
            {"viewType": "Timeline", "enabled": False},
            {"viewType": "Map", "enabled": False},
        ],
        "autoArchive": None,
        "background": background,
        "backgroundColor": colour,
        "backgroundDarkColor": None,
        "backgroundImage": None,
        "backgroundDarkImage": None,
        "backgroundImageScaled": None,
        "backgroundTile": False,
        "backgroundBrightness": "dark",
        "sharedSourceUrl": None,
        "backgroundBottomColor": colour,
        "backgroundTopColor": colour,
        "canBePublic": True,
        "canBeEnterprise": True,
        "canBeOrg": True,
        "canBePrivate": True,
        "canInvite": True,
    }


# An action not yet turned into JSON: time, kind, index of its author in `people`, payload.
_Event = tuple[int, str, int, JSON]


@dataclass
class _CardBundle:
    card: JSON
    checklists: list[JSON]
    events: list[_Event]


# ---------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------


class _Board:
    """Board-level objects plus a per-card generator that can be replayed card by card.

    Card `i` draws only from its own `random.Random`, so a streaming writer can generate
    the cards twice (once to plan the actions, once to write) and get the same cards.
    """

    def __init__(
        self,
        *,
        seed: int,
        lists: int,
        members: int,
        closed_lists: int,
        with_label_array: bool,
        text: str,
        long_text: bool = False,
        empty: bool = False,
    ) -> None:
        if text not in TEXTS:
            raise ValueError(f"text must be one of {sorted(TEXTS)}, not {text!r}")
        if lists < 0 or members < 1:
            raise ValueError("a board needs lists >= 0 and at least one member (its creator)")
        if not 0 <= closed_lists <= lists:
            raise ValueError("closed_lists must be between 0 and lists")
        self.seed = seed
        self.t = TEXTS[text]
        self.legacy = not with_label_array
        self.long_text = long_text
        self.empty = empty
        self.n_lists = lists
        self.n_members = members
        rng = random.Random(seed)
        self.rng = rng
        self.text_rng = random.Random(seed ^ 0x5EED)
        self.machine = rng.getrandbits(40)
        self.action_machine = (self.machine + (1 << 39)) % (1 << 40)
        self._counter = 0
        self.created = BOARD_EPOCH_MS + rng.randrange(30 * DAY)
        self.cards_start = self.created + DAY
        self.step = DAY  # time between card creations; set by the caller
        self.seq = 0
        self.early_events: list[_Event] = []

        self.org_id = self._oid(self.created - 400 * DAY)
        self.id = self._oid(self.created)
        self.short_link = self._short_link(rng)
        self.board_ref = {"id": self.id, "name": self.t.board_name, "shortLink": self.short_link}
        self._make_people(rng)
        self._make_lists(rng, closed_lists)
        self._make_labels(rng, empty)
        self._make_custom_fields(rng, empty)
        self.plugin_data: list[JSON] = (
            []
            if empty
            else [
                {
                    "id": self._oid(self.created + 3 * HOUR),
                    "idPlugin": self._oid(self.created - 900 * DAY),
                    "scope": "board",
                    "idModel": self.id,
                    "value": _dumps({"sprintLengthDays": 14, "note": "двухнедельные спринты"}),
                    "access": "shared",
                    "dateLastUpdated": _iso(self.created + 3 * HOUR),
                }
            ]
        )
        self.prefs = _prefs(rng)
        self._board_events()
        self.reset_cards()

    # -- ids --------------------------------------------------------------------------

    def _oid(self, ms: int, counter: int | None = None, machine: int | None = None) -> str:
        if counter is None:
            counter = self._counter
            self._counter += 1
            assert counter < CARD_COUNTER_BASE
        base = self.machine if machine is None else machine
        high = (base + (counter >> 24)) % (1 << 40)
        return f"{ms // 1000:08x}{high:010x}{counter & 0xFFFFFF:06x}"

    @staticmethod
    def _short_link(rng: random.Random) -> str:
        return "".join(rng.choices(ALNUM, k=8))

    def _node(self, kind: str, oid: str) -> str:
        return f"ari:cloud:trello::{kind}/workspace/{self.org_id}/{oid}"

    # -- board-level objects ----------------------------------------------------------

    def _person(self, rng: random.Random, used: set[str]) -> JSON:
        female = rng.random() < 0.5
        first, first_latin = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        surname = rng.choice(SURNAMES)
        last, last_latin = (surname[1], surname[3]) if female else (surname[0], surname[2])
        username = first_latin + last_latin
        n = 1
        while username in used:
            username = f"{first_latin}{last_latin}{n}"
            n += 1
        used.add(username)
        oid = self._oid(self.created - rng.randrange(60, 2500) * DAY)
        avatar = "".join(rng.choices("0123456789abcdef", k=32)) if rng.random() < 0.7 else None
        return {
            "id": oid,
            "activityBlocked": False,
            "avatarHash": avatar,
            "avatarUrl": f"https://trello-members.s3.amazonaws.com/{oid}/{avatar}"
            if avatar
            else None,
            "bio": "",
            "bioData": None,
            "confirmed": True,
            "fullName": f"{first} {last}",
            "idEnterprise": None,
            "idEnterprisesDeactivated": [],
            "idMemberReferrer": None,
            "idPremOrgsAdmin": [],
            "initials": first[0] + last[0],
            "memberType": "normal",
            "nonPublic": {},
            "nonPublicAvailable": True,
            "products": [],
            "url": f"https://trello.com/{username}",
            "username": username,
            "status": "disconnected",
        }

    def _make_people(self, rng: random.Random) -> None:
        used: set[str] = set()
        # `people`: the current members, then two former members who only appear as
        # authors of actions (they left the board; Trello keeps their actions).
        self.people = [self._person(rng, used) for _ in range(self.n_members + 2)]
        self.members = self.people[: self.n_members]
        self.former = list(range(self.n_members, self.n_members + 2))
        self.joined = [
            self.created + (0 if k == 0 else 5 * MINUTE + k * 30 * SECOND)
            for k in range(len(self.people))
        ]
        self.memberships: list[JSON] = []
        for k, person in enumerate(self.members):
            if k == 0 or (k == 1 and self.n_members > 3):
                kind = "admin"
            elif k == self.n_members - 1 and self.n_members >= 4:
                kind = "observer"
            else:
                kind = "normal"
            self.memberships.append(
                {
                    "id": self._oid(self.joined[k]),
                    "idMember": person["id"],
                    "memberType": kind,
                    "unconfirmed": False,
                    "deactivated": False,
                }
            )

    def _make_lists(self, rng: random.Random, closed_lists: int) -> None:
        names = list(self.t.list_names)
        self.lists: list[JSON] = []  # in pos order; `lists_array` is the exported order
        for k in range(self.n_lists):
            name = names[k] if k < len(names) else f"{self.t.sprint} {k - len(names) + 1}"
            pos = float(POS_STEP * (k + 1))
            if k and rng.random() < 0.35:
                pos += rng.choice([0.5, 0.25, 0.75, 0.125])
            oid = self._oid(self.created + (k + 1) * MINUTE)
            self.lists.append(
                {
                    "id": oid,
                    "name": name,
                    "closed": False,
                    "color": rng.choice(BASE_COLOURS) if rng.random() < 0.2 else None,
                    "idBoard": self.id,
                    "pos": _num(pos),
                    "subscribed": rng.random() < 0.1,
                    "softLimit": 10 if k == 2 else None,
                    "type": None,
                    "datasource": {"filter": False},
                    "creationMethod": None,
                    "idOrganization": self.org_id,
                    "limits": {
                        "cards": {
                            "openPerList": _limit(5000, 4000),
                            "totalPerList": _limit(1000000, 800000),
                        }
                    },
                    "nodeId": self._node("list", oid),
                }
            )
        self.closed_idx = sorted(rng.sample(range(self.n_lists), closed_lists))
        for k in self.closed_idx:
            self.lists[k]["closed"] = True
        open_idx = [k for k in range(self.n_lists) if k not in self.closed_idx]
        self.done_idx = open_idx[-1] if open_idx else None
        self.list_weights = [
            1 if k in self.closed_idx else 4 if k == self.done_idx else 3 if k == 0 else 2
            for k in range(self.n_lists)
        ]
        self.lists_array = list(self.lists)
        _shuffle_out_of_order(rng, self.lists_array, key=lambda x: x["pos"])

    def _make_labels(self, rng: random.Random, empty: bool) -> None:
        specs: tuple[tuple[str | None, str], ...] = (
            () if empty else self.t.legacy_labels if self.legacy else self.t.labels
        )
        self.labels: list[JSON] = []
        for colour, name in specs:
            oid = self._oid(self.created + rng.randrange(1, 60) * SECOND)
            label: JSON = {"id": oid, "idBoard": self.id}
            if not self.legacy:
                label["idOrganization"] = self.org_id
                label["nodeId"] = self._node("label", oid)
            label.update({"name": name, "color": colour, "uses": 0})
            self.labels.append(label)
        self.labels_by_id = {lab["id"]: lab for lab in self.labels}
        keys = BASE_COLOURS if self.legacy else LABEL_NAME_KEYS
        self.label_names = dict.fromkeys(keys, "")
        for lab in reversed(self.labels):  # the first label of a colour names it
            if lab["color"] in self.label_names:
                self.label_names[lab["color"]] = lab["name"]

    def _make_custom_fields(self, rng: random.Random, empty: bool) -> None:
        self.custom_fields: list[JSON] = []
        self.priority_options: list[str] = []
        if empty:
            return
        group = "".join(rng.choices("0123456789abcdef", k=64))
        at = self.created + 2 * HOUR
        estimate_id = self._oid(at)
        priority_id = self._oid(at + MINUTE)
        options = []
        for k, (value, colour) in enumerate(self.t.priority_options):
            option_id = self._oid(at + MINUTE + k * SECOND)
            self.priority_options.append(option_id)
            options.append(
                {
                    "id": option_id,
                    "idCustomField": priority_id,
                    "value": {"text": value},
                    "color": colour,
                    "pos": POS_STEP * (k + 1),
                }
            )
        common = {"idModel": self.id, "modelType": "board", "display": {"cardFront": True}}
        self.custom_fields = [
            {
                "id": estimate_id,
                **common,
                "fieldGroup": group,
                "name": self.t.estimate_field,
                "pos": POS_STEP,
                "type": "number",
                "limits": {},
                "isSuggestedField": False,
            },
            {
                "id": priority_id,
                **common,
                "fieldGroup": group[::-1],
                "name": self.t.priority_field,
                "pos": POS_STEP * 2,
                "options": options,
                "type": "list",
                "limits": {"customFieldOptions": {"perField": _limit(50, 40)}},
                "isSuggestedField": False,
            },
        ]

    def _board_events(self) -> None:
        ev = self.early_events
        ev.append((self.created, "createBoard", 0, {}))
        renamed = 1 if self.n_lists >= 2 else None
        for k in range(self.n_lists):
            at = self.created + (k + 1) * MINUTE
            original = self.t.list_renamed_from if k == renamed else self.lists[k]["name"]
            ev.append((at, "createList", 0, {"list": k, "name": original}))
        if renamed is not None:
            ev.append(
                (
                    self.created + 30 * MINUTE,
                    "renameList",
                    0,
                    {"list": renamed, "old": self.t.list_renamed_from},
                )
            )
        # An empty board shows only its creation; otherwise the former members joined too.
        for k in range(1, self.n_members if self.empty else len(self.people)):
            ev.append((self.joined[k], "addMemberToBoard", 0, {"member": k}))

    def reset_cards(self) -> None:
        """Forget per-list positions: the next `card_bundle(0)` starts the cards afresh."""
        self.list_fill = [0] * self.n_lists

    # -- text -------------------------------------------------------------------------

    def _sentence(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.12:
            return rng.choice(CJK_SENTENCES)
        sentence = rng.choice(self.t.sentences)
        if roll > 0.85:
            sentence += " " + rng.choice(EMOJI)
        return sentence

    def _section(self, rng: random.Random) -> str:
        parts = [
            f"{'#' * rng.choice([2, 2, 3])} {rng.choice(self.t.headings)}",
            " ".join(self._sentence(rng) for _ in range(rng.randint(1, 4))),
        ]
        if rng.random() < 0.6:
            items = rng.sample(self.t.bullets, rng.randint(2, 4))
            if rng.random() < 0.5:
                parts.append("\n".join(f"- {x}" for x in items) + "\n  - вложенный пункт ✅")
            else:
                parts.append("\n".join(f"{n}. {x}" for n, x in enumerate(items, 1)))
        if rng.random() < 0.3:
            parts.append(rng.choice(CODE_BLOCKS))
        if rng.random() < 0.4:
            parts.append(f"См. {rng.choice(LINKS)} {rng.choice(EMOJI)}")
        if rng.random() < 0.15:
            parts.append(f"> {rng.choice(self.t.quotes)}")
        if rng.random() < 0.1:
            parts.append("| Поле | Значение |\n|---|---|\n| `pos` | 49152.5 |\n| 状态 | 完成 ✅ |")
        return "\n\n".join(parts)

    def _desc(self, rng: random.Random) -> str:
        if self.long_text:
            target = rng.randint(6_000, 20_000)
            sections: list[str] = []
            size = 0
            while size < target:
                sections.append(self._section(rng))
                size += len(sections[-1]) + 2
            return "\n\n".join(sections)
        if rng.random() < 0.25:
            return ""
        return "\n\n".join(self._section(rng) for _ in range(rng.choice([1, 1, 2, 3])))

    def _title(self, rng: random.Random) -> str:
        title = f"{rng.choice(self.t.verbs)} {rng.choice(self.t.objects)}"
        if rng.random() < 0.18:
            title += rng.choice(self.t.title_suffixes)
        return title

    def _comment_text(self) -> str:
        rng = self.text_rng
        parts = []
        for _ in range(rng.choice([1, 1, 1, 2])):
            template = rng.choice(self.t.comments)
            parts.append(
                template.format(user=rng.choice(self.members)["username"], n=rng.randint(2, 480))
            )
        if rng.random() < 0.2:
            parts.append(rng.choice(CJK_SENTENCES))
        return "\n\n".join(parts)

    # -- cards ------------------------------------------------------------------------

    def _actor(self, rng: random.Random, former_share: float = 0.0) -> int:
        if rng.random() < former_share:
            return rng.choice(self.former)
        return rng.randrange(self.n_members)

    def card_bundle(self, i: int) -> _CardBundle:
        """Card `i` (idShort i + 1), its checklists and its actions, from its own seed."""
        rng = random.Random(self.seed * 1_000_003 + i)
        counters = iter(
            range(
                CARD_COUNTER_BASE + i * CARD_ID_BLOCK, CARD_COUNTER_BASE + (i + 1) * CARD_ID_BLOCK
            )
        )

        def oid(ms: int) -> str:
            return self._oid(ms, next(counters))

        t = self.t
        created = self.cards_start + i * self.step + rng.randrange(self.step)
        card_id = oid(created)
        short_link = self._short_link(rng)
        id_short = i + 1
        is_template = i % 97 == 5
        name = (t.template_prefix if is_template else "") + self._title(rng)
        ref = {"id": card_id, "name": name, "idShort": id_short, "shortLink": short_link}

        # Where the card lives, and how it got there.
        if i == 0 and self.closed_idx:
            final = self.closed_idx[0]  # an open card in an archived list
        else:
            final = rng.choices(range(self.n_lists), self.list_weights)[0]
        n_moves = rng.choices([0, 1, 2, 3], [45, 30, 15, 10])[0] if self.n_lists > 1 else 0
        path = [final]
        for _ in range(n_moves):
            path.insert(0, rng.choice([k for k in range(self.n_lists) if k != path[0]]))
        end = created + rng.randint(2 * HOUR, 60 * DAY)
        moves = sorted(rng.randint(created + MINUTE, end) for _ in range(n_moves))
        for k in range(1, len(moves)):
            moves[k] = max(moves[k], moves[k - 1] + SECOND)

        def list_at(ms: int) -> int:
            return path[sum(1 for m in moves if m <= ms)]

        def when() -> int:
            return rng.randint(created + SECOND, end)

        events: list[_Event] = [
            (created, "createCard", self._actor(rng, 0.04), {"card": ref, "list": path[0]})
        ]
        for k, ms in enumerate(moves):
            events.append(
                (
                    ms,
                    "moveCard",
                    self._actor(rng),
                    {"card": ref, "before": path[k], "after": path[k + 1]},
                )
            )

        id_members = [
            self.members[k]["id"]
            for k in sorted(
                rng.sample(
                    range(self.n_members),
                    min(self.n_members, rng.choices([0, 1, 2, 3], [30, 45, 18, 7])[0]),
                )
            )
        ]
        for member_id in id_members:
            ms = when()
            k = next(n for n, p in enumerate(self.members) if p["id"] == member_id)
            events.append(
                (
                    ms,
                    "addMemberToCard",
                    self._actor(rng),
                    {"card": ref, "list": list_at(ms), "member": k},
                )
            )

        id_labels: list[str] = []
        if self.labels:
            n_labels = rng.choices([0, 1, 2, 3], [30, 40, 20, 10])[0]
            id_labels = [
                lab["id"] for lab in rng.sample(self.labels, min(n_labels, len(self.labels)))
            ]

        # Dates.
        due: int | None = None
        start: int | None = None
        reminder: int | None = None
        due_complete = False
        if rng.random() < 0.45:
            due = (created // DAY + rng.randint(1, 45)) * DAY + rng.choice([9, 12, 15, 18]) * HOUR
            reminder = rng.choice([-1, 0, 15, 60, 1440])
            if rng.random() < 0.3:
                start = due - rng.randint(1, 7) * DAY - 9 * HOUR
            due_complete = rng.random() < (0.85 if final == self.done_idx else 0.1)
            if rng.random() < 0.4:
                ms = when()
                events.append(
                    (
                        ms,
                        "updateCard",
                        self._actor(rng),
                        {
                            "card": ref,
                            "list": list_at(ms),
                            "set": {"due": _iso(due)},
                            "old": {"due": None},
                        },
                    )
                )
            if due_complete:
                ms = when()
                events.append(
                    (
                        ms,
                        "updateCard",
                        self._actor(rng),
                        {
                            "card": ref,
                            "list": list_at(ms),
                            "set": {"dueComplete": True},
                            "old": {"dueComplete": False},
                        },
                    )
                )

        desc = self._desc(rng)
        if desc and rng.random() < (0.1 if self.long_text else 0.25):
            old = desc[: len(desc) // 3].rstrip()
            ms = when()
            events.append(
                (
                    ms,
                    "updateCard",
                    self._actor(rng),
                    {"card": ref, "list": list_at(ms), "set": {"desc": desc}, "old": {"desc": old}},
                )
            )

        # Checklists.
        checklists: list[JSON] = []
        checked = total = 0
        check_states: list[JSON] = []
        if rng.random() < 0.35:
            for c in range(rng.choices([1, 2, 3], [70, 25, 5])[0]):
                at = when()
                checklist_id = oid(at)
                checklist_name = rng.choice(t.checklist_names)
                checklist_ref = {"id": checklist_id, "name": checklist_name}
                events.append(
                    (
                        at,
                        "addChecklistToCard",
                        self._actor(rng),
                        {"card": ref, "checklist": checklist_ref},
                    )
                )
                p_done = 0.9 if due_complete or final == self.done_idx else 0.35
                items: list[JSON] = []
                for k, item_name in enumerate(rng.sample(t.check_items, rng.randint(2, 7))):
                    item_id = oid(at + k * SECOND)
                    complete = rng.random() < p_done
                    pos = float(POS_STEP * (k + 1)) + (
                        rng.choice([0.5, 0.25]) if rng.random() < 0.2 else 0
                    )
                    items.append(
                        {
                            "id": item_id,
                            "idChecklist": checklist_id,
                            "name": item_name,
                            "nameData": {"emoji": {}},
                            "pos": _num(pos),
                            "state": "complete" if complete else "incomplete",
                            "due": _iso(due - DAY) if due and rng.random() < 0.15 else None,
                            "dueReminder": None,
                            "idMember": rng.choice(id_members)
                            if id_members and rng.random() < 0.3
                            else None,
                            "type": None,
                        }
                    )
                    total += 1
                    if complete:
                        checked += 1
                        done_at = rng.randint(at + SECOND, max(at + SECOND, end))
                        events.append(
                            (
                                done_at,
                                "checkItem",
                                self._actor(rng),
                                {
                                    "card": ref,
                                    "checklist": checklist_ref,
                                    "item": {"id": item_id, "name": item_name},
                                },
                            )
                        )
                        check_states.append({"idCheckItem": item_id, "state": "complete"})
                _shuffle_out_of_order(rng, items, key=lambda x: x["pos"])
                checklists.append(
                    {
                        "id": checklist_id,
                        "name": checklist_name,
                        "idBoard": self.id,
                        "idCard": card_id,
                        "pos": POS_STEP * (c + 1),
                        "limits": {"checkItems": {"perChecklist": _limit(200, 160)}},
                        "checkItems": items,
                    }
                )

        # Attachments and the cover.
        attachments: list[JSON] = []
        cover_id = None
        n_attachments = 0
        if rng.random() < (0.8 if self.long_text else 0.2):
            n_attachments = rng.randint(2, 6) if self.long_text else rng.randint(1, 3)
        for k in range(n_attachments):
            at = when()
            attachment_id = oid(at)
            author = self._actor(rng)
            kind = rng.choices(["image", "document", "link"], [45, 35, 20])[0]
            previews: list[JSON] = []
            if kind == "link":
                url = f"https://github.com/example/internhub/pull/{rng.randint(2, 480)}"
                attachment: JSON = {
                    "id": attachment_id,
                    "bytes": None,
                    "date": _iso(at),
                    "edgeColor": None,
                    "idMember": self.people[author]["id"],
                    "isMalicious": False,
                    "isUpload": False,
                    "mimeType": "",
                    "name": rng.choice(t.link_names),
                    "previews": [],
                    "url": url,
                    "pos": POS_STEP * (k + 1),
                    "fileName": None,
                }
            else:
                file_name = rng.choice(t.images if kind == "image" else t.documents)
                size = rng.randint(8_000, 4_000_000)
                url = f"https://trello.com/1/cards/{card_id}/attachments/{attachment_id}/download/{quote(file_name)}"
                if kind == "image":
                    width, height = rng.choice([(1920, 1080), (1280, 800), (750, 1334)])
                    for w in (150, 600, width):
                        preview_id = oid(at)
                        h = height * w // width
                        previews.append(
                            {
                                "_id": preview_id,
                                "id": preview_id,
                                "scaled": w != width,
                                "url": f"https://trello.com/1/cards/{card_id}/attachments/{attachment_id}/previews/{preview_id}/download/{quote(file_name)}",
                                "bytes": size * w * h // (width * height),
                                "height": h,
                                "width": w,
                            }
                        )
                attachment = {
                    "id": attachment_id,
                    "bytes": size,
                    "date": _iso(at),
                    "edgeColor": rng.choice(["#f4f4f4", "#1c1c1c", "#d0b8a0"])
                    if kind == "image"
                    else None,
                    "idMember": self.people[author]["id"],
                    "isMalicious": False,
                    "isUpload": True,
                    "mimeType": MIME[file_name.rsplit(".", 1)[1]],
                    "name": file_name,
                    "previews": previews,
                    "url": url,
                    "pos": POS_STEP * (k + 1),
                    "fileName": file_name,
                }
                if kind == "image" and cover_id is None and rng.random() < 0.5:
                    cover_id = attachment_id
            attachments.append(attachment)
            events.append(
                (
                    at,
                    "addAttachmentToCard",
                    author,
                    {
                        "card": ref,
                        "list": list_at(at),
                        "attachment": {
                            "id": attachment_id,
                            "name": attachment["name"],
                            "url": url,
                            "preview": previews[1]["url"] if previews else None,
                        },
                    },
                )
            )

        # Comments: authors include people who have left the board since.
        n_comments = rng.choices([0, 1, 2, 3, 5], [45, 25, 15, 10, 5])[0]
        for _ in range(n_comments):
            ms = when()
            events.append(
                (ms, "commentCard", self._actor(rng, 0.08), {"card": ref, "list": list_at(ms)})
            )

        closed = i != 0 and not is_template and rng.random() < 0.07
        last = max(ms for ms, *_ in events)
        if closed:
            last += rng.randint(MINUTE, 3 * DAY)
            events.append(
                (
                    last,
                    "updateCard",
                    self._actor(rng),
                    {"card": ref, "list": final, "set": {"closed": True}, "old": {"closed": False}},
                )
            )

        # Custom fields.
        custom_items: list[JSON] = []
        if self.custom_fields and rng.random() < 0.4:
            custom_items.append(
                {
                    "id": oid(when()),
                    "value": {"number": str(rng.choice([1, 2, 3, 5, 8, 13]))},
                    "idCustomField": self.custom_fields[0]["id"],
                    "idModel": card_id,
                    "modelType": "card",
                }
            )
        if self.custom_fields and rng.random() < 0.5:
            custom_items.append(
                {
                    "id": oid(when()),
                    "idValue": rng.choice(self.priority_options),
                    "idCustomField": self.custom_fields[1]["id"],
                    "idModel": card_id,
                    "modelType": "card",
                }
            )

        located = rng.random() < 0.02
        voted = (
            [
                self.members[k]["id"]
                for k in rng.sample(range(self.n_members), min(self.n_members, rng.randint(1, 2)))
            ]
            if rng.random() < 0.05
            else []
        )
        subscribed = rng.random() < 0.15
        colour_cover = rng.choice(BASE_COLOURS) if cover_id is None and rng.random() < 0.1 else None
        fill = self.list_fill[final]
        self.list_fill[final] += 1
        pos = float(POS_STEP * (fill + 1)) + (
            rng.choice([0.5, 0.25, 0.75, 0.125]) if n_moves else 0
        )
        slug = _slug(name)
        due_iso = _iso(due) if due else None
        card: JSON = {
            "id": card_id,
            "address": t.address if located else None,
            "badges": {
                "attachmentsByType": {"trello": {"board": 0, "card": 0}},
                "externalSource": None,
                "location": located,
                "votes": len(voted),
                "viewingMemberVoted": False,
                "subscribed": subscribed,
                "fogbugz": "",
                "checkItems": total,
                "checkItemsChecked": checked,
                "checkItemsEarliestDue": None,
                "comments": n_comments,
                "attachments": n_attachments,
                "description": bool(desc),
                "due": due_iso,
                "dueComplete": due_complete,
                "lastUpdatedByAi": False,
                "start": _iso(start) if start else None,
                "vote": 0,
                "maliciousAttachments": 0,
            },
            "checkItemStates": check_states if self.legacy else [],
            "closed": closed,
            "coordinates": {"latitude": 55.733969, "longitude": 37.587093} if located else None,
            "creationMethod": None,
            "dueComplete": due_complete,
            "dateLastActivity": _iso(last),
            "desc": desc,
            "descData": {"emoji": {}} if desc else None,
            "due": due_iso,
            "dueReminder": reminder,
            "email": None,
            "idBoard": self.id,
            "idChecklists": [c["id"] for c in checklists],
            "idLabels": id_labels,
            "idList": self.lists[final]["id"],
            "idMembers": id_members,
            "idMembersVoted": voted,
            "idShort": id_short,
            "idAttachmentCover": cover_id,
            "labels": [dict(self.labels_by_id[x]) for x in id_labels],
            "limits": _card_limits(),
            "locationName": t.location_name if located else None,
            "manualCoverAttachment": False,
            "name": name,
            "nodeId": self._node("card", card_id),
            "pinned": False,
            "pos": _num(pos),
            "shortLink": short_link,
            "shortUrl": f"https://trello.com/c/{short_link}",
            "start": _iso(start) if start else None,
            "subscribed": subscribed,
            "url": f"https://trello.com/c/{short_link}/{id_short}-{slug}",
            "cover": {
                "idAttachment": cover_id,
                "color": colour_cover,
                "idUploadedBackground": None,
                "size": "normal",
                "brightness": "light" if colour_cover else "dark",
                "yPosition": 0.5,
                "idPlugin": None,
            },
            "isTemplate": is_template,
            "cardRole": None,
            "mirrorSourceId": None,
            "attachments": attachments,
            "pluginData": [],
            "customFieldItems": custom_items,
        }
        return _CardBundle(card, checklists, events)

    def forced_comment(self, card: JSON, final_list: int, ms: int) -> _Event:
        """A comment by a former member after all other card activity: it survives any cut."""
        card["badges"]["comments"] += 1
        card["dateLastActivity"] = _iso(ms)
        ref = {k: card[k] for k in ("id", "name", "idShort", "shortLink")}
        return (ms, "commentCard", self.former[0], {"card": ref, "list": final_list})

    def closing_events(self, after: int) -> list[_Event]:
        return [
            (after + HOUR + n * 5 * MINUTE, "closeList", 0, {"list": k})
            for n, k in enumerate(self.closed_idx)
        ]

    # -- actions ----------------------------------------------------------------------

    def _creator(self, person: JSON) -> JSON:
        keys = (
            "id",
            "activityBlocked",
            "avatarHash",
            "avatarUrl",
            "fullName",
            "idMemberReferrer",
            "initials",
            "nonPublic",
            "nonPublicAvailable",
            "username",
        )
        return {k: person[k] for k in keys}

    def _list_ref(self, k: int) -> JSON:
        return {"id": self.lists[k]["id"], "name": self.lists[k]["name"]}

    def action(self, event: _Event, seq: int) -> JSON:
        ms, kind, author, p = event
        board = dict(self.board_ref)
        member: JSON | None = None
        limits: JSON = {}
        type_: str
        data: JSON
        if kind == "createBoard":
            type_ = "createBoard"
            data = {"board": board}
        elif kind == "createList":
            type_ = "createList"
            data = {"list": {"id": self.lists[p["list"]]["id"], "name": p["name"]}, "board": board}
        elif kind == "renameList":
            type_ = "updateList"
            data = {"list": self._list_ref(p["list"]), "old": {"name": p["old"]}, "board": board}
        elif kind == "closeList":
            type_ = "updateList"
            data = {
                "list": {**self._list_ref(p["list"]), "closed": True},
                "old": {"closed": False},
                "board": board,
            }
        elif kind == "addMemberToBoard":
            type_ = "addMemberToBoard"
            person = self.people[p["member"]]
            member = self._creator(person)
            data = {
                "idMemberAdded": person["id"],
                "memberType": "normal",
                "board": board,
                "member": {"id": person["id"], "name": person["fullName"]},
            }
        elif kind == "createCard":
            type_ = "createCard"
            data = {"card": dict(p["card"]), "list": self._list_ref(p["list"]), "board": board}
        elif kind == "moveCard":
            type_ = "updateCard"
            data = {
                "card": {**p["card"], "idList": self.lists[p["after"]]["id"]},
                "old": {"idList": self.lists[p["before"]]["id"]},
                "board": board,
                "listBefore": self._list_ref(p["before"]),
                "listAfter": self._list_ref(p["after"]),
            }
        elif kind == "updateCard":
            type_ = "updateCard"
            data = {"card": {**p["set"], **p["card"]}, "old": dict(p["old"]), "board": board}
            if "list" in p:
                data["list"] = self._list_ref(p["list"])
        elif kind == "addMemberToCard":
            type_ = "addMemberToCard"
            person = self.people[p["member"]]
            member = self._creator(person)
            data = {
                "board": board,
                "card": dict(p["card"]),
                "list": self._list_ref(p["list"]),
                "idMember": person["id"],
                "member": {"id": person["id"], "name": person["fullName"]},
            }
        elif kind == "addChecklistToCard":
            type_ = "addChecklistToCard"
            data = {"card": dict(p["card"]), "checklist": dict(p["checklist"]), "board": board}
        elif kind == "checkItem":
            type_ = "updateCheckItemStateOnCard"
            data = {
                "card": dict(p["card"]),
                "checklist": dict(p["checklist"]),
                "checkItem": {**p["item"], "state": "complete", "textData": {"emoji": {}}},
                "board": board,
            }
        elif kind == "addAttachmentToCard":
            type_ = "addAttachmentToCard"
            a = p["attachment"]
            attachment = {"id": a["id"], "name": a["name"], "url": a["url"]}
            if a["preview"]:
                attachment |= {"previewUrl": a["preview"], "previewUrl2x": a["preview"]}
            data = {
                "board": board,
                "list": self._list_ref(p["list"]),
                "card": dict(p["card"]),
                "attachment": attachment,
            }
        elif kind == "commentCard":
            type_ = "commentCard"
            data = {
                "text": self._comment_text(),
                "textData": {"emoji": {}},
                "card": dict(p["card"]),
                "board": board,
                "list": self._list_ref(p["list"]),
            }
            limits = {
                "reactions": {
                    "perAction": _limit(900, 720),
                    "uniquePerAction": _limit(17, 14),
                }
            }
        else:  # pragma: no cover - every kind is handled above
            raise AssertionError(kind)
        person = self.people[author]
        result: JSON = {
            "id": self._oid(ms, seq, self.action_machine),
            "idMemberCreator": person["id"],
            "data": data,
            "appCreator": None,
            "type": type_,
            "date": _iso(ms),
            "limits": limits,
            "memberCreator": self._creator(person),
        }
        if member is not None:
            result["member"] = member
        return result

    def actions(self, newest: list[tuple[int, int, _Event]]) -> list[JSON]:
        """Actions from (ms, seq, event) entries, newest first as Trello exports them."""
        return [self.action(event, seq) for _, seq, event in sorted(newest, reverse=True)]

    # -- the board --------------------------------------------------------------------

    def header(self, last_activity: int, last_view: int) -> JSON:
        t = self.t
        slug = _slug(t.board_name)
        values: JSON = {
            "id": self.id,
            "nodeId": self._node("board", self.id),
            "name": t.board_name,
            "desc": t.board_desc,
            "descData": {"emoji": {}},
            "closed": False,
            "dateClosed": None,
            "idOrganization": self.org_id,
            "idEnterprise": None,
            "limits": _board_limits(),
            "pinned": False,
            "starred": True,
            "url": f"https://trello.com/b/{self.short_link}/{slug}",
            "prefs": self.prefs,
            "shortLink": self.short_link,
            "subscribed": False,
            "labelNames": self.label_names,
            "powerUps": [],
            "dateLastActivity": _iso(last_activity),
            "dateLastView": _iso(last_view),
            "shortUrl": f"https://trello.com/b/{self.short_link}",
            "idTags": [],
            "datePluginDisable": None,
            "creationMethod": None,
            "ixUpdate": str(1000 + self.seq),
            "templateGallery": None,
            "enterpriseOwned": False,
            "idBoardSource": None,
            "premiumFeatures": [
                "additionalBoardBackgrounds",
                "additionalStickers",
                "customBoardBackgrounds",
                "customEmoji",
                "customStickers",
                "plugins",
            ],
            "idMemberCreator": self.members[0]["id"],
            "type": "board",
        }
        return {k: values[k] for k in BOARD_KEYS}

    def push(self, events: list[_Event]) -> Iterator[tuple[int, int, _Event]]:
        for event in events:
            self.seq += 1
            yield (event[0], self.seq, event)


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def _build(
    *,
    cards: int,
    lists: int,
    members: int,
    seed: int,
    closed_lists: int,
    with_label_array: bool,
    actions_limit: int,
    text: str,
    empty: bool = False,
) -> JSON:
    if cards < 0 or actions_limit < 0:
        raise ValueError("cards and actions_limit must not be negative")
    if cards and not lists:
        raise ValueError("cards need at least one list")
    board = _Board(
        seed=seed,
        lists=lists,
        members=members,
        closed_lists=closed_lists,
        with_label_array=with_label_array,
        text=text,
        empty=empty,
    )
    board.step = max(MINUTE, 300 * DAY // max(cards, 1))
    entries = list(board.push(board.early_events))
    bundles = [board.card_bundle(i) for i in range(cards)]
    for bundle in bundles:
        entries.extend(board.push(bundle.events))
    last = max(ms for ms, _, _ in entries)
    if bundles:
        final = next(
            k for k, lst in enumerate(board.lists) if lst["id"] == bundles[0].card["idList"]
        )
        last += 20 * MINUTE
        entries.extend(board.push([board.forced_comment(bundles[0].card, final, last)]))
    closing = board.closing_events(last)
    entries.extend(board.push(closing))
    last = max([last, *(ms for ms, *_ in closing)])

    uses: dict[str, int] = {}
    for bundle in bundles:
        for label_id in bundle.card["idLabels"]:
            uses[label_id] = uses.get(label_id, 0) + 1
    for label in board.labels:
        label["uses"] = uses.get(label["id"], 0)
    card_list = []
    for bundle in bundles:
        bundle.card["labels"] = [dict(board.labels_by_id[x]) for x in bundle.card["idLabels"]]
        card_list.append(bundle.card)
    _shuffle_out_of_order(board.rng, card_list, key=lambda c: (c["idList"], c["pos"]))

    export = board.header(last, last + DAY)
    export["actions"] = board.actions(heapq.nlargest(actions_limit, entries))
    export["cards"] = card_list
    if with_label_array:
        export["labels"] = board.labels
    export["lists"] = board.lists_array
    export["members"] = board.members
    export["checklists"] = [c for bundle in bundles for c in bundle.checklists]
    export["customFields"] = board.custom_fields
    export["memberships"] = board.memberships
    export["pluginData"] = board.plugin_data
    return export


def build_export(
    *,
    cards: int = 50,
    lists: int = 5,
    members: int = 4,
    seed: int = 1,
    closed_lists: int = 0,
    with_label_array: bool = True,
    actions_limit: int = 1000,
    text: str = "ru",
) -> dict[str, Any]:
    """One Trello board export as a dict, the same for the same arguments.

    `closed_lists` lists are archived and the first of them holds an open card (#1);
    `with_label_array=False` gives an older export: no top-level `labels`, the ten classic
    `labelNames`, one label per colour, `checkItemStates` filled in. `actions_limit` keeps
    the newest actions (Trello exports at most 1000). `text` is "ru" or "en"; both carry
    Chinese, Japanese and emoji too.
    """
    return _build(
        cards=cards,
        lists=lists,
        members=members,
        seed=seed,
        closed_lists=closed_lists,
        with_label_array=with_label_array,
        actions_limit=actions_limit,
        text=text,
    )


def write_export(path: Path, **kwargs: Any) -> Path:
    """`build_export(**kwargs)` written as compact UTF-8 JSON (ensure_ascii off), like Trello."""
    path.write_text(_dumps(build_export(**kwargs)), encoding="utf-8")
    return path


def write_big_export(path: Path, *, target_bytes: int, seed: int = 1) -> int:
    """Stream a ~`target_bytes` export (long descriptions, many attachments) to `path`.

    Memory stays bounded: the cards are generated twice from their own seeds — once to
    size the board and keep the newest 1000 actions in a heap, once to write them — and
    every item is written with its own `json.dumps`. Returns the number of cards.
    """
    if target_bytes <= 0:
        raise ValueError("target_bytes must be positive")
    limit = 1000

    def make() -> _Board:
        return _Board(
            seed=seed,
            lists=8,
            members=12,
            closed_lists=1,
            with_label_array=True,
            text="ru",
            long_text=True,
        )

    board = make()
    # Size a few cards to spread the cards over about a year.
    sample = [board.card_bundle(i) for i in range(16)]
    per_card = sum(
        len(_dumps(b.card).encode()) + sum(len(_dumps(c).encode()) for c in b.checklists)
        for b in sample
    ) / len(sample)
    board = make()
    board.step = max(MINUTE, int(365 * DAY * per_card // target_bytes))
    fixed = len(_dumps(board.header(0, 0)).encode()) + 4096
    fixed += sum(
        len(_dumps(x).encode())
        for x in (*board.lists, *board.members, *board.labels, *board.memberships)
    )

    # Pass 1: count the cards that fit, count label uses, keep the newest actions.
    heap: list[tuple[int, int, _Event]] = []
    heap_bytes = 0

    def estimate(event: _Event) -> int:
        payload = event[3]
        return 1200 + (
            3 * len(payload["set"]["desc"].encode()) // 2 if "desc" in payload.get("set", {}) else 0
        )

    def keep(entry: tuple[int, int, _Event]) -> None:
        nonlocal heap_bytes
        heap_bytes += estimate(entry[2])
        if len(heap) < limit:
            heapq.heappush(heap, entry)
        else:
            dropped = heapq.heappushpop(heap, entry)
            heap_bytes -= estimate(dropped[2])

    for entry in board.push(board.early_events):
        keep(entry)
    uses: dict[str, int] = {}
    card_bytes = 0
    count = 0
    first: JSON | None = None
    last = board.created
    while count == 0 or fixed + card_bytes + heap_bytes < target_bytes:
        bundle = board.card_bundle(count)
        if first is None:
            first = bundle.card
        count += 1
        card_bytes += (
            len(_dumps(bundle.card).encode())
            + sum(len(_dumps(c).encode()) for c in bundle.checklists)
            + 2
        )
        for label_id in bundle.card["idLabels"]:
            uses[label_id] = uses.get(label_id, 0) + 1
        for entry in board.push(bundle.events):
            last = max(last, entry[0])
            keep(entry)
    assert first is not None
    final = next(k for k, lst in enumerate(board.lists) if lst["id"] == first["idList"])
    comment_at = last + 20 * MINUTE
    for entry in board.push(
        [board.forced_comment(dict(first, badges=dict(first["badges"])), final, comment_at)]
    ):
        keep(entry)
    closing = board.closing_events(comment_at)
    for entry in board.push(closing):
        keep(entry)
    last = max([comment_at, *(ms for ms, *_ in closing)])
    for label in board.labels:
        label["uses"] = uses.get(label["id"], 0)

    # Pass 2: write, section by section.
    shuffle_rng = random.Random(seed ^ 0xCA4D)
    board.reset_cards()
    with (
        path.open("w", encoding="utf-8") as out,
        tempfile.TemporaryFile("w+", encoding="utf-8") as spool,
    ):
        header = board.header(last, last + DAY)
        out.write("{" + ",".join(f"{_dumps(k)}:{_dumps(v)}" for k, v in header.items()))

        def array(key: str, items: Iterator[JSON] | list[JSON]) -> None:
            out.write(f",{_dumps(key)}:[")
            for n, item in enumerate(items):
                out.write(("," if n else "") + _dumps(item))
            out.write("]")

        array("actions", board.actions(heap))

        def cards() -> Iterator[JSON]:
            spooled = 0
            buffer: list[JSON] = []
            for i in range(count):
                bundle = board.card_bundle(i)
                if i == 0:
                    board.forced_comment(bundle.card, final, comment_at)
                for checklist in bundle.checklists:
                    spool.write(("," if spooled else "") + _dumps(checklist))
                    spooled += 1
                buffer.append(bundle.card)
                if len(buffer) == 64 or i == count - 1:
                    _shuffle_out_of_order(
                        shuffle_rng, buffer, key=lambda c: (c["idList"], c["pos"])
                    )
                    yield from buffer
                    buffer = []

        array("cards", cards())
        array("labels", board.labels)
        array("lists", board.lists_array)
        array("members", board.members)
        out.write(',"checklists":[')
        spool.seek(0)
        shutil.copyfileobj(spool, out)
        out.write("]")
        array("customFields", board.custom_fields)
        array("memberships", board.memberships)
        array("pluginData", board.plugin_data)
        out.write("}")
    return count


def _not_a_board() -> JSON:
    return {
        "name": "internhub-frontend",
        "version": "1.4.2",
        "private": True,
        "description": "Фронтенд InternHub — не доска Trello",
        "scripts": {"dev": "vite", "build": "vite build", "test": "vitest run"},
        "dependencies": {"vue": "^3.5.13", "pinia": "^2.3.0"},
        "devDependencies": {"vite": "^6.0.7", "vitest": "^2.1.8"},
        "lists": "not an array",
    }


def _cut_in_first_card_name(text: str) -> str:
    start = text.index('"name": "', text.index('"cards": [')) + len('"name": "')
    return text[: start + 5]


def write_fixtures(directory: Path) -> list[Path]:
    """(Re)write the small hand-checked fixtures of tests/importer/data."""
    directory.mkdir(parents=True, exist_ok=True)

    def pretty(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2) + "\n"

    minimal = _build(
        cards=0,
        lists=0,
        members=1,
        seed=7,
        closed_lists=0,
        with_label_array=True,
        actions_limit=1000,
        text="ru",
        empty=True,
    )
    legacy = build_export(cards=6, lists=3, members=3, seed=11, with_label_array=False)
    files = {
        "minimal_board.json": pretty(minimal),
        "legacy_board.json": pretty(legacy),
        "not_a_board.json": pretty(_not_a_board()),
        # A real export cut short inside the first card's name, as an interrupted
        # download leaves it.
        "malformed.json": _cut_in_first_card_name(pretty(legacy)),
    }
    written = []
    for name, content in files.items():
        (directory / name).write_text(content, encoding="utf-8")
        written.append(directory / name)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--cards", type=int, default=50)
    parser.add_argument("--lists", type=int, default=5)
    parser.add_argument("--members", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--closed-lists", type=int, default=0)
    parser.add_argument("--legacy", action="store_true", help="no top-level labels array")
    parser.add_argument("--actions-limit", type=int, default=1000)
    parser.add_argument("--text", choices=sorted(TEXTS), default="ru")
    parser.add_argument("--big-bytes", type=int, help="stream a big export of about this size")
    parser.add_argument("--fixtures", type=Path, help="rewrite the test fixtures in this directory")
    args = parser.parse_args(argv)
    if args.fixtures:
        for path in write_fixtures(args.fixtures):
            print(path)
        return
    if args.out is None:
        parser.error("the output path is required")
    started = time.perf_counter()
    if args.big_bytes:
        count = write_big_export(args.out, target_bytes=args.big_bytes, seed=args.seed)
    else:
        write_export(
            args.out,
            cards=args.cards,
            lists=args.lists,
            members=args.members,
            seed=args.seed,
            closed_lists=args.closed_lists,
            with_label_array=not args.legacy,
            actions_limit=args.actions_limit,
            text=args.text,
        )
        count = args.cards
    elapsed = time.perf_counter() - started
    print(f"{args.out}: {count} cards, {args.out.stat().st_size} bytes, {elapsed:.2f} s")


if __name__ == "__main__":
    main()
