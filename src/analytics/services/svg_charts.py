"""Small server-side SVG charts: no scripts, no external fonts; Cyrillic text renders
with the viewer's own sans-serif font."""

from collections.abc import Sequence
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 36, 48
COLORS = {
    "backlog": "#9aa5b1",
    "todo": "#5b8def",
    "in_progress": "#f0a030",
    "review": "#a06cd5",
    "done": "#3bb273",
}
KIND_NAMES = {
    "backlog": "Бэклог",
    "todo": "К выполнению",
    "in_progress": "В работе",
    "review": "На проверке",
    "done": "Готово",
}


def _frame(title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12" role="img">'
        f"<title>{escape(title)}</title>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>'
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold">{escape(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def _axes(max_value: float, labels: Sequence[str]) -> tuple[list[str], float, float]:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    top = max_value if max_value > 0 else 1
    parts = [
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#333"/>',
    ]
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#eee"/>'
        )
    every = max(1, len(labels) // 12)
    slot = plot_w / max(1, len(labels))
    for index, label in enumerate(labels):
        if index % every == 0:
            x = LEFT + slot * (index + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
            )
    return parts, plot_h / top, slot


def bar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], *, empty: str = "Нет данных"
) -> str:
    if not values:
        return _frame(
            title,
            [f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">{escape(empty)}</text>'],
        )
    parts, scale, slot = _axes(max(values), labels)
    base = HEIGHT - BOTTOM
    for index, value in enumerate(values):
        height = value * scale
        x = LEFT + slot * index + slot * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{base - height:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{height:.1f}" fill="#5b8def"><title>{escape(labels[index])}: {value:g}</title></rect>'
        )
    return _frame(title, parts)


def stacked_area_chart(
    title: str, labels: Sequence[str], series: dict[str, Sequence[float]]
) -> str:
    """Cumulative flow: the series stacked in the order given (done at the bottom)."""
    if not labels:
        return bar_chart(title, [], [])
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    parts, scale, slot = _axes(max(totals) if totals else 0, labels)
    base = HEIGHT - BOTTOM
    lower = [0.0] * len(labels)
    for name, values in series.items():
        upper = [lower[i] + values[i] for i in range(len(labels))]
        xs = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
        top_points = " ".join(
            f"{x:.1f},{base - u * scale:.1f}" for x, u in zip(xs, upper, strict=True)
        )
        bottom_points = " ".join(
            f"{x:.1f},{base - low * scale:.1f}"
            for x, low in reversed(list(zip(xs, lower, strict=True)))
        )
        parts.append(
            f'<polygon points="{top_points} {bottom_points}" fill="{COLORS.get(name, "#888")}" '
            f'fill-opacity="0.85"><title>{escape(KIND_NAMES.get(name, name))}</title></polygon>'
        )
        lower = upper
    parts += _legend(list(series))
    return _frame(title, parts)


def line_chart(title: str, labels: Sequence[str], series: dict[str, Sequence[float]]) -> str:
    if not labels:
        return bar_chart(title, [], [])
    peak = max((max(values) for values in series.values() if values), default=0)
    parts, scale, slot = _axes(peak, labels)
    base = HEIGHT - BOTTOM
    palette = ["#e4572e", "#9aa5b1", "#5b8def", "#3bb273"]
    for index, (name, values) in enumerate(series.items()):
        points = " ".join(
            f"{LEFT + slot * (i + 0.5):.1f},{base - v * scale:.1f}" for i, v in enumerate(values)
        )
        dash = ' stroke-dasharray="6 4"' if index else ""
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{palette[index % 4]}" '
            f'stroke-width="2"{dash}><title>{escape(name)}</title></polyline>'
        )
    parts += _legend(list(series), palette)
    return _frame(title, parts)


def _legend(names: list[str], palette: list[str] | None = None) -> list[str]:
    parts = []
    x = WIDTH - RIGHT - 130 * len(names)
    for index, name in enumerate(names):
        color = palette[index % len(palette)] if palette else COLORS.get(name, "#888")
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - 18}" width="10" height="10" fill="{color}"/>'
            f'<text x="{x + 14:.1f}" y="{HEIGHT - 9}">{escape(KIND_NAMES.get(name, name))}</text>'
        )
        x += 130
    return parts
