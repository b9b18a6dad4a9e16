"""The one JSON-in, JSON-out entry shared by the macros, the command line and the browser.

The registry finds the calculators by itself: every module of this package that declares
a module-level ``CALCULATOR`` (see calculators/calculator.py). Adding a calculator is
adding its module; nothing here lists them.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .calculator import Calculator
from .display import display
from .fields import InputError, validate
from .limits import Limits, LimitsError, load_limits
from .money import to_json_number

__all__ = ["CALCULATORS", "default_inputs", "run", "run_json"]


def _discover() -> dict[str, Calculator]:
    """Every calculator declared in this package, by name, in module-name order."""
    found: dict[str, Calculator] = {}
    for module_name in sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])):
        if module_name.startswith("_") or module_name == "registry":
            continue
        calculator = _declared(module_name)
        if calculator is not None:
            if calculator.name in found:
                raise TypeError(f"two calculators are named {calculator.name!r}")
            found[calculator.name] = calculator
    return found


def _declared(module_name: str) -> Calculator | None:
    calculator = getattr(importlib.import_module(f"{_PACKAGE}.{module_name}"), "CALCULATOR", None)
    return calculator if isinstance(calculator, Calculator) else None


_PACKAGE = __name__.rpartition(".")[0]


class _Registry(Mapping[str, Calculator]):
    """The calculators by name, found as they are needed.

    Asking for one imports its own module only (the name with "_" for "-", the
    convention every module here follows), so a phone's first answer does not wait for
    the import of every other calculator; listing them, or a name that breaks the
    convention, imports them all.
    """

    def __init__(self) -> None:
        self._all: dict[str, Calculator] | None = None
        self._some: dict[str, Calculator] = {}

    def _everything(self) -> dict[str, Calculator]:
        if self._all is None:
            self._all = _discover()
        return self._all

    def __getitem__(self, name: str) -> Calculator:
        if self._all is None and name not in self._some:
            module_name = name.replace("-", "_") if isinstance(name, str) else ""
            if module_name.isidentifier() and not module_name.startswith("_") \
                    and module_name != "registry" \
                    and (Path(__file__).parent / f"{module_name}.py").is_file():
                calculator = _declared(module_name)
                if calculator is not None and calculator.name == name:
                    self._some[name] = calculator
        if name in self._some:
            return self._some[name]
        return self._everything()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


CALCULATORS: Mapping[str, Calculator] = _Registry()


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
    values = calculator.form(**validate(calculator.inputs, raw, limits))
    return _json_ready(calculator.compute(values, limits))


def _json_ready(value: Any) -> Any:
    """Amounts as JSON numbers (whole dollars as int, else cents), all the way down."""
    if isinstance(value, Decimal):
        return to_json_number(value)
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(item) for item in value]
    return value


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
    return json.dumps({"ok": True, "result": result,
                       "display": display(CALCULATORS[name], result)})


def _error(field: str, message: str) -> str:
    return json.dumps({"ok": False, "error": {"field": field, "message": message}})
