"""Each requirements file (the pins, edited by hand) has a lock file beside it that pins the
same packages at the same versions, each with its hashes: make installs the lock file with
`pip install --require-hashes`, so the two must not drift. (No network: files only.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .helpers import ROOT

REQUIREMENTS = sorted(ROOT.glob("requirements*.txt"))
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def normalized(name: str) -> str:
    """A package's name as the registry compares names (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirements_pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = PIN.match(line)
        assert match, f"{path.name}: {line!r} is not an exact pin (name==version)"
        name = normalized(match[1])
        assert name not in pins, f"{path.name}: {match[1]} is pinned twice"
        pins[name] = match[2]
    return pins


def lock_pins(path: Path) -> dict[str, tuple[str, list[str]]]:
    """name: (version, sha256 hashes) for each requirement of a lock file."""
    text = re.sub(r"\\\n", " ", path.read_text())  # join continued lines
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split()
        match = PIN.match(requirement)
        assert match, f"{path.name}: {requirement!r} is not an exact pin (name==version)"
        hashes = [option.removeprefix("--hash=sha256:") for option in options]
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes), (
            f"{path.name}: {match[1]} has an option that is not a sha256 hash: {options}")
        pins[normalized(match[1])] = (match[2], hashes)
    return pins


def test_the_project_has_requirements_files():
    assert ROOT / "requirements.txt" in REQUIREMENTS


@pytest.mark.parametrize("requirements", REQUIREMENTS, ids=lambda path: path.name)
def test_lock_file_pins_what_the_requirements_file_pins_each_with_a_hash(requirements):
    lock = requirements.with_suffix(".lock")
    assert lock.exists(), f"{requirements.name} has no lock file: run make lock"
    wanted = requirements_pins(requirements)
    locked = lock_pins(lock)
    drift = {
        name: (wanted.get(name), locked.get(name, (None,))[0])
        for name in wanted.keys() | locked.keys()
        if wanted.get(name) != locked.get(name, (None,))[0]
    }
    assert not drift, (
        f"{requirements.name} and {lock.name} disagree (package: (pinned, locked)): {drift}; "
        "run make lock (and pin in the requirements file any package the lock adds)")
    unhashed = [name for name, (_, hashes) in locked.items() if not hashes]
    assert not unhashed, f"{lock.name}: no hash for {unhashed}; run make lock"


def test_make_installs_lock_files_checking_hashes_and_wheels_only():
    # A wheel whose hash is refused must stop the install, not fall back to building the
    # source archive (whose build tools pip fetches without checking them).
    makefile = (ROOT / "Makefile").read_text()
    install = re.search(r"^install-locked = (.*?)\n\n", makefile, re.M | re.S)
    assert install, "the Makefile's install-locked recipe is gone"
    assert "--require-hashes" in install[1] and "--only-binary :all:" in install[1]
    assert "$(VENV)/.installed: requirements.lock" in makefile
