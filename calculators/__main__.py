"""Command line: ``python -m calculators list`` and ``python -m calculators run NAME JSON``.

Bad input exits with status 2 and one line on stderr naming the field; never a traceback.
"""

from __future__ import annotations

import json
import sys

from .fields import InputError
from .limits import LimitsError
from .registry import CALCULATORS, run

USAGE = "usage: python -m calculators list | python -m calculators run NAME '{\"field\": value}'"


def main(argv: list[str]) -> int:
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
            result = run(name, raw)
        except (InputError, LimitsError) as error:
            return _fail(str(error))
        print(json.dumps(result, indent=2))
        return 0
    return _fail(USAGE)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
