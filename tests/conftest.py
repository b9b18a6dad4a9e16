"""Shared fixtures: the real limits file, and helpers to run a calculator."""

from __future__ import annotations

import pytest

from calculators import load_limits


@pytest.fixture(scope="session")
def limits():
    return load_limits()
