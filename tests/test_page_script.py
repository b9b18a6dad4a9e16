"""The calculators' page script as the build assembles it (macros/hooks/page_script.py):
every part is used, the result parses, and it carries the contract as Python defines it."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from macros.contract import contract
from macros.hooks.page_script import (
    DISK_PARTS,
    PAGE_PARTS,
    SOURCES,
    START_CONTRACT,
    START_PARTS,
    assemble,
)


def test_every_source_part_is_in_exactly_one_script():
    parts = [*START_PARTS, *PAGE_PARTS, *DISK_PARTS]
    assert sorted(parts) == sorted(p.name for p in SOURCES.glob("*.js"))
    assert len(set(parts)) == len(parts)


@pytest.mark.parametrize(("parts", "keys"), [(START_PARTS, START_CONTRACT), (PAGE_PARTS, None),
                                             (DISK_PARTS, None)], ids=["start", "page", "disk"])
def test_the_assembled_script_parses_and_starts_with_the_contract(parts, keys, tmp_path):
    script = tmp_path / "script.js"
    script.write_text(assemble(parts, keys), encoding="utf-8")
    checked = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True,
                             check=False)
    assert checked.returncode == 0, checked.stderr
    line = re.search(r"^const CONTRACT = (.*);$", script.read_text(), re.M)
    expected = {key: value for key, value in contract().items() if keys is None or key in keys}
    assert line and json.loads(line.group(1)) == expected


def test_the_start_script_uses_only_the_contract_it_carries():
    # The start script is inline in every calculator page: it carries START_CONTRACT only.
    used = set(re.findall(r"CONTRACT\.(\w+)", (SOURCES / "start.js").read_text(encoding="utf-8")))
    assert used and used <= set(START_CONTRACT)
