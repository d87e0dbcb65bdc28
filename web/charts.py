"""Bar charts as inline SVG, rendered on the server: nothing loads from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 16, 42


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: list[int]


def bar_chart(
    labels: list[str],
    series: list[Series],
    title: str,
    goal: int | None = None,
    goal_label: str = "",
) -> Markup:
    """Stacked bars, one per label, one colour per series, an optional dashed goal line."""
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = max([*totals, goal or 0, 1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    bar_w = max(min(slot * 0.7, 48), 2)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<line class="axis" x1="{LEFT}" y1="{y(0):.1f}" x2="{WIDTH - RIGHT}" y2="{y(0):.1f}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{y(top) + 4:.1f}" text-anchor="end">{top}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>',
    ]
    # Every label would crowd a long month axis; about a dozen are enough to read it.
    every = max(1, round(len(labels) / 12))
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar_w) / 2
        base = 0
        for k, s in enumerate(series):
            value = s.values[i]
            if value:
                out.append(
                    f'<rect class="bar s{k}" x="{x:.1f}" y="{y(base + value):.1f}" '
                    f'width="{bar_w:.1f}" height="{y(base) - y(base + value):.1f}">'
                    f"<title>{escape(label)}: {escape(s.name)} {value}</title></rect>"
                )
            base += value
        if totals[i]:
            out.append(
                f'<text class="value" x="{x + bar_w / 2:.1f}" y="{y(totals[i]) - 3:.1f}" '
                f'text-anchor="middle">{totals[i]}</text>'
            )
        if i % every == 0:
            out.append(
                f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    if goal is not None:
        out.append(
            f'<line class="goal" x1="{LEFT}" y1="{y(goal):.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y(goal):.1f}"/><text class="goal-label" x="{WIDTH - RIGHT}" '
            f'y="{y(goal) - 4:.1f}" text-anchor="end">{escape(goal_label)}</text>'
        )
    if len(series) > 1:
        for k, s in enumerate(series):
            lx = LEFT + k * 150
            out.append(
                f'<rect class="bar s{k}" x="{lx}" y="{HEIGHT - 14}" width="10" height="10"/>'
                f'<text class="tick" x="{lx + 14}" y="{HEIGHT - 5}">{escape(s.name)}</text>'
            )
    out.append("</svg>")
    return Markup("".join(out))
