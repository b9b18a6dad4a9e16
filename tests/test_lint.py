"""The Python code passes ruff with the project's settings (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from .helpers import ROOT


def test_ruff_finds_nothing():
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "calculators", "macros", "tests", "serve.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
