"""Declared inputs and outputs, and the one validator every caller goes through.

A calculator declares each input once. The form on the page, the command line,
the browser worker and shared links all turn raw values (JSON numbers or the
strings a reader typed) into checked values here, so a value is accepted or
refused the same way everywhere, with a message naming the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .limits import Limits, YearLimits

__all__ = ["Field", "InputError", "Output", "validate"]

Unit = Literal["dollars", "percent", "age", "count", "year", "choice", "yesno"]
YES_NO = (("yes", "Yes"), ("no", "No"))

# Plain decimal notation only: no exponent, no NaN or infinity, no thousands
# separators that could mean different things in different locales.
_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)")  # ASCII digits only


class InputError(ValueError):
    """One bad input. ``field`` names it; the message says what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    unit: Unit
    help: str
    minimum: int = 0
    maximum: int = 0
    # A number, or a function of the year's limits (so a default such as
    # "the year's deferral limit" is never typed into a calculator).
    default: int | str | bool | Callable[[YearLimits], int] | None = None
    required: bool = True
    # For unit "choice": (value, label) pairs, in the order the form lists them.
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def whole(self) -> bool:
        return self.unit in ("age", "count", "year")

    @property
    def options(self) -> tuple[tuple[str, str], ...]:
        return YES_NO if self.unit == "yesno" else self.choices

    def allowed(self) -> str:
        if self.options:
            return "one of " + ", ".join(value for value, _ in self.options)
        kind = "a whole number" if self.whole else "a number with at most 2 decimals"
        unit = {"dollars": " dollars", "percent": " percent"}.get(self.unit, "")
        if self.unit == "year":
            return f"{kind} from {self.minimum} to {self.maximum}"
        return f"{kind} from {self.minimum:,} to {self.maximum:,}{unit}"

    def default_for(self, limits: YearLimits) -> int | None:
        return self.default(limits) if callable(self.default) else self.default


@dataclass(frozen=True)
class Output:
    name: str
    label: str
    unit: Literal["dollars", "whole_dollars", "percent", "text", "table", "chart"]
    # Shown in bold as the calculator's answer.
    headline: bool = False
    # For a table: (key, label, unit) per column; each row of the result is a dict.
    # For a chart: (key, label, unit) per line, read from the table named by `source`.
    columns: tuple[tuple[str, str, str], ...] = ()
    source: str = ""


def _number(field: Field, raw: Any) -> Decimal | None:
    """Turn a JSON number or typed string into a Decimal, or None when left empty."""
    if isinstance(raw, bool) or raw is None:
        if raw is None and not field.required:
            return None
        raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip()
        if text == "":
            if field.required:
                raise InputError(field.name, f"is required: enter {field.allowed()}")
            return None
        if not _NUMBER.fullmatch(text):
            raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
        value = Decimal(text)
    else:
        raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
    # The range first: a huge value must not reach quantize(), which refuses it.
    if not field.minimum <= value <= field.maximum:
        raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
    if field.whole and value != value.to_integral_value():
        raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
    if not field.whole and value != value.quantize(Decimal("0.01")):
        raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
    return value


def _option(field: Field, raw: Any) -> str | bool | None:
    """A choice's value, or True/False for a yes/no field; None when left empty."""
    if field.unit == "yesno" and isinstance(raw, bool):
        return raw
    text = raw.strip() if isinstance(raw, str) else raw
    if (text is None or text == "") and not field.required:
        return None
    if field.unit == "yesno" and text in ("true", "false"):
        text = "yes" if text == "true" else "no"
    if text not in [value for value, _ in field.options]:
        raise InputError(field.name, f"must be {field.allowed()}, got {_shown(raw)}")
    return text == "yes" if field.unit == "yesno" else text


def _shown(raw: Any) -> str:
    text = repr(raw) if isinstance(raw, str) else "null" if raw is None else str(raw).lower()
    return text if len(text) <= 40 else text[:37] + "..."


def validate(
    fields: tuple[Field, ...], raw: Mapping[str, Any], limits: Limits
) -> dict[str, Any]:
    """Check a mapping of raw inputs; return {name: int | Decimal | None}.

    Raises InputError for the first problem, naming the field.
    """
    if not isinstance(raw, Mapping):
        raise InputError("input", "must be a JSON object of field names and values")
    known = {f.name: f for f in fields}
    for name in raw:
        if name not in known:
            raise InputError(
                str(name)[:40] or '""', "unknown field; allowed fields: " + ", ".join(known)
            )
    values: dict[str, Any] = {}
    for field in fields:
        if field.name not in raw:
            if field.required:
                raise InputError(field.name, f"is required: enter {field.allowed()}")
            values[field.name] = None
            continue
        if field.options:
            values[field.name] = _option(field, raw[field.name])
            continue
        value = _number(field, raw[field.name])
        values[field.name] = int(value) if value is not None and field.whole else value
        if field.unit == "year" and value is not None and int(value) not in limits.by_year:
            # A year the file lacks (a link made for next year, say): the reader is told which
            # years this copy has, in a note beside the form.
            raise InputError(field.name, "must be a year this copy has the IRS figures for: "
                             f"{limits.years_listed()}; got {int(value)}")
    return values
