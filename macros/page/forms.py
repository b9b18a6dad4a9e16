"""HTML for a calculator: the form generated from its declared inputs, and its results.

Everything here is built at site-build time from trusted declarations, and every
piece of text goes through html.escape. The results are the display trees of
calculators/display.py written as HTML; the browser script builds the same trees
with DOM calls, so it needs no knowledge of any particular calculator.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from calculators import CALCULATORS, Field, default_inputs, display, run
from calculators.display import ATTRIBUTES, HTML_TAGS, SVG_TAGS
from calculators.limits import Limits
from macros.contract import DATA

from .calendar import block_figures_note


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
        f'<div class="calculator__field" {DATA["field"]}="{field.name}">'
        f'<label for="{field_id}">{escape(field.label)}{optional}</label>'
        f'<div class="calculator__control" data-unit="{escape(unit)}">{control}</div>'
        f'<p class="calculator__help" id="{field_id}-help">{escape(field.help)}</p>'
        f'<p class="calculator__error" id="{field_id}-error" hidden></p>'
        "</div>"
    )


def node_html(node: Any) -> str:
    """A display tree (calculators/display.py) as HTML, every text and attribute escaped.

    The tree's tags and attributes are checked against the allow-list again here, so
    this serializer writes nothing the browser's builder would refuse.
    """
    if isinstance(node, str):
        return escape(node)
    tag = node["tag"]
    if tag not in HTML_TAGS | SVG_TAGS:
        raise ValueError(f"display: tag '{tag}' is not allowed")
    attrs = []
    for name, value in node["attrs"].items():
        if name not in ATTRIBUTES:
            raise ValueError(f"display: attribute '{name}' is not allowed")
        attrs.append(f' {name}="{escape(value)}"')
    children = "".join(node_html(child) for child in node["children"])
    return f"<{tag}{''.join(attrs)}>{children}</{tag}>"


def _plans_year_note(calculator: Any, year: int) -> str:
    """For a calculator that counts the year's paychecks: which year it plans. The script
    shows it while the form's year is not the reader's own (in January, say)."""
    if not calculator.plans_the_year:
        return ""
    return (f'<p class="calculator__plans-year" {DATA["plansYear"]} role="note" hidden>'
            f'This plans tax year <strong {DATA["plansYearValue"]}>{year}</strong>, the year '
            "chosen below, not the year of your device's date "
            f'(<span data-reader-year=""></span>): count that tax year\'s paychecks.</p>')


def calculator_html(
    name: str, year: int, extra: dict[str, Any], limits: Limits, site_url: str
) -> str:
    """The whole calculator block, with the default scenario's results already filled in.

    `extra` is mkdocs.yml's extra: the publisher's disclaimer is printed on the handout.
    `site_url`: where the website is, for a reader of an offline copy in a later year.
    """
    calculator = CALCULATORS[name]
    inputs = default_inputs(name, year, limits)
    result = run(name, inputs, limits)
    parts = {part: node_html(tree) if tree else "" for part, tree in display(calculator, result).items()}
    fields = "".join(
        _field_html(name, f, inputs.get(f.name), limits.years) for f in calculator.inputs
    )
    sources = json.dumps({y: limits.for_year(y).source for y in limits.years})
    block = (f'id="calculator-{escape(name)}" class="calculator" '
             f'{DATA["calculator"]}="{escape(name)}" {DATA["sources"]}="{escape(sources)}"')
    return (
        f"<div {block}>"
        f'<h2 class="calculator__print-title">{escape(calculator.title)}</h2>'
        # Where the values came from and how far the start has got, first in the block: a
        # link to the calculator lands here, and on a phone the results are screens below.
        # The notes are filled by the script when the values came from a link: a live
        # region announces each once, and the action is a real button.
        f'<div class="calculator__shared-note" {DATA["sharedNote"]} hidden>'
        '<p role="status"></p>'
        f'<button type="button" class="md-button" {DATA["showExample"]}>'
        "Go back to the example values</button>"
        "</div>"
        f'<p class="calculator__link-note" {DATA["linkNote"]} role="status" hidden></p>'
        f'<p class="calculator__status" role="status" {DATA["status"]}>'
        "The results are for the example values, worked out when this page was built.</p>"
        # Shown by figures-year.js when the reader's year is after the newest in the file.
        f"{block_figures_note(limits, site_url)}"
        # The results stay in view beside the form only within this part, not over the details.
        '<div class="calculator__main">'
        f'<form class="calculator__form" novalidate aria-label="{escape(calculator.title)}">'
        f"{_plans_year_note(calculator, year)}{fields}</form>"
        f'{parts["summary"]}'
        '<div class="calculator__results">'
        f'<div aria-live="polite" {DATA["live"]}>{parts["outputs"]}{parts["warnings"]}</div>'
        # Shown once the script runs: without it they could do nothing.
        f'<div class="calculator__actions" {DATA["needsScript"]} hidden>'
        f'<button type="button" class="md-button" {DATA["copyLink"]}>Copy link to these numbers</button>'
        f'<button type="button" class="md-button" {DATA["printButton"]}>Print</button>'
        f'<span class="calculator__copy-status" role="status" {DATA["copyStatus"]}></span></div>'
        f'</div></div>{parts["details"]}'
        '<div class="calculator__print-only">'
        f'<p {DATA["printYearLine"]}>Tax year <span {DATA["printYear"]}>{year}</span>: '
        f'IRS limits from <span {DATA["printSource"]}>{escape(limits.for_year(year).source)}'
        "</span>.</p>"
        f'<p {DATA["printPending"]}>No results are printed: the numbers for these values had '
        "not been worked out when this was printed.</p>"
        f'<p>Reopen these numbers: <span {DATA["printUrl"]}></span></p>'
        f'<p>Printed <span {DATA["printDate"]}></span>.</p>'
        f'<p>{escape(extra["publisher"]["disclaimer"])}</p></div>'
        "</div>"
    )
