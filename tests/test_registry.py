"""The registry finds calculators as they are needed: a link's first answer on a phone
imports the linked calculator's module, not every calculator's (issue 28)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calculators import CALCULATORS, default_inputs

from .helpers import ROOT, SITE_YEAR

ANSWER = """
import json, sys
import calculators
answer = json.loads(calculators.run_json(sys.argv[1], sys.argv[2]))
print(json.dumps([answer["ok"], sorted(m for m in sys.modules if m.startswith("calculators."))]))
"""
IMPORT = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps([True, sorted(m for m in sys.modules if m.startswith("calculators."))]))
"""
MODULES = {name: "calculators." + name.replace("-", "_") for name in CALCULATORS}


def imported(probe: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    ok, modules = json.loads(done.stdout)
    assert ok
    return modules


@pytest.mark.parametrize("name", sorted(MODULES))
def test_one_calculators_answer_imports_only_its_module_and_what_that_needs(name):
    answer = imported(ANSWER, name, json.dumps(default_inputs(name, SITE_YEAR), default=str))
    own = imported(IMPORT, MODULES[name])
    assert MODULES[name] in answer
    others = set(MODULES.values()) - {MODULES[name]}
    assert others & set(answer) <= others & set(own)
    assert len(others & set(answer)) < len(others)


def test_listing_the_calculators_finds_every_module_that_declares_one():
    # Every module of the package with a CALCULATOR, whatever has been asked for before.
    declared = sorted(p.stem for p in (ROOT / "calculators").glob("*.py")
                      if "\nCALCULATOR = Calculator(" in p.read_text(encoding="utf-8"))
    assert sorted(MODULES[name].rpartition(".")[2] for name in CALCULATORS) == declared
    assert len(CALCULATORS) == len(declared)


def test_an_unknown_calculator_is_refused_naming_those_there_are():
    with pytest.raises(KeyError):
        CALCULATORS["no-such-calculator"]
    answer = json.loads(__import__("calculators").run_json("no-such-calculator", "{}"))
    assert answer["error"]["field"] == "calculator"
    assert all(name in answer["error"]["message"] for name in CALCULATORS)
