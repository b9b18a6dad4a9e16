"""HTML for a calculator: the form generated from its declared inputs, and its results.

Everything here is built at site-build time from trusted declarations, and every
piece of text goes through html.escape. The browser script only fills in
textContent, so it needs no knowledge of any particular calculator.
"""

from __future__ import annotations

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


def _field_html(prefix: str, field: Field, value: Any, years: list[int]) -> str:
    field_id = f"{prefix}-{field.name}"
    described = f"{field_id}-help {field_id}-error"
    if field.unit == "year":
        options = "".join(
            f'<option value="{y}"{" selected" if y == value else ""}>{y}</option>' for y in years
        )
        control = f'<select {_attrs(id=field_id, name=field.name, aria_describedby=described)}>' \
                  f"{options}</select>"
    else:
        control = "<input " + _attrs(
            id=field_id,
            name=field.name,
            type="text",
            inputmode="numeric" if field.whole else "decimal",
            value="" if value is None else value,
            autocomplete="off",
            aria_describedby=described,
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


def calculator_html(name: str, year: int, wheel: str, limits: Limits) -> str:
    """The whole calculator block, with the default scenario's results already filled in."""
    calculator = CALCULATORS[name]
    inputs = default_inputs(name, year, limits)
    result = run(name, inputs, limits)
    fields = "".join(
        _field_html(name, f, inputs.get(f.name), limits.years) for f in calculator.inputs
    )
    rows = "".join(
        f'<div class="calculator__output{" calculator__output--headline" if row["headline"] else ""}"'
        f' data-output-row="{row["name"]}"{"" if row["text"] is not None else " hidden"}>'
        f'<dt>{escape(row["label"])}</dt>'
        f'<dd data-output="{row["name"]}">{escape(row["text"] or "")}</dd></div>'
        for row in display(name, result)
    )
    warnings = "".join(f"<li>{escape(w)}</li>" for w in result["warnings"])
    headline = next(row for row in display(name, result) if row["headline"])
    return (
        f'<div class="calculator" id="calculator-{name}" {_attrs(data_calculator=name, data_wheel=wheel)}>'
        f'<form class="calculator__form" novalidate aria-label="{escape(calculator.title)}">'
        f"{fields}</form>"
        # On phones the results sit below a long form: this line keeps the answer in view.
        f'<p class="calculator__summary" aria-hidden="true" data-summary>'
        f'{escape(headline["label"])}: <strong>{escape(headline["text"] or "")}</strong></p>'
        '<div class="calculator__results">'
        '<p class="calculator__status" role="status" data-status>'
        "Results for the example above, worked out when this page was built.</p>"
        f'<div aria-live="polite" data-live><dl class="calculator__outputs">{rows}</dl>'
        f'<ul class="calculator__warnings" data-warnings>{warnings}</ul></div>'
        "</div></div>"
    )
