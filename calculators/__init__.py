"""Mega Backdoor Roth calculators: pure rules over one validated limits file.

The same entry points serve the site build (macros), the command line
(``python -m calculators``) and the browser (Pyodide in a Web Worker).
"""

from .calculator import Calculator, ask, calculator_inputs
from .display import display, display_rows
from .fields import Field, InputError, Output
from .limits import Limits, LimitsError, YearLimits, load_limits
from .money import dollars, percent
from .registry import CALCULATORS, default_inputs, run, run_json

__all__ = [
    "CALCULATORS",
    "Calculator",
    "Field",
    "InputError",
    "Limits",
    "LimitsError",
    "Output",
    "YearLimits",
    "ask",
    "calculator_inputs",
    "default_inputs",
    "display",
    "display_rows",
    "dollars",
    "load_limits",
    "percent",
    "run",
    "run_json",
]
