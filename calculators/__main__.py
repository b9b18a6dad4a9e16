"""Command line: ``python -m calculators list`` and ``python -m calculators run NAME JSON``.

Bad input exits with status 2 and one line on stderr naming the field; never a traceback.
Without a "year", ``run`` uses the latest year in the limits file and says so on stderr.
"""

from __future__ import annotations

import json
import sys

from .fields import InputError
from .limits import LimitsError, load_limits
from .registry import CALCULATORS, run

USAGE = "usage: python -m calculators list | python -m calculators run NAME '{\"field\": value}'"
HELP = f"""{USAGE}

  list               every calculator, its title and its input fields
  run NAME JSON      run one calculator on a JSON object of inputs; prints the result
                     as JSON. Without "year", the latest year in the limits file is used.
  -h, --help         this help

Bad input exits with status 2 and one line naming the field."""


def main(argv: list[str]) -> int:
    if argv in (["-h"], ["--help"], ["help"]):
        print(HELP)
        return 0
    if argv == ["list"]:
        width = max(len(name) for name in CALCULATORS)
        for name, calculator in CALCULATORS.items():
            fields = ", ".join(f.name for f in calculator.inputs)
            print(f"{name:<{width}}  {calculator.title}  (inputs: {fields})")
        return 0
    if len(argv) == 3 and argv[0] == "run":
        _, name, payload = argv
        try:
            raw = json.loads(payload)
        except json.JSONDecodeError as error:
            return _fail(f"input: not valid JSON ({error.msg} at character {error.pos})")
        except (ValueError, RecursionError):
            return _fail("input: not a JSON object this tool can read (a number too long, "
                         "or nesting too deep)")
        try:
            latest = _latest_year_if_missing(name, raw)
            result = run(name, raw if latest is None else raw | {"year": latest})
        except (InputError, LimitsError) as error:
            return _fail(str(error))
        if latest is not None:
            print(f"note: no year given; used {latest}, the latest year in the limits file",
                  file=sys.stderr)
        print(json.dumps(result, indent=2))
        return 0
    return _fail(USAGE)


def _latest_year_if_missing(name: str, raw: object) -> int | None:
    """The latest year in the limits file, when the calculator asks for a year and `raw`
    gives none; otherwise None (and the input is left to the validator)."""
    calculator = CALCULATORS.get(name)
    if not isinstance(raw, dict) or "year" in raw or calculator is None:
        return None
    if not any(field.name == "year" for field in calculator.inputs):
        return None
    return load_limits().years[-1]


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        # The reader stopped reading (e.g. `| head`): not an error of ours, and no traceback.
        sys.stderr.close()
        sys.exit(0)
