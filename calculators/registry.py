"""The one JSON-in, JSON-out entry shared by the macros, the command line and the browser."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import (
    after_tax_space,
    backdoor_roth_ira,
    conversion_timing,
    leaving_employer,
    paycheck_planner,
    roth_vs_taxable,
)
from .display import display, display_rows
from .fields import Field, InputError, Output, validate
from .limits import Limits, LimitsError, load_limits

# display and display_rows live in display.py; re-exported here, where callers found them.
__all__ = ["CALCULATORS", "Calculator", "default_inputs", "display", "display_rows", "run",
           "run_json"]


@dataclass(frozen=True)
class Calculator:
    name: str
    title: str
    inputs: tuple[Field, ...]
    outputs: tuple[Output, ...]
    compute: Callable[[dict[str, Any], Limits], dict[str, Any]]


def _from_module(module: Any) -> Calculator:
    return Calculator(module.NAME, module.TITLE, module.INPUTS, module.OUTPUTS, module.run)


CALCULATORS: dict[str, Calculator] = {
    c.name: c
    for c in map(
        _from_module,
        (after_tax_space, paycheck_planner, conversion_timing, roth_vs_taxable,
         backdoor_roth_ira, leaving_employer),
    )
}


def _calculator(name: str) -> Calculator:
    try:
        return CALCULATORS[name]
    except KeyError:
        raise InputError(
            "calculator", f"unknown calculator {name!r}; available: " + ", ".join(CALCULATORS)
        ) from None


def run(name: str, raw: Mapping[str, Any], limits: Limits | None = None) -> dict[str, Any]:
    """Validate raw inputs and compute. Raises InputError naming the bad field."""
    limits = limits or load_limits()
    calculator = _calculator(name)
    return calculator.compute(validate(calculator.inputs, raw, limits), limits)


def default_inputs(name: str, year: int, limits: Limits | None = None) -> dict[str, Any]:
    """The inputs a calculator's form starts with for a year (empty optional fields left out)."""
    limits = limits or load_limits()
    year_limits = limits.for_year(year)
    values: dict[str, Any] = {"year": year}
    for field in _calculator(name).inputs:
        default = field.default_for(year_limits)
        if field.name != "year" and default is not None:
            values[field.name] = default
    return values


def run_json(name: str, payload: str) -> str:
    """For the browser worker: JSON text in, JSON text out, never an exception.

    Out: {"ok": true, "result": ..., "display": {part: tree}} or
         {"ok": false, "error": {"field": ..., "message": ...}}.
    """
    try:
        raw = json.loads(payload)
    except (ValueError, RecursionError):
        # Not JSON, or JSON Python will not read (an integer of thousands of digits,
        # nesting too deep): either way not a usable object.
        return _error("input", "must be a JSON object")
    try:
        result = run(name, raw)
    except InputError as error:
        return _error(error.field, error.message)
    except LimitsError as error:
        return _error("limits", str(error))
    return json.dumps({"ok": True, "result": result, "display": display(name, result)})


def _error(field: str, message: str) -> str:
    return json.dumps({"ok": False, "error": {"field": field, "message": message}})
