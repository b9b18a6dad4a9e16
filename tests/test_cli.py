"""The command line answers worked examples A to E exactly and refuses bad input cleanly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from calculators import CALCULATORS, LimitsError, load_limits, run
from calculators.__main__ import add_year
from calculators.limits import parse_limits

from .helpers import ROOT


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calculators", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)


def test_list_names_every_calculator():
    done = cli("list")
    assert done.returncode == 0
    names = [line.split()[0] for line in done.stdout.splitlines()]
    assert names == list(CALCULATORS)
    assert len(names) >= 6


TIP_JAR = """
from decimal import Decimal

from .calculator import Calculator, ask, calculator_inputs
from .fields import Output


@calculator_inputs
class Inputs:
    year: int = ask("Tax year", "year", "The year.", 2000, 2100)
    bill: Decimal = ask("Bill", "dollars", "The bill.", 0, 10_000, default=100)


def run(inputs, limits):
    return {"year": inputs.year, "tip": inputs.bill * Decimal("0.2"), "warnings": []}


CALCULATOR = Calculator(name="tip-jar", title="Tip jar", form=Inputs,
                        outputs=(Output("tip", "Tip", "dollars", headline=True),),
                        compute=run, example=("bill", "50"))
"""


def test_a_new_calculator_is_one_module_the_registry_finds_by_itself(tmp_path):
    # A copy of the package with one more module and nothing else changed.
    shutil.copytree(ROOT / "calculators", tmp_path / "calculators",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "calculators" / "tip_jar.py").write_text(TIP_JAR, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "calculators", "run", "tip-jar",
                           '{"year": 2026, "bill": 45}'], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"year": 2026, "tip": 9, "warnings": []}
    listed = subprocess.run([sys.executable, "-m", "calculators", "list"], cwd=tmp_path,
                            capture_output=True, text=True, check=True).stdout
    assert [line.split()[0] for line in listed.splitlines()] == sorted(
        [*CALCULATORS, "tip-jar"], key=lambda name: name.replace("-", "_"))


@pytest.mark.parametrize(
    ("inputs", "expected"),
    [
        # A: 70,000 - 23,500 - 6,000 = 40,500; 40,500 / 26 = 1,557.69
        ({"year": 2025, "age": 40, "compensation": 200000, "elective_deferrals": 23500,
          "employer_contributions": 6000, "pay_periods_remaining": 26},
         {"after_tax_room": 40500, "total_contributions": 70000,
          "per_paycheck_after_tax": 1557.69}),
        # B: 70,000 - (31,000 - 7,500) - 10,000 = 36,500; total 77,500
        ({"year": 2025, "age": 55, "compensation": 250000, "elective_deferrals": 31000,
          "employer_contributions": 10000},
         {"catch_up_used": 7500, "after_tax_room": 36500, "total_contributions": 77500}),
        # C: 72,000 - (35,750 - 11,250) - 15,000 = 32,500; total 83,250
        ({"year": 2026, "age": 61, "compensation": 300000, "elective_deferrals": 35750,
          "employer_contributions": 15000},
         {"catch_up_used": 11250, "after_tax_room": 32500, "total_contributions": 83250}),
        # D: min(72,000, 40,000) - 24,500 - 10,000 = 5,500
        ({"year": 2026, "age": 45, "compensation": 40000, "elective_deferrals": 24500,
          "employer_contributions": 10000},
         {"annual_additions_limit": 40000, "after_tax_room": 5500}),
        # E: min(70,000 - 23,500 - 4,500, 10% x 150,000) = min(42,000, 15,000) = 15,000
        ({"year": 2025, "age": 35, "compensation": 150000, "elective_deferrals": 23500,
          "employer_contributions": 4500, "after_tax_cap_percent": 10},
         {"after_tax_room": 15000}),
        # G: 24,500 + 6,000 = 30,500 passes min(72,000, 30,000) by 500: catch-up at 55
        ({"year": 2026, "age": 55, "compensation": 30000, "elective_deferrals": 24500,
          "employer_contributions": 6000},
         {"catch_up_used": 500, "annual_additions_limit": 30000, "after_tax_room": 0}),
    ],
    ids=list("ABCDEG"),
)
def test_worked_examples_exactly(inputs, expected):
    done = cli("run", "after-tax-space", json.dumps(inputs))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert {k: result[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("run", "after-tax-space", '{"year": 2026}'),
         "error: age: is required: enter a whole number from 15 to 100"),
        (("run", "after-tax-space", '{"year": 2030, "age": 1}'),
         "error: year: must be a year this copy has the IRS figures for: "
         + load_limits().years_listed() + "; got 2030"),
        (("run", "after-tax-space", '{"age": "x", "year": 2026}'),
         "error: age: must be a whole number from 15 to 100, got 'x'"),
        (("run", "after-tax-space", '{"salary": 1}'),
         "error: salary: unknown field; allowed fields: year, age, compensation"),
        (("run", "after-tax-space", "{not json"), "error: input: not valid JSON"),
        (("run", "after-tax-space", "[]"), "error: input: must be a JSON object"),
        (("run", "nope", "{}"), "error: calculator: unknown calculator 'nope'"),
        (("run", "after-tax-space", '{"year": 2026, "age": 40, "compensation": 1e300}'),
         "error: compensation: must be a number with at most 2 decimals from 0 to"),
        (("run", "after-tax-space", '{"year": 2026, "age": "\u0664\u0660"}'),
         "error: age: must be a whole number from 15 to 100"),
        (("run", "after-tax-space", '{"year": ' + "9" * 5000 + "}"),
         "error: input: not a JSON object this tool can read"),
        (("run", "after-tax-space", "[" * 20000 + "]" * 20000),
         "error: input: not a JSON object this tool can read"),
        (("frobnicate",), "error: usage: python -m calculators list"),
        ((), "error: usage: python -m calculators list"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_field(args, line):
    done = cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(line)
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_prints_usage_and_exits_0(flag):
    done = cli(flag)
    assert done.returncode == 0
    assert done.stdout.startswith("usage: python -m calculators list")
    assert "run NAME JSON" in done.stdout and done.stderr == ""


def test_without_year_the_latest_year_in_the_limits_file_is_used_and_said():
    latest = load_limits().years[-1]
    inputs = {"age": 40, "compensation": 200000, "elective_deferrals": 20000,
              "employer_contributions": 6000}
    done = cli("run", "after-tax-space", json.dumps(inputs))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == run("after-tax-space", inputs | {"year": latest})
    assert done.stderr == (f"note: no year given; used {latest}, the latest year in the "
                           "limits file\n")
    # A year given is kept, and nothing is said.
    done = cli("run", "after-tax-space", json.dumps(inputs | {"year": 2024}))
    assert json.loads(done.stdout)["year"] == 2024 and done.stderr == ""


# --- add-year: the day the IRS notice arrives ------------------------------------------------

def package_copy(tmp_path) -> Path:
    """A copy of the calculators package, whose limits file `add-year` writes."""
    shutil.copytree(ROOT / "calculators", tmp_path / "calculators",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path / "calculators" / "limits.toml"


def cli_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calculators", *args], cwd=folder,
                          capture_output=True, text=True, check=False)


def year_block(text: str, year: int) -> list[str]:
    """The lines of a year's two tables, as written in the file."""
    lines = text.splitlines()
    start = lines.index(f"[years.{year}]")
    end = lines.index(f"[years.{year}.roth_ira_phase_out]") + 1
    while end < len(lines) and lines[end].strip() and not lines[end].startswith("["):
        end += 1
    return lines[start:end]


def test_add_year_appends_the_next_year_to_enter_and_leaves_the_rest_unchanged(tmp_path):
    path = package_copy(tmp_path)
    before = path.read_bytes()
    newest = load_limits(path).newest_year
    done = cli_in(tmp_path, "add-year", str(newest + 1))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"added [years.{newest + 1}] to ") and done.stderr == ""
    after = path.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    added = after[len(before):].decode()
    assert added.startswith("\n[years.")  # a blank line between the years
    # Same keys in the same order, same comments (a year they name moves on by one);
    # every value the TO ENTER text: no figure copied, none estimated.
    old, new = year_block(before.decode(), newest), year_block(after.decode(), newest + 1)
    assert len(new) == len(old)
    for was, line in zip(old, new, strict=True):
        if was.startswith("["):
            assert line == was.replace(f"[years.{newest}", f"[years.{newest + 1}")
        elif was.startswith("#") or not was:
            assert line == was.replace(str(newest), str(newest + 1)).replace(
                str(newest - 1), str(newest))
        else:
            key = was.split("=")[0].strip()
            source = "SSA announcement" if key.startswith("social_security") else "IRS notice"
            assert line == f'{key} = "TO ENTER: from the {source}"'
    # The validator refuses the year, naming the first field in the file's order.
    first = year_block(before.decode(), newest)[1].split("=")[0].strip()
    with pytest.raises(LimitsError, match=rf"^limits file: year {newest + 1}: field "
                       rf"'{first}': still to be entered from the IRS notice \(replace the "
                       "TO ENTER text with"):
        parse_limits(after.decode())


def test_add_year_is_the_same_function_on_any_limits_file(tmp_path):
    path = tmp_path / "limits.toml"
    path.write_bytes((ROOT / "calculators" / "limits.toml").read_bytes())
    newest = load_limits(path).newest_year
    message = add_year(path, str(newest + 1))
    assert f"added [years.{newest + 1}] to {path}" in message
    assert "[years." + str(newest + 1) + ".roth_ira_phase_out]" in path.read_text()


def refusals(limits):
    newest, oldest = limits.newest_year, limits.years[0]
    allowed = f"only {newest + 1}, the year after the newest in the limits file, can be added"
    return [
        ((str(newest),), f"error: year: {newest} is already in the limits file; {allowed}"),
        ((str(oldest),), f"error: year: {oldest} is already in the limits file; {allowed}"),
        ((str(newest + 2),), f"error: year: {newest + 2} would leave a gap after {newest}; "
         f"{allowed}"),
        ((str(oldest - 1),), f"error: year: {oldest - 1} is before the newest year, {newest}; "
         f"{allowed}"),
        (("next",), f"error: year: must be a four-digit year, got 'next'; {allowed}"),
        ((f"{newest + 1}.0",), f"error: year: must be a four-digit year, got '{newest + 1}.0'"),
        ((f" {newest + 1}",), f"error: year: must be a four-digit year, got ' {newest + 1}'"),
        (("",), "error: year: must be a four-digit year, got ''"),
        ((), "error: year: give one year: python -m calculators add-year YEAR"),
        ((str(newest + 1), str(newest + 2)),
         "error: year: give one year: python -m calculators add-year YEAR"),
    ]


@pytest.mark.parametrize("case", range(len(refusals(load_limits()))))
def test_add_year_refuses_a_year_it_cannot_add_with_one_line_and_leaves_the_file(tmp_path, case):
    path = package_copy(tmp_path)
    before = path.read_bytes()
    args, line = refusals(load_limits(path))[case]
    done = cli_in(tmp_path, "add-year", *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(line) and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_add_year_refuses_another_year_while_one_is_still_to_enter(tmp_path):
    path = package_copy(tmp_path)
    newest = load_limits(path).newest_year
    assert cli_in(tmp_path, "add-year", str(newest + 1)).returncode == 0
    before = path.read_bytes()
    done = cli_in(tmp_path, "add-year", str(newest + 2))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"error: limits file: year {newest + 1}: field ")
    assert "still to be entered" in done.stderr and done.stderr.count("\n") == 1
    assert path.read_bytes() == before


def test_help_names_add_year():
    done = cli("--help")
    assert "add-year YEAR" in done.stdout
