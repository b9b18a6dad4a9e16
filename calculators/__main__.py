"""Command line: ``python -m calculators list``, ``python -m calculators run NAME JSON``
and ``python -m calculators add-year YEAR``.

Bad input exits with status 2 and one line on stderr naming the field; never a traceback.
Without a "year", ``run`` uses the latest year in the limits file and says so on stderr.
``add-year`` appends the next year's block to the limits file, every figure and source
marked TO ENTER, which the validator refuses until each is replaced from the notices.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

from .fields import InputError
from .limits import (
    FILING_STATUSES,
    TO_ENTER,
    YEAR_KEYS,
    LimitsError,
    load_limits,
    parse_limits,
    to_enter,
)
from .registry import CALCULATORS, run

USAGE = ("usage: python -m calculators list | python -m calculators run NAME "
         "'{\"field\": value}' | python -m calculators add-year YEAR")
HELP = f"""{USAGE}

  list               every calculator, its title and its input fields
  run NAME JSON      run one calculator on a JSON object of inputs; prints the result
                     as JSON. Without "year", the latest year in the limits file is used.
  add-year YEAR      append YEAR (the one after the newest) to the limits file, each
                     figure and source marked TO ENTER: replace each from the IRS notice
                     and the SSA announcement; the build names the first one left.
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
    if argv[:1] == ["add-year"]:
        if len(argv) != 2:
            return _fail("year: give one year: python -m calculators add-year YEAR")
        try:
            print(add_year(LIMITS_FILE, argv[1]))
        except (InputError, LimitsError) as error:
            return _fail(str(error))
        return 0
    return _fail(USAGE)


# The packaged limits file, the one the site and the calculators read.
LIMITS_FILE = Path(__file__).with_name("limits.toml")


def add_year(path: Path, argument: str) -> str:
    """Append the block of year `argument` (the one after the newest) to the limits file at
    `path`, every figure and source marked TO ENTER; the rest of the file is unchanged byte
    for byte. Returns what to do next. Raises InputError (field "year") for a year that
    cannot be added, LimitsError for a limits file that is not valid as it is."""
    data = path.read_bytes()
    text = data.decode("utf-8")
    limits = parse_limits(text)
    newest = limits.newest_year
    allowed = f"only {newest + 1}, the year after the newest in the limits file, can be added"
    if not re.fullmatch(r"[0-9]{4}", argument):
        raise InputError("year", f"must be a four-digit year, got {argument!r}; {allowed}")
    year = int(argument)
    if year in limits.by_year:
        raise InputError("year", f"{year} is already in the limits file; {allowed}")
    if year > newest + 1:
        raise InputError("year", f"{year} would leave a gap after {newest}; {allowed}")
    if year < newest:
        raise InputError("year", f"{year} is before the newest year, {newest}; {allowed}")
    block = _blank_year(text, newest, year)
    newline = "\r\n" if "\r\n" in text else "\n"
    added = ("" if text.endswith("\n") else newline) + newline + block.replace("\n", newline)
    _check_blank_year(text + added, year)
    with path.open("ab") as file:
        file.write(added.encode("utf-8"))
    return (f"added [years.{year}] to {path}, every figure and source marked {TO_ENTER}.\n"
            f"Replace each from the IRS notice for {year} and the SSA announcement of its "
            "wage base, then set `checked`; until then the build names the first one left.")


def _blank_year(text: str, newest: int, year: int) -> str:
    """The newest year's block, renamed to `year`: same keys, order and comments, every
    value the TO ENTER text. A year named in a comment moves on with it (the block's year
    or the one before, as in "Prior-year (2025) FICA wages"; not a notice's number)."""
    lines = text.splitlines()
    header, phase_out = f"[years.{newest}]", f"[years.{newest}.roth_ira_phase_out]"

    def table_of(line: str) -> str:  # a table's header, without a comment after it
        return line.split("#")[0].strip()

    starts = [i for i, line in enumerate(lines) if table_of(line) == header]
    if not starts:
        raise LimitsError(f"limits file: year {newest}: add-year copies a `{header}` table, "
                          f"not found; add year {year} by hand, as the README says")
    table = ""
    block: list[str] = []
    for line in lines[starts[0]:]:
        stripped = line.strip()
        if stripped.startswith("["):
            if table_of(line) not in (header, phase_out):
                break
            table = "" if table_of(line) == header else "roth_ira_phase_out."
            block.append(line.replace(f"[years.{newest}", f"[years.{year}", 1))
        elif not stripped:
            block.append(line)
        elif stripped.startswith("#"):
            block.append(re.sub(rf"(?<![\d-])({newest - 1}|{newest})(?![\d-])",
                                lambda m: str(int(m.group(1)) + year - newest), line))
        elif match := re.fullmatch(r"(\s*)([A-Za-z0-9_]+)\s*=\s*(.*)", line):
            indent, key, value = match.groups()
            comment = re.search(r"\s+#.*$", value) if not re.search("[\"']", value) else None
            where, _ = to_enter(table + key)
            block.append(f'{indent}{key} = "{TO_ENTER}: from {where}"'
                         + (comment.group(0) if comment else ""))
        else:
            raise LimitsError(
                f"limits file: year {newest}: add-year copies one `key = value` a line, not "
                f"{stripped!r}; add year {year} by hand, as the README says")
    while block and (not block[-1].strip() or block[-1].lstrip().startswith("#")):
        block.pop()  # what follows the phase-out table belongs to what comes after it
    return "\n".join(block) + "\n"


def _check_blank_year(text: str, year: int) -> None:
    """The appended block gives every key the validator asks for, each still TO ENTER."""
    entry = tomllib.loads(text)["years"][str(year)]
    phase_out = entry.get("roth_ira_phase_out", {})
    values = [v for k, v in entry.items() if k != "roth_ira_phase_out"] + list(phase_out.values())
    if (set(entry) != YEAR_KEYS or set(phase_out) != set(FILING_STATUSES)
            or not all(isinstance(v, str) and v.startswith(TO_ENTER) for v in values)):
        raise LimitsError(f"limits file: year {year - 1}: not every field could be copied; "
                          f"add year {year} by hand, as the README says")


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
