"""One declaration per calculator: its inputs, its outputs and its computation, once.

A calculator is one module with a module-level ``CALCULATOR``. Its inputs are the
attributes of a class decorated with :func:`calculator_inputs`, each declared with :func:`ask`; the
attribute's name is the field's name and its annotation the Python type the computation
receives, so the form, the validator and the computation read the same declaration. The
registry finds every module that declares a ``CALCULATOR`` by itself.

A declaration that contradicts itself fails at import (an annotation that does not fit
its unit, a chart drawn from no table, an example change of an input that does not
exist). Whether the computation returns exactly the declared outputs is checked by a
test that runs every calculator's defaults for every year in the limits file
(tests/test_properties.py), never by a reader.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any, get_type_hints

from .fields import Field, Output
from .limits import Limits

__all__ = ["Calculator", "ask", "calculator_inputs"]

# The Python type the validator gives each unit (fields.validate); optional fields may be None.
_TYPES: dict[str, type] = {
    "dollars": Decimal, "percent": Decimal, "age": int, "count": int, "year": int,
    "choice": str, "yesno": bool,
}
# What every result carries besides its outputs.
COMMON_KEYS = frozenset({"year", "warnings"})


def ask(label: str, unit: str, help: str, minimum: int = 0, maximum: int = 0, *,
        default: Any = None, required: bool = True,
        choices: tuple[tuple[str, str], ...] = ()) -> Any:
    """One input, declared as an attribute of a :func:`calculator_inputs` class (see Field)."""
    spec = {"label": label, "unit": unit, "help": help, "minimum": minimum,
            "maximum": maximum, "default": default, "required": required,
            "choices": choices}
    # An optional input left empty arrives as None; a required one is always given.
    if required:
        return dataclasses.field(metadata={"input": spec})
    return dataclasses.field(default=None, metadata={"input": spec})


def calculator_inputs(cls: type) -> type:
    """Make `cls` a frozen dataclass of validated inputs and give it FIELDS, the declared
    Field of each attribute in order (the form's order)."""
    cls = dataclasses.dataclass(frozen=True, kw_only=True)(cls)
    hints = get_type_hints(cls)
    declared = []
    for attribute in dataclasses.fields(cls):
        spec = attribute.metadata.get("input")
        if spec is None:
            raise TypeError(f"{cls.__qualname__}.{attribute.name}: declare it with ask()")
        field = Field(attribute.name, **spec)
        expected: Any = _TYPES[field.unit]
        if not field.required:
            expected = expected | None
        if hints[attribute.name] != expected:
            raise TypeError(
                f"{cls.__qualname__}.{attribute.name}: "
                f"{'a required' if field.required else 'an optional'} {field.unit} input "
                f"arrives as {expected}, not {hints[attribute.name]}")
        declared.append(field)
    cls.FIELDS = tuple(declared)  # type: ignore[attr-defined]
    return cls


@dataclasses.dataclass(frozen=True)
class Calculator:
    """A calculator as the registry, the form, the CLI and the browser see it.

    - form: the :func:`calculator_inputs` class; the computation receives one of it.
    - outputs: what the result shows, in order (tables and charts included).
    - compute: (inputs, limits) -> result dict, with Decimal amounts (the registry turns
      them into JSON numbers). Its keys: "year", "warnings", every output except charts
      (a chart draws a table's rows) and the `extras`.
    - example: one input change that moves the headline, as a reader would type it:
      (field name, value). The browser test makes it on the calculator's page.
    - extras: result values the pages quote in their text but the form does not show.
    - plans_the_year: the form counts the tax year's paychecks, so the page says which year
      it plans when that is not the reader's calendar year (January, say).
    """

    name: str
    title: str
    form: type
    outputs: tuple[Output, ...]
    compute: Callable[[Any, Limits], dict[str, Any]]
    example: tuple[str, str]
    extras: tuple[str, ...] = ()
    plans_the_year: bool = False

    def __post_init__(self) -> None:
        names = [o.name for o in self.outputs] + list(self.extras)
        problems = []
        if len(set(names)) != len(names) or COMMON_KEYS & set(names):
            problems.append(f"output names repeat or clash with {sorted(COMMON_KEYS)}")
        tables = {o.name for o in self.outputs if o.unit == "table"}
        problems += [f"chart {o.name!r} draws from {o.source!r}, which is not a table output"
                     for o in self.outputs if o.unit == "chart" and o.source not in tables]
        headlines = [o.name for o in self.outputs if o.headline]
        if len(headlines) != 1:
            problems.append(f"needs exactly one headline output, has {headlines}")
        if self.example[0] not in {f.name for f in self.inputs}:
            problems.append(f"example changes {self.example[0]!r}, which is not an input")
        if problems:
            raise TypeError(f"calculator {self.name!r}: " + "; ".join(problems))

    @property
    def inputs(self) -> tuple[Field, ...]:
        return self.form.FIELDS  # type: ignore[attr-defined,no-any-return]

    @property
    def result_keys(self) -> frozenset[str]:
        """The keys compute must return, no more and no fewer."""
        shown = {o.name for o in self.outputs if o.unit != "chart"}
        return COMMON_KEYS | shown | set(self.extras)
