"""Constants of the importer: sources, job states, Trello's limits and vocabulary."""

from enum import StrEnum


class ImportSource(StrEnum):
    TRELLO = "trello"
    INTERNHUB = "internhub"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


# Trello puts at most this many actions (comments, moves…) into a board export.
TRELLO_ACTIONS_CAP = 1000

# InternHub's own export format: name and version, checked on import.
EXPORT_FORMAT = "internhub.board"
EXPORT_VERSION = 1

# A column's kind guessed from its list's name, when the import's `column_kinds` does not
# say: a name matches a hint when the hint starts one of its words (ignoring case,
# punctuation and emoji, so «✅ Готово», "In-Progress" and "Done (June)" match, but
# «Подготовка» is not «готов…»). Kinds are tried in this order, and a list that matches
# nothing becomes a "todo" column. Hints in Chinese, Japanese and Korean match anywhere
# in the name (those scripts do not separate words). The report of the import lists
# every column's kind and how it was found.
COLUMN_KIND_NAMES: dict[str, tuple[str, ...]] = {
    "todo": (
        # ru, uk
        "к выполнению", "сделать", "заплан", "не начат", "зробити", "до виконання",
        # en
        "to do", "todo", "next", "planned", "not started",
        # es, pt, it
        "por hacer", "pendiente", "sin empezar", "a fazer", "por fazer", "pendente",
        "da fare",
        # de, fr, pl
        "zu erledigen", "zu tun", "offen", "nicht begonnen", "à faire", "a faire",
        "do zrobienia",
        # zh, ja
        "待办", "未着手",
    ),
    "done": (
        # ru, uk
        "готов", "сделано", "выполнено", "заверш", "закрыт", "виконано", "зроблено",
        # en
        "done", "closed", "complete", "finished", "shipped", "released",
        # es
        "terminad", "finalizad", "hecho", "completad", "listo",
        # pt
        "feito", "concluíd", "concluid", "pronto",
        # de
        "erledigt", "fertig", "abgeschlossen",
        # fr
        "terminé", "termine", "fait", "fini",
        # it, pl
        "fatto", "completat", "zrobione", "gotowe", "zakończ",
        # zh, ja
        "完成", "完了",
    ),
    "review": (
        # ru, uk
        "ревью", "провер", "тестир", "перевір", "тестув",
        # en
        "review", "qa", "testing", "test", "verify", "approval",
        # es, pt, it
        "revisión", "revision", "revisão", "revisao", "pruebas",
        "testes", "verifica",
        # de, fr, pl
        "prüfung", "überprüfung", "abnahme", "relecture", "validation", "à valider",
        "recette", "weryfikacja", "przegląd",
        # zh, ja
        "审核", "测试", "レビュー",
    ),
    "in_progress": (
        # ru, uk
        "в работе", "в процессе", "делаем", "выполняется", "в роботі", "у роботі",
        "в процесі", "робимо",
        # en
        "doing", "in progress", "progress", "wip", "ongoing", "started", "working",
        # es, pt, it
        "haciendo", "en curso", "en progreso", "en proceso", "fazendo",
        "em andamento", "em progresso", "in corso",
        # de, fr, pl
        "in arbeit", "in bearbeitung", "läuft", "en cours", "w trakcie", "w toku",
        # zh, ja
        "进行", "進行", "作業中",
    ),
    "backlog": (
        # ru, uk
        "бэклог", "беклог", "идеи", "ідеї", "когда-нибудь",
        # en
        "backlog", "ideas", "later", "icebox", "someday",
        # es, pt, it, de, fr, pl
        "ideias", "idee", "ideen", "idées", "pomysły", "más adelante", "später",
        "plus tard",
    ),
}  # fmt: skip

# Trello's colours (with their _dark / _light shades) → InternHub's label colours.
TRELLO_COLORS = {
    "green": "green",
    "yellow": "yellow",
    "orange": "orange",
    "red": "red",
    "purple": "purple",
    "blue": "blue",
    "sky": "sky",
    "lime": "lime",
    "pink": "pink",
    "black": "black",
}


# The board's CSV export, in one language per locale (`?lang=` or Accept-Language; Russian
# first): its header row, and the words of its status column (a column's kind, or
# "archived").
CSV_LANGUAGES = ("ru", "en")
CSV_HEADERS: dict[str, tuple[str, ...]] = {
    "ru": ("Колонка", "Название", "Исполнители", "Метки", "Срок", "Статус", "Оценка", "Завершена"),
    "en": ("Column", "Title", "Assignees", "Labels", "Due", "Status", "Estimate", "Completed"),
}
CSV_STATUSES: dict[str, dict[str, str]] = {
    "ru": {
        "backlog": "Бэклог",
        "todo": "К выполнению",
        "in_progress": "В работе",
        "review": "На проверке",
        "done": "Готово",
        "archived": "В архиве",
    },
    "en": {
        "backlog": "Backlog",
        "todo": "To do",
        "in_progress": "In progress",
        "review": "Review",
        "done": "Done",
        "archived": "Archived",
    },
}
