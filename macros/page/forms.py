"""HTML for a calculator: the form generated from its declared inputs, and its results.

Everything here is built at site-build time from trusted declarations, and every
piece of text goes through html.escape. The browser script fills in the same
structure with textContent and DOM elements, so it needs no knowledge of any
particular calculator.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from calculators import CALCULATORS, Field, default_inputs, display, run
from calculators.limits import Limits


def _attrs(**attrs: Any) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{escape(str(value))}"')
    return " ".join(parts)


def _select(field: Field, attrs: str, value: Any, years: list[int]) -> str:
    if field.unit == "year":
        options = [(str(y), str(y)) for y in years]
    else:
        options = list(field.options)
        if not field.required:
            options.insert(0, ("", "Not given"))
    if isinstance(value, bool):
        value = "yes" if value else "no"
    items = "".join(
        f'<option value="{escape(v)}"{" selected" if v == str(value) else ""}>{escape(label)}</option>'
        for v, label in options
    )
    return f"<select {attrs}>{items}</select>"


def _field_html(prefix: str, field: Field, value: Any, years: list[int]) -> str:
    field_id = f"{prefix}-{field.name}"
    attrs = _attrs(id=field_id, name=field.name,
                   aria_describedby=f"{field_id}-help {field_id}-error")
    if field.unit == "year" or field.options:
        control = _select(field, attrs, value, years)
    else:
        control = "<input " + attrs + " " + _attrs(
            type="text",
            inputmode="numeric" if field.whole else "decimal",
            value="" if value is None else value,
            autocomplete="off",
        ) + ">"
    unit = {"dollars": "$", "percent": "%"}.get(field.unit, "")
    optional = "" if field.required else ' <span class="calculator__optional">(optional)</span>'
    return (
        f'<div class="calculator__field" data-field="{field.name}">'
        f'<label for="{field_id}">{escape(field.label)}{optional}</label>'
        f'<div class="calculator__control" data-unit="{escape(unit)}">{control}</div>'
        f'<p class="calculator__help" id="{field_id}-help">{escape(field.help)}</p>'
        f'<p class="calculator__error" id="{field_id}-error" hidden></p>'
        "</div>"
    )


def chart_svg(chart: dict[str, Any]) -> str:
    """The chart geometry as SVG text (the browser draws the same geometry as elements)."""
    plot = chart["plot"]
    parts = [
        f'<svg class="chart" viewBox="0 0 {chart["width"]} {chart["height"]}" role="img" '
        f'aria-label="{escape(chart["label"])}. The same numbers are in the table below.">'
    ]
    for tick in chart["yTicks"]:
        parts.append(
            f'<line class="chart__grid" x1="{plot["left"]}" x2="{plot["right"]}" '
            f'y1="{tick["y"]}" y2="{tick["y"]}"></line>'
            f'<text class="chart__label" x="{plot["left"] - 6}" y="{tick["y"]}" '
            f'text-anchor="end" dominant-baseline="middle">{escape(tick["label"])}</text>'
        )
    for tick in chart["xTicks"]:
        parts.append(
            f'<text class="chart__label" x="{tick["x"]}" y="{plot["bottom"] + 20}" '
            f'text-anchor="middle">{escape(tick["label"])}</text>'
        )
    for index, series in enumerate(chart["series"]):
        parts.append(
            f'<polyline class="chart__line chart__line--{index}" fill="none" '
            f'points="{escape(series["points"])}"></polyline>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(chart: dict[str, Any]) -> str:
    items = "".join(
        f'<li><span class="chart__key chart__key--{i}"></span>{escape(s["label"])}</li>'
        for i, s in enumerate(chart["series"])
    )
    return f'<ul class="chart__legend">{items}</ul>'


def _table_html(row: dict[str, Any]) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in row["columns"])
    kinds = ["calculator__number" if numeric else "calculator__text" for numeric in row["numeric"]]
    body = "".join(
        "<tr>" + "".join(f'<td class="{kind}">{escape(cell)}</td>'
                         for kind, cell in zip(kinds, cells, strict=True)) + "</tr>"
        for cells in row["rows"]
    )
    return (
        # A scrolling region must take keyboard focus, and a region needs a name.
        f'<div class="calculator__table" data-output-table="{row["name"]}" tabindex="0" '
        f'role="region" aria-label="{escape(row["label"])}">'
        f'<table><caption>{escape(row["label"])}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _values_html(rows: list[dict[str, Any]]) -> str:
    return "".join(
        f'<div class="calculator__output{" calculator__output--headline" if row["headline"] else ""}"'
        f' data-output-row="{row["name"]}"{"" if row["text"] is not None else " hidden"}>'
        f'<dt>{escape(row["label"])}</dt>'
        f'<dd data-output="{row["name"]}">{escape(row["text"] or "")}</dd></div>'
        for row in rows if row["kind"] == "value"
    )


def _details_html(rows: list[dict[str, Any]]) -> str:
    """Charts and tables: full width, outside the live region (too long to announce)."""
    charts = "".join(
        f'<figure class="calculator__chart" data-output-chart="{row["name"]}">'
        f'<figcaption>{escape(row["label"])}</figcaption>'
        f'{chart_svg(row["chart"])}{_legend(row["chart"])}</figure>'
        for row in rows if row["kind"] == "chart"
    )
    tables = "".join(_table_html(row) for row in rows if row["kind"] == "table")
    return f'<div class="calculator__details">{charts}{tables}</div>' if charts or tables else ""


def calculator_html(name: str, year: int, extra: dict[str, Any], limits: Limits) -> str:
    """The whole calculator block, with the default scenario's results already filled in.

    `extra` is mkdocs.yml's extra: the publisher's disclaimer is printed on the handout.
    """
    calculator = CALCULATORS[name]
    inputs = default_inputs(name, year, limits)
    result = run(name, inputs, limits)
    rows = display(name, result)
    fields = "".join(
        _field_html(name, f, inputs.get(f.name), limits.years) for f in calculator.inputs
    )
    warnings = "".join(f"<li>{escape(w)}</li>" for w in result["warnings"])
    headline = next(row for row in rows if row["kind"] == "value" and row["headline"])
    sources = json.dumps({y: limits.for_year(y).source for y in limits.years})
    block = _attrs(
        id=f"calculator-{name}",
        class_="calculator",
        data_calculator=name,
        data_sources=sources,
    )
    return (
        f"<div {block}>"
        f'<h2 class="calculator__print-title">{escape(calculator.title)}</h2>'
        # The results stay in view beside the form only within this part, not over the details.
        '<div class="calculator__main">'
        f'<form class="calculator__form" novalidate aria-label="{escape(calculator.title)}">'
        f"{fields}</form>"
        # On phones the results sit below a long form: this line keeps the answer in view.
        f'<p class="calculator__summary" aria-hidden="true" data-summary>'
        f'{escape(headline["label"])}: <strong>{escape(headline["text"] or "")}</strong></p>'
        '<div class="calculator__results">'
        '<p class="calculator__status" role="status" data-status>'
        "Results for the example above, worked out when this page was built.</p>"
        '<p class="calculator__link-note" data-link-note role="status" hidden></p>'
        f'<div aria-live="polite" data-live><dl class="calculator__outputs">{_values_html(rows)}</dl>'
        f'<ul class="calculator__warnings" data-warnings>{warnings}</ul></div>'
        # Shown once the script runs: without it they could do nothing.
        '<div class="calculator__actions" data-needs-script hidden>'
        '<button type="button" class="md-button" data-copy-link>Copy link to these numbers</button>'
        '<button type="button" class="md-button" data-print-button>Print</button>'
        '<span class="calculator__copy-status" role="status" data-copy-status></span></div>'
        f"</div></div>{_details_html(rows)}"
        '<div class="calculator__print-only">'
        f'<p>Tax year <span data-print-year>{year}</span>: IRS limits from '
        f"<span data-print-source>{escape(limits.for_year(year).source)}</span>.</p>"
        "<p>Reopen these numbers: <span data-print-url></span></p>"
        "<p>Printed <span data-print-date></span>.</p>"
        f'<p>{escape(extra["publisher"]["disclaimer"])}</p></div>'
        "</div>"
    )
