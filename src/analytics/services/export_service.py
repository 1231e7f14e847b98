"""The intern and team tables as CSV (UTF-8 with BOM, `;`: Excel opens Cyrillic right)
and as XLSX (openpyxl)."""

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..schemas.analytics_schema import InternMetrics, TeamMetrics

INTERN_COLUMNS: list[tuple[str, str]] = [
    ("full_name", "Стажёр"),
    ("username", "Логин"),
    ("assigned", "Назначено задач"),
    ("completed", "Выполнено"),
    ("completion_rate", "Доля выполненных"),
    ("on_time_rate", "Доля в срок"),
    ("open_overdue", "Просрочено открытых"),
    ("average_grade", "Средняя оценка"),
    ("weighted_grade", "Оценка с учётом оценки трудоёмкости"),
    ("rework_rate", "Доля возвратов"),
    ("cycle_hours_median", "Медиана цикла, ч"),
    ("lead_hours_median", "Медиана сквозного времени, ч"),
    ("progress_score", "Индекс прогресса"),
    ("flags", "Риски"),
]
TEAM_COLUMNS: list[tuple[str, str]] = [
    ("name", "Команда"),
    ("assigned", "Задач"),
    ("completed", "Выполнено"),
    ("completion_rate", "Доля выполненных"),
    ("on_time_rate", "Доля в срок"),
    ("open_overdue", "Просрочено открытых"),
    ("average_grade", "Средняя оценка"),
    ("rework_rate", "Доля возвратов"),
    ("cycle_hours_median", "Медиана цикла, ч"),
    ("progress_score", "Индекс прогресса"),
]


def _value(row: InternMetrics | TeamMetrics, key: str) -> Any:
    value = getattr(row, key)
    if key == "flags":
        value = "; ".join(flag.reason for flag in value)
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        # Spreadsheets would run it as a formula (CSV/formula injection).
        return "'" + value
    return value


def table_rows(
    rows: Sequence[InternMetrics | TeamMetrics], columns: list[tuple[str, str]]
) -> list[list[Any]]:
    return [[_value(row, key) for key, _ in columns] for row in rows]


def to_csv(rows: Sequence[InternMetrics | TeamMetrics], columns: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([title for _, title in columns])
    for values in table_rows(rows, columns):
        writer.writerow(
            [
                "" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v
                for v in values
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(
    rows: Sequence[InternMetrics | TeamMetrics], columns: list[tuple[str, str]], title: str
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([title for _, title in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in table_rows(rows, columns):
        sheet.append(values)
    for index, (_, heading) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(heading) + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
