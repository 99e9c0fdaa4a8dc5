"""Charts drawn on the server as inline SVG: no script, no library. Each chart is an
image with a <title> and a <desc> (screen readers announce them); pages put the same
numbers in a table below it. The SVG is built with ElementTree, so it is well-formed
and every label is escaped."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
FONT = {"font-family": "system-ui, sans-serif", "font-size": "12", "fill": "#1d2330"}
GRID = "#d9dee8"
MAX_X_LABELS = 12
# Colour and dash pattern per series, so lines stay apart without colour too.
STYLES = [("#2454d6", ""), ("#1f7a4d", "7 4"), ("#a15c00", "2 3"), ("#b42318", "10 3 2 3")]
BAR = "#2454d6"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(chart_id: str, title: str, description: str, height: int) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "id": chart_id,
            "class": "chart",
            **FONT,
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = description
    return svg


def _done(svg: ET.Element) -> SafeString:
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # built and escaped by ElementTree


def _text(parent: ET.Element, x: float, y: float, text: str, **attrs: str) -> None:
    ET.SubElement(parent, "text", {"x": _num(x), "y": _num(y), **attrs}).text = text


def nice_ticks(low: int, high: int, parts: int = 4) -> list[int]:
    """Whole-number axis ticks from at or below `low` to at or above `high`, 1, 2, 2.5 or
    5 times a power of ten apart."""
    raw = max((high - low) / parts, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(
        int(m * magnitude)
        for m in (1, 2, 2.5, 5, 10)
        if m * magnitude >= raw and m * magnitude == int(m * magnitude)
    )
    first = math.floor(low / step) * step
    last = max(math.ceil(high / step) * step, first + step)
    return list(range(first, last + 1, step))


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    axis_label: Callable[[int], str],
    value_label: Callable[[int], str],
) -> SafeString:
    """One line per series over the `labels` (x axis), with a legend; each point's
    <title> reads "label: series value"."""
    height, left, right, top, bottom = 320, 88, 40, 16, 64
    svg = _svg(chart_id, title, description, height)
    values = [v for s in series for v in s.values]
    ticks = nice_ticks(min([0, *values]), max([0, *values]))
    x0, x1, y0, y1 = left, WIDTH - right, top, height - bottom

    def y(value: int) -> float:
        return y1 - (value - ticks[0]) * (y1 - y0) / (ticks[-1] - ticks[0])

    def x(index: int) -> float:
        return (x0 + x1) / 2 if len(labels) == 1 else x0 + index * (x1 - x0) / (len(labels) - 1)

    axis = ET.SubElement(svg, "g", {"class": "axis"})
    for tick in ticks:
        ET.SubElement(
            axis,
            "line",
            {
                "x1": _num(x0),
                "x2": _num(x1),
                "y1": _num(y(tick)),
                "y2": _num(y(tick)),
                "stroke": GRID,
            },
        )
        _text(axis, x0 - 6, y(tick) + 4, axis_label(tick), **{"text-anchor": "end"})
    every = math.ceil(len(labels) / MAX_X_LABELS)
    for index, label in enumerate(labels):
        if index % every == 0:
            _text(axis, x(index), y1 + 18, label, **{"text-anchor": "middle"})

    for number, (line, (colour, dash)) in enumerate(zip(series, STYLES, strict=False)):
        group = ET.SubElement(svg, "g", {"class": f"series series-{number}"})
        style = {"stroke": colour, "stroke-width": "2", "fill": "none"}
        if dash:
            style["stroke-dasharray"] = dash
        points = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(line.values))
        ET.SubElement(group, "polyline", {"points": points, **style})
        for index, value in enumerate(line.values):
            point = ET.SubElement(
                group,
                "circle",
                {"cx": _num(x(index)), "cy": _num(y(value)), "r": "3", "fill": colour},
            )
            ET.SubElement(
                point, "title"
            ).text = f"{labels[index]}: {line.name} {value_label(value)}"
        legend_x = x0 + number * 200
        ET.SubElement(
            group,
            "line",
            {
                "x1": _num(legend_x),
                "x2": _num(legend_x + 28),
                "y1": _num(height - 14),
                "y2": _num(height - 14),
                **style,
            },
        )
        _text(group, legend_x + 34, height - 10, line.name)
    return _done(svg)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[int],
    value_label: Callable[[int], str] = str,
) -> SafeString:
    """Horizontal bars, one per label, each with its value written at its end."""
    row, left, right, top = 28, 150, 64, 8
    height = top * 2 + row * len(labels)
    svg = _svg(chart_id, title, description, height)
    widest = max([1, *values])
    span = WIDTH - left - right
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        group = ET.SubElement(svg, "g", {"class": "bar"})
        y = top + index * row
        _text(group, left - 8, y + row / 2 + 4, label, **{"text-anchor": "end"})
        width = span * value / widest
        bar = ET.SubElement(
            group,
            "rect",
            {
                "x": _num(left),
                "y": _num(y + 4),
                "width": _num(width),
                "height": _num(row - 8),
                "fill": BAR,
            },
        )
        ET.SubElement(bar, "title").text = f"{label}: {value_label(value)}"
        _text(group, left + width + 6, y + row / 2 + 4, value_label(value))
    return _done(svg)
