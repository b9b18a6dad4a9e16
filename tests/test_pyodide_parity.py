"""The calculators give the same JSON inside Pyodide (under Node) as under CPython.

Runs the real wheel the site serves, in the pinned npm package's Pyodide.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from calculators import run_json
from macros.hooks.site_assets import PYODIDE_DIR, build_wheel, example_cases

from .helpers import ROOT

CASES = [
    # Worked examples A to E of calculators/RULES.md, section 3.
    ("after-tax-space", {"year": 2025, "age": 40, "compensation": 200000,
                         "elective_deferrals": 23500, "employer_contributions": 6000,
                         "pay_periods_remaining": 26}),
    ("after-tax-space", {"year": 2025, "age": 55, "compensation": 250000,
                         "elective_deferrals": 31000, "employer_contributions": 10000}),
    ("after-tax-space", {"year": 2026, "age": 61, "compensation": 300000,
                         "elective_deferrals": 35750, "employer_contributions": 15000,
                         "prior_year_fica_wages": 200000}),
    ("after-tax-space", {"year": 2026, "age": 45, "compensation": 40000,
                         "elective_deferrals": 24500, "employer_contributions": 10000}),
    ("after-tax-space", {"year": 2025, "age": 35, "compensation": 150000,
                         "elective_deferrals": 23500, "employer_contributions": 4500,
                         "after_tax_cap_percent": 10}),
    # Strings as a form sends them, cents, and rounding.
    ("after-tax-space", {"year": "2026", "age": "64", "compensation": "123456.78",
                         "elective_deferrals": "30000", "employer_contributions": "1234.56",
                         "after_tax_cap_percent": "7.5", "pay_periods_remaining": "24"}),
    # Bad input: the same field-named errors.
    ("after-tax-space", {"year": 2099, "age": 40, "compensation": 1,
                         "elective_deferrals": 0, "employer_contributions": 0}),
    ("after-tax-space", {"year": 2026, "age": "4e1", "compensation": 1,
                         "elective_deferrals": 0, "employer_contributions": 0}),
    ("after-tax-space", {"year": 2026}),
    ("no-such-calculator", {}),
    # The suite's own edge cases: bisection, 401(a)(17), phase-out rounding, chart geometry.
    ("paycheck-planner", {"year": 2026, "age": 52, "pay_frequency": "biweekly",
                          "pay_per_period": 20000, "periods_paid": 0, "periods_remaining": 26,
                          "ytd_deferrals": 0, "ytd_after_tax": 0, "ytd_match": 0,
                          "match_rate_1": 100, "match_limit_1": 3, "match_rate_2": 50,
                          "match_limit_2": 2, "true_up": False, "after_tax_matched": True,
                          "current_deferral_percent": 20}),
    ("conversion-timing", {"year": 2025, "after_tax_per_period": "1234.56",
                           "pay_frequency": "weekly", "annual_return": "-7.5",
                           "conversion_frequency": "monthly", "marginal_rate": 37, "years": 7}),
    ("roth-vs-taxable", {"year": 2024, "annual_contribution": 12345, "years": 60,
                         "annual_return": "9.25", "dividend_yield": 3, "dividend_tax_rate": 23.8,
                         "capital_gains_rate": 23.8}),
    ("backdoor-roth-ira", {"year": 2026, "nondeductible_contribution": 8600,
                           "conversion_amount": 8600, "year_end_ira_balance": 12345.67,
                           "magi": 160001, "filing_status": "head_of_household", "age": 50}),
    ("leaving-employer", {"year": 2026, "pretax_balance": 1, "roth_balance": 2,
                          "roth_earnings": 3, "roth_qualified": "yes", "after_tax_basis": 4,
                          "after_tax_earnings": 5, "age": 55, "public_safety": "no",
                          "federal_rate": 37, "state_rate": "13.3"}),
    ("leaving-employer", {"year": 2026, "public_safety": "maybe"}),
]
# Every calculator's example inputs, for every year in the limits file (as the build runs).
EXAMPLES = example_cases()
CASES += EXAMPLES


def run_in_pyodide(*files) -> dict:
    if not shutil.which("node"):
        pytest.fail("node not found: install Node.js (Debian package nodejs)", pytrace=False)
    if not (PYODIDE_DIR / "pyodide.mjs").is_file():
        pytest.fail("node_modules/pyodide missing: run `npm ci`", pytrace=False)
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "pyodide_runner.mjs"), str(PYODIDE_DIR), *map(str, files)],
        input=json.dumps(CASES, default=str),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # Pyodide prints its whole minified source with an error: keep the end.
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def expected_outputs() -> list[dict]:
    return [json.loads(run_json(name, json.dumps(inputs, default=str))) for name, inputs in CASES]


@pytest.mark.pyodide
def test_pyodide_gives_the_same_json_as_cpython(tmp_path):
    report = run_in_pyodide(build_wheel(tmp_path))
    # Pyodide 314 carries CPython 3.14: a different interpreter from the one running pytest.
    assert report["python"].startswith("3.14")
    expected = expected_outputs()
    assert report["outputs"] == expected
    assert all(out["ok"] for out in expected[-len(EXAMPLES):])
    assert sum(1 for out in expected if not out["ok"]) == 5


@pytest.mark.pyodide
def test_site_runtime_trimmed_stdlib_and_bytecode_give_the_same_json(built_site):
    # The exact files the site serves: its wheel, trimmed stdlib and bytecode.
    (stdlib,) = built_site.glob("assets/pyodide/*/python_stdlib.zip")
    (wheel,) = built_site.glob("assets/python/*/calculators-*.whl")
    (bytecode,) = built_site.glob("assets/python/*/calculators-pyc.zip")
    report = run_in_pyodide(wheel, stdlib, bytecode)
    assert report["outputs"] == expected_outputs()
    # The calculators ran from the build's bytecode, not from compiled-on-load source.
    assert report["fromBytecode"].endswith("calculators/__pycache__/money.cpython-314.pyc")
    # A traceback still names the calculators' file and line, and the stdlib's file.
    assert re.search(r'calculators/money\.py", line \d+, in dollars', report["traceback"])
    assert "decimal.InvalidOperation" in report["traceback"]
