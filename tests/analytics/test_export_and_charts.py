"""CSV and XLSX exports of the intern and team tables, and the SVG charts."""

import csv
import io
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.analytics.conftest import API, COHORT_PERIOD, World, ok, problem

BOM = b"\xef\xbb\xbf"
SVG_NS = "http://www.w3.org/2000/svg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INTERN_HEADERS = [
    "Стажёр",
    "Логин",
    "Назначено задач",
    "Выполнено",
    "Доля выполненных",
    "Доля в срок",
    "Просрочено открытых",
    "Средняя оценка",
    "Оценка с учётом оценки трудоёмкости",
    "Доля возвратов",
    "Медиана цикла, ч",
    "Медиана сквозного времени, ч",
    "Индекс прогресса",
    "Риски",
]
TEAM_HEADERS = [
    "Команда",
    "Задач",
    "Выполнено",
    "Доля выполненных",
    "Доля в срок",
    "Просрочено открытых",
    "Средняя оценка",
    "Доля возвратов",
    "Медиана цикла, ч",
    "Индекс прогресса",
]


async def _export(
    client: httpx.AsyncClient, world: World, who: str = "admin", **params: str
) -> httpx.Response:
    return await client.get(
        f"{API}/internships/{world.internship_id}/analytics/export",
        params={**COHORT_PERIOD, **params},
        headers=world.h(who),
    )


def _csv_rows(response: httpx.Response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx_rows(response: httpx.Response, sheet: str) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [sheet]
    return [list(row) for row in workbook[sheet].iter_rows(values_only=True)]


def _cell(value: Any) -> Any:
    """One cell of either file as a comparable value: none, a number or text (the CSV
    writes numbers with a decimal comma; the workbook reads 4.0 back as 4)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return value


def _same(rows: list[list[Any]]) -> list[list[Any]]:
    return [[_cell(v) for v in row] for row in rows]


async def _reasons(client: httpx.AsyncClient, world: World) -> dict[str, str]:
    """Each intern's flags as the export joins them, from the JSON dashboard."""
    body = ok(
        await client.get(
            f"{API}/internships/{world.internship_id}/analytics",
            params=COHORT_PERIOD,
            headers=world.h("admin"),
        )
    )
    return {r["full_name"]: "; ".join(f["reason"] for f in r["flags"]) for r in body["interns"]}


# --- CSV ---------------------------------------------------------------------------------


async def test_csv_starts_with_bom_uses_semicolons_and_russian_headers(
    client: httpx.AsyncClient, cohort: World
) -> None:
    response = await _export(client, cohort)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="internship-{cohort.internship_id}-interns.csv"'
    )
    assert response.content.startswith(BOM)
    assert not response.content[3:].startswith(BOM)
    first_line = response.content.decode("utf-8-sig").split("\r\n")[0]
    assert first_line == ";".join(INTERN_HEADERS)


async def test_csv_rows_carry_the_metrics_and_cyrillic_names_intact(
    client: httpx.AsyncClient, cohort: World
) -> None:
    reasons = await _reasons(client, cohort)
    rows = _csv_rows(await _export(client, cohort))
    assert rows[0] == INTERN_HEADERS
    expected = [
        "Волков Пётр;p.volkov;2;1;0,5;;0;4,0;4,0;0,0;25,0;28,0;63,3",
        "Жукова Елена;e.zhukova;0;0;;;0;;;;;;",
        "Орлов Дмитрий;d.orlov;1;1;1,0;1,0;0;4,5;4,5;0,0;8,0;9,0;95,0",
        "Сидорова Анна;a.sidorova;4;3;0,75;0,6667;1;4,0;3,75;0,25;24,0;27,0;70,4",
    ]
    assert rows[1:] == [[*line.split(";"), reasons[line.split(";")[0]]] for line in expected]
    assert reasons["Жукова Елена"] == "Нет активности ни разу (порог — 5 дн.)"
    # Анна: inactive since March and C4 stuck in progress; two reasons in one cell.
    assert reasons["Сидорова Анна"].startswith("Нет активности ")
    assert reasons["Сидорова Анна"].endswith("; Задач без движения дольше 7 дн.: 1")


async def test_csv_of_teams(client: httpx.AsyncClient, cohort: World) -> None:
    response = await _export(client, cohort, table="teams")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="internship-{cohort.internship_id}-teams.csv"'
    )
    assert response.content.startswith(BOM)
    assert _csv_rows(response) == [
        TEAM_HEADERS,
        ["Команда Альфа", "7", "4", "0,5714", "0,6667", "1", "4,0", "0,2", "24,5", "64,7"],
        ["Команда Бета", "1", "1", "1,0", "1,0", "0", "4,5", "0,0", "8,0", "95,0"],
    ]


async def test_mentor_exports_only_their_interns(client: httpx.AsyncClient, cohort: World) -> None:
    rows = _csv_rows(await _export(client, cohort, "mentor_b"))
    assert [r[0] for r in rows[1:]] == ["Жукова Елена", "Орлов Дмитрий"]
    teams = _csv_rows(await _export(client, cohort, "mentor_b", table="teams"))
    assert [r[0] for r in teams[1:]] == ["Команда Бета"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_interns_cannot_export(client: httpx.AsyncClient, world: World, fmt: str) -> None:
    problem(
        await _export(client, world, "intern_a", format=fmt), 403, "analytics_permission_denied"
    )


# --- XLSX --------------------------------------------------------------------------------


async def test_xlsx_opens_and_has_the_same_rows_as_the_csv(
    client: httpx.AsyncClient, cohort: World
) -> None:
    response = await _export(client, cohort, format="xlsx")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == (
        f'attachment; filename="internship-{cohort.internship_id}-interns.xlsx"'
    )
    rows = _xlsx_rows(response, "Стажёры")
    assert rows[0] == INTERN_HEADERS
    csv_rows = _csv_rows(await _export(client, cohort))
    assert _same(rows) == _same(csv_rows)
    # Numbers stay numbers in the workbook.
    anna = rows[4]
    assert anna[:13] == [
        "Сидорова Анна",
        "a.sidorova",
        4,
        3,
        0.75,
        0.6667,
        1,
        4.0,
        3.75,
        0.25,
        24.0,
        27.0,
        70.4,
    ]


async def test_xlsx_of_teams_has_the_same_rows_as_the_csv(
    client: httpx.AsyncClient, cohort: World
) -> None:
    rows = _xlsx_rows(await _export(client, cohort, table="teams", format="xlsx"), "Команды")
    csv_rows = _csv_rows(await _export(client, cohort, table="teams"))
    assert rows[0] == TEAM_HEADERS
    assert _same(rows) == _same(csv_rows)
    assert rows[1][:4] == ["Команда Альфа", 7, 4, 0.5714]


# --- SVG ---------------------------------------------------------------------------------


def _charts(world: World) -> dict[str, tuple[str, str, str]]:
    """name → (path, caller, Cyrillic title)."""
    internship = f"{API}/internships/{world.internship_id}/analytics"
    board = f"{API}/boards/{world.board_ids['a']}/analytics/charts"
    return {
        "grades": (f"{internship}/charts/grades.svg", "observer", "Распределение оценок"),
        "intern": (
            f"{internship}/interns/{world.uid('intern_a')}/charts/throughput.svg",
            "intern_a",
            "Выполнено за неделю — Сидорова Анна",
        ),
        "team": (
            f"{API}/teams/{world.team_ids['a']}/analytics/charts/throughput.svg",
            "mentor_a",
            "Выполнено за неделю — команда «Команда Альфа»",
        ),
        "flow": (f"{board}/flow.svg", "intern_a2", "Накопительная диаграмма потока"),
        "burndown": (f"{board}/burndown.svg", "mentor_a", "Диаграмма сгорания"),
    }


def _safe_svg(response: httpx.Response) -> ET.Element:
    """Parses as SVG; no scripts, no event handlers, nothing fetched from outside."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
    assert root.tag == f"{{{SVG_NS}}}svg"
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        assert local not in {"script", "foreignobject", "image", "use", "a"}, local
        for name in element.attrib:
            assert not name.lower().startswith("on"), name
            assert "href" not in name.lower(), name
    markup = response.content.decode("utf-8")
    assert "<script" not in markup.lower()
    assert "http" not in markup.replace(f'xmlns="{SVG_NS}"', "")
    assert "url(" not in markup
    return root


def _title(root: ET.Element) -> str:
    title = root.find(f"{{{SVG_NS}}}title")
    assert title is not None
    return title.text or ""


@pytest.mark.parametrize("chart", ["grades", "intern", "team", "flow", "burndown"])
async def test_svg_chart_is_safe_xml_with_its_cyrillic_title(
    client: httpx.AsyncClient, cohort: World, chart: str
) -> None:
    path, who, title = _charts(cohort)[chart]
    response = await client.get(path, params=COHORT_PERIOD, headers=cohort.h(who))
    root = _safe_svg(response)
    assert _title(root) == title
    assert title in response.content.decode("utf-8")


def _bar_tips(root: ET.Element) -> list[str]:
    return [
        tip.text or ""
        for rect in root.iter(f"{{{SVG_NS}}}rect")
        for tip in rect.findall(f"{{{SVG_NS}}}title")
    ]


async def test_grades_chart_draws_one_bar_per_bucket(
    client: httpx.AsyncClient, cohort: World
) -> None:
    path, who, _ = _charts(cohort)["grades"]
    root = _safe_svg(await client.get(path, params=COHORT_PERIOD, headers=cohort.h(who)))
    assert _bar_tips(root) == ["3: 1", "4: 2", "5: 2"]


async def test_throughput_chart_draws_one_bar_per_moscow_week(
    client: httpx.AsyncClient, cohort: World
) -> None:
    path, who, _ = _charts(cohort)["intern"]
    root = _safe_svg(await client.get(path, params=COHORT_PERIOD, headers=cohort.h(who)))
    assert _bar_tips(root) == ["02.03: 2", "09.03: 1"]


async def test_chart_without_data_says_so(client: httpx.AsyncClient, world: World) -> None:
    path, who, _ = _charts(world)["grades"]
    root = _safe_svg(await client.get(path, params=COHORT_PERIOD, headers=world.h(who)))
    texts = [t.text for t in root.iter(f"{{{SVG_NS}}}text")]
    assert "Нет данных" in texts


async def test_markup_in_names_is_escaped_in_charts(
    client: httpx.AsyncClient, session: AsyncSession, cohort: World
) -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror="alert(1)">Ко'
    await session.execute(
        text("UPDATE users SET full_name = :n WHERE id = :id"),
        {"n": hostile, "id": cohort.uid("intern_a")},
    )
    await session.execute(
        text("UPDATE teams SET name = :n WHERE id = :id"),
        {"n": hostile, "id": cohort.team_ids["a"]},
    )
    await session.commit()
    charts = _charts(cohort)
    for chart, prefix in (
        ("intern", "Выполнено за неделю — "),
        ("team", "Выполнено за неделю — команда «"),
    ):
        path, who, _ = charts[chart]
        root = _safe_svg(await client.get(path, params=COHORT_PERIOD, headers=cohort.h(who)))
        assert _title(root).startswith(prefix + hostile)
