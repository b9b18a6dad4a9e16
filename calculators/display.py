"""How a result looks, described once as data, for the build and the browser alike.

`display(calculator, result)` gives the result area of a calculator as small trees of
nodes: an element is {"tag": ..., "attrs": {...}, "children": [...]}, a text is a
plain string. The build writes them as escaped HTML (macros/page/forms.py) and the
browser builds them with DOM calls (docs/javascripts/calculators.js); neither knows
any particular calculator, and a change to how a result looks is made here only.

Only the tags and attributes below may appear: both renderers refuse anything else,
so no tree can carry a script, an event handler, a link or an inline style.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .calculator import Calculator
from .chart import line_chart
from .money import dollars, percent, whole_dollars

__all__ = ["ATTRIBUTES", "HTML_TAGS", "PARTS", "SVG_TAGS", "display", "display_rows", "element"]

HTML_TAGS = frozenset({
    "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "li", "p", "span", "strong",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
})
SVG_TAGS = frozenset({"line", "polyline", "svg", "text"})
ATTRIBUTES = frozenset({
    "aria-hidden", "aria-label", "class", "hidden", "role", "scope", "tabindex",
    "data-display", "data-output", "data-output-chart", "data-output-row", "data-output-table",
    "data-summary", "data-warnings",
    # SVG geometry and presentation attributes (not style=: the CSP allows no inline style).
    "dominant-baseline", "fill", "points", "text-anchor", "viewBox", "x", "x1", "x2", "y", "y1",
    "y2",
})
# The parts of a calculator's result area, each a tree whose root has data-display=<part>.
PARTS = ("summary", "outputs", "warnings", "details")

Node = dict[str, Any] | str


def element(tag: str, attrs: Mapping[str, Any] | None = None, *children: Node) -> dict[str, Any]:
    """An element node; attribute values become text, None leaves the attribute out."""
    if tag not in HTML_TAGS | SVG_TAGS:
        raise ValueError(f"display: tag '{tag}' is not allowed")
    attributes = {}
    for name, value in (attrs or {}).items():
        if name not in ATTRIBUTES:
            raise ValueError(f"display: attribute '{name}' is not allowed")
        if value is not None:
            attributes[name] = str(value)
    # An empty text is no node at all, as when the browser parses the built page.
    return {"tag": tag, "attrs": attributes, "children": [c for c in children if c != ""]}


def _cell(value: Any, unit: str) -> str:
    if value is None:
        return ""
    if unit == "dollars":
        return dollars(value)
    if unit == "whole_dollars":
        return whole_dollars(value)
    if unit == "percent":
        return percent(value)
    return str(value)


def display_rows(calculator: Calculator, result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each output's content, before it is laid out.

    Values: {name, label, kind: "value", text (None when not applicable), headline}.
    Tables: {name, label, kind: "table", columns: [labels], numeric: [bools], rows: [[texts]]}.
    Charts: {name, label, kind: "chart", chart: line-chart geometry}.
    """
    rows = []
    for output in calculator.outputs:
        row: dict[str, Any] = {"name": output.name, "label": output.label}
        if output.unit == "table":
            row |= {
                "kind": "table",
                "columns": [label for _, label, _ in output.columns],
                "numeric": [unit != "text" for _, _, unit in output.columns],
                "rows": [[_cell(item[key], unit) for key, _, unit in output.columns]
                         for item in result[output.name]],
            }
        elif output.unit == "chart":
            items = result[output.source]
            row |= {
                "kind": "chart",
                "chart": line_chart(
                    output.label,
                    [item["year"] for item in items],
                    [(label, [item[key] for item in items]) for key, label, _ in output.columns],
                ),
            }
        else:
            value = result.get(output.name)
            row |= {
                "kind": "value",
                "text": None if value is None else _cell(value, output.unit),
                "headline": output.headline,
            }
        rows.append(row)
    return rows


def display(calculator: Calculator, result: Mapping[str, Any]) -> dict[str, dict[str, Any] | None]:
    """The result area as trees: {part: tree} for each of PARTS (details None when empty)."""
    rows = display_rows(calculator, result)
    headline = next(row for row in rows if row["kind"] == "value" and row["headline"])
    return {
        # On phones the results sit below a long form: this line keeps the answer in view.
        "summary": element(
            "p", {"class": "calculator__summary", "aria-hidden": "true", "data-summary": "",
                  "data-display": "summary"},
            f"{headline['label']}: ", element("strong", {}, headline["text"] or "")),
        "outputs": element("dl", {"class": "calculator__outputs", "data-display": "outputs"},
                           _year(result["year"]),
                           *(_value(row) for row in rows if row["kind"] == "value")),
        "warnings": element("ul", {"class": "calculator__warnings", "data-warnings": "",
                                   "data-display": "warnings"},
                            *(element("li", {}, text) for text in result["warnings"])),
        "details": _details(rows),
    }


def _value(row: dict[str, Any]) -> dict[str, Any]:
    kind = "calculator__output" + (" calculator__output--headline" if row["headline"] else "")
    return element(
        "div", {"class": kind, "data-output-row": row["name"],
                "hidden": "" if row["text"] is None else None},
        element("dt", {}, row["label"]),
        element("dd", {"data-output": row["name"]}, row["text"] or ""))


def _year(year: int) -> dict[str, Any]:
    """Whose limits the figures use: the year travels with them (a reader in a year the
    limits file does not hold yet sees that they are another year's)."""
    return element(
        "div", {"class": "calculator__output calculator__output--year", "data-output-row": "year"},
        element("dt", {}, "Tax year of these results"),
        element("dd", {"data-output": "year"}, str(year)))


def _details(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Charts and tables: full width, outside the live region (too long to announce)."""
    charts = [_chart(row) for row in rows if row["kind"] == "chart"]
    tables = [_table(row) for row in rows if row["kind"] == "table"]
    if not charts and not tables:
        return None
    return element("div", {"class": "calculator__details", "data-display": "details"},
                   *charts, *tables)


def _table(row: dict[str, Any]) -> dict[str, Any]:
    kinds = ["calculator__number" if numeric else "calculator__text" for numeric in row["numeric"]]
    return element(
        # A scrolling region must take keyboard focus, and a region needs a name.
        "div", {"class": "calculator__table", "data-output-table": row["name"], "tabindex": "0",
                "role": "region", "aria-label": row["label"]},
        element("table", {},
                element("caption", {}, row["label"]),
                element("thead", {}, element("tr", {}, *(
                    element("th", {"scope": "col"}, column) for column in row["columns"]))),
                element("tbody", {}, *(
                    element("tr", {}, *(element("td", {"class": kind}, cell)
                                        for kind, cell in zip(kinds, cells, strict=True)))
                    for cells in row["rows"]))))


def _chart(row: dict[str, Any]) -> dict[str, Any]:
    chart = row["chart"]
    plot = chart["plot"]
    marks: list[Node] = []
    for tick in chart["yTicks"]:
        marks.append(element("line", {"class": "chart__grid", "x1": plot["left"],
                                      "x2": plot["right"], "y1": tick["y"], "y2": tick["y"]}))
        marks.append(element("text", {"class": "chart__label", "x": plot["left"] - 6,
                                      "y": tick["y"], "text-anchor": "end",
                                      "dominant-baseline": "middle"}, tick["label"]))
    for tick in chart["xTicks"]:
        marks.append(element("text", {"class": "chart__label", "x": tick["x"],
                                      "y": plot["bottom"] + 20, "text-anchor": "middle"},
                             tick["label"]))
    for index, series in enumerate(chart["series"]):
        marks.append(element("polyline", {"class": f"chart__line chart__line--{index}",
                                          "fill": "none", "points": series["points"]}))
    svg = element("svg", {"class": "chart", "viewBox": f"0 0 {chart['width']} {chart['height']}",
                          "role": "img",
                          "aria-label": f"{chart['label']}. The same numbers are in the table "
                                        "below."}, *marks)
    legend = element("ul", {"class": "chart__legend"}, *(
        element("li", {}, element("span", {"class": f"chart__key chart__key--{index}"}),
                series["label"])
        for index, series in enumerate(chart["series"])))
    return element("figure", {"class": "calculator__chart", "data-output-chart": row["name"]},
                   element("figcaption", {}, row["label"]), svg, legend)
