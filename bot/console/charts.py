"""Server-rendered SVG charts for the dashboard: no JavaScript, no CDN, readable at 360 px.

Every label is escaped here, so the returned Markup can be put into a page as it is. Colours
and sizes are SVG presentation attributes (the CSP forbids inline `style`). Values are written
on the chart as text, so it can be read without colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

WIDTH, HEIGHT = 340, 210
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 28, 44
PALETTE = ("#0b5cad", "#e08a00", "#2f8f46", "#a4161a")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no data for that bucket (not drawn as 0)
    color: str = ""


def _num(value: float, suffix: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return text.replace(".", ",") + suffix  # Vietnamese decimal comma


def _scale_max(series: Sequence[Series], fixed: float | None) -> float:
    if fixed is not None:
        return fixed
    top = max((v for s in series for v in s.values if v is not None), default=0.0)
    if top <= 0:
        return 4.0
    magnitude = 10 ** max(0, len(str(int(top / 4))) - 1)
    step = next(m * magnitude for m in (1, 2, 3, 4, 5, 6, 8, 10) if m * magnitude * 4 >= top)
    return float(step * 4)  # four whole-number grid steps


def _frame(title: str, y_label: str, x_label: str, y_max: float, suffix: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<text x="{WIDTH / 2}" y="14" text-anchor="middle" font-size="12" font-weight="600" '
        f'fill="#1b1f24">{escape(title)}</text>',
        f'<text x="10" y="{TOP + plot_h / 2}" font-size="10" fill="#445" text-anchor="middle" '
        f'transform="rotate(-90 10 {TOP + plot_h / 2})">{escape(y_label)}</text>',
        f'<text x="{LEFT + (WIDTH - LEFT - RIGHT) / 2}" y="{HEIGHT - 4}" font-size="10" '
        f'fill="#445" text-anchor="middle">{escape(x_label)}</text>',
    ]
    for i in range(5):  # grid lines and y ticks
        value = y_max * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="#d8dde3" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y + 3:.1f}" font-size="9" fill="#556" '
            f'text-anchor="end">{escape(_num(value, suffix))}</text>'
        )
    return parts


def _legend(series: Sequence[Series], extra: str = "") -> list[str]:
    parts, x = [], LEFT
    y = HEIGHT - 18
    for i, s in enumerate(series):
        color = s.color or PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{x}" y="{y - 8}" width="9" height="9" fill={quoteattr(color)}/>'
            f'<text x="{x + 12}" y="{y}" font-size="9" fill="#1b1f24">{escape(s.name)}</text>'
        )
        x += 18 + int(len(s.name) * 5.2)
    if extra:
        parts.append(
            f'<line x1="{x}" y1="{y - 4}" x2="{x + 12}" y2="{y - 4}" stroke="#a4161a" '
            f'stroke-dasharray="3 2" stroke-width="1.5"/>'
            f'<text x="{x + 15}" y="{y}" font-size="9" fill="#1b1f24">{escape(extra)}</text>'
        )
    return parts


def _svg(title: str, parts: list[str]) -> Markup:
    body = "".join(parts)
    return Markup(  # noqa: S704 - every text in `parts` went through escape()/quoteattr()
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label={quoteattr(title)} xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{body}</svg>"
    )


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_label: str,
    x_label: str,
    y_max: float | None = None,
    suffix: str = "",
    target: float | None = None,
    target_label: str = "",
) -> Markup:
    """Grouped bars per label; an optional dashed target line (e.g. 97 %)."""
    top = _scale_max(series, y_max)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _frame(title, y_label, x_label, top, suffix)
    slot = plot_w / max(1, len(labels))
    bar_w = max(3.0, min(22.0, (slot - 4) / max(1, len(series))))
    for i, label in enumerate(labels):
        x0 = LEFT + slot * i + (slot - bar_w * len(series)) / 2
        parts.append(
            f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{TOP + plot_h + 12}" font-size="9" '
            f'fill="#445" text-anchor="middle">{escape(label)}</text>'
        )
        for j, s in enumerate(series):
            value = s.values[i] if i < len(s.values) else None
            if value is None:
                continue
            h = plot_h * min(value, top) / top
            x = x0 + bar_w * j
            color = s.color or PALETTE[j % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill={quoteattr(color)}>'
                f"<title>{escape(f'{s.name}, {label}: {_num(value, suffix)}')}</title></rect>"
            )
            if len(labels) * len(series) <= 12:  # room for the number on top of the bar
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - h - 2:.1f}" '
                    f'font-size="8" text-anchor="middle" fill="#1b1f24">'
                    f"{escape(_num(value, suffix))}</text>"
                )
    if target is not None and 0 <= target <= top:
        y = TOP + plot_h - plot_h * target / top
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#a4161a" '
            f'stroke-dasharray="3 2" stroke-width="1.5"/>'
        )
    parts += _legend(series, target_label if target is not None else "")
    return _svg(title, parts)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_label: str,
    x_label: str,
    suffix: str = "",
) -> Markup:
    """One polyline per series with a dot and the value at each point."""
    top = _scale_max(series, None)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _frame(title, y_label, x_label, top, suffix)
    slot = plot_w / max(1, len(labels))
    xs = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{xs[i]:.1f}" y="{TOP + plot_h + 12}" font-size="9" fill="#445" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for j, s in enumerate(series):
        color = s.color or PALETTE[j % len(PALETTE)]
        points = [
            (xs[i], TOP + plot_h - plot_h * min(v, top) / top, v)
            for i, v in enumerate(s.values[: len(labels)])
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke={quoteattr(color)} '
                f'stroke-width="2"/>'
            )
        for x, y, v in points:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill={quoteattr(color)}/>'
                f'<text x="{x:.1f}" y="{y - 4:.1f}" font-size="8" text-anchor="middle" '
                f"fill={quoteattr(color)}>{escape(_num(v, suffix))}</text>"
            )
    parts += _legend(series)
    return _svg(title, parts)
