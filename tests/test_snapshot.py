"""The memory snapshot for warm visits: its file, the warm start from it in Chromium, the
same answers as CPython from it, and the fresh start when it is damaged."""

from __future__ import annotations

import shutil
import struct
from urllib.parse import urlencode

import brotli
import pytest

from calculators import dollars, run

from .conftest import serve_site
from .test_browser import READY_TIMEOUT_MS, answer, output, wait_output, wait_ready

SPARSE_MAGIC = 0x31534253  # macros/hooks/pyodide_snapshot.mjs
FROM_SNAPSHOT = "calculator-python-from-snapshot"
DOWNLOADED = "calculator-snapshot-downloaded"


def snapshot_file(site):
    (path,) = site.glob("assets/python/*/python-memory.snapshot")
    return path


def marked(page, name: str) -> bool:
    return page.evaluate("(name) => performance.getEntriesByName(name).length > 0", name)


def wait_marked(page, name: str) -> None:
    page.wait_for_function("(name) => performance.getEntriesByName(name).length > 0",
                           arg=name, timeout=READY_TIMEOUT_MS)


def first_visit_then_cached(page, url: str) -> None:
    """A first visit: Python starts afresh, then the snapshot downloads in the background."""
    page.goto(url)
    wait_ready(page)
    assert not marked(page, FROM_SNAPSHOT)
    wait_marked(page, DOWNLOADED)


def test_snapshot_file_holds_only_the_memory_pages_that_are_not_zero(built_site):
    data = snapshot_file(built_site).read_bytes()
    magic, length, count = struct.unpack_from("<3I", data)
    assert magic == SPARSE_MAGIC
    runs = [struct.unpack_from("<2I", data, 12 + 8 * i) for i in range(count)]
    # Runs are in order, do not overlap, fit in the memory, and their bytes fill the file.
    ends = [0] + [offset + size for offset, size in runs]
    assert all(offset >= end for (offset, _), end in zip(runs, ends[:-1], strict=True))
    assert ends[-1] <= length
    assert len(data) == 12 + 8 * count + sum(size for _, size in runs)
    # The point of storing it sparse: well under half of Python's memory is data.
    assert len(data) < length / 2
    # Pyodide's own snapshot header starts the memory image.
    assert runs[0][0] == 0 and data[12 + 8 * count:12 + 8 * count + 4] != b"\0\0\0\0"


@pytest.mark.browser
def test_a_warm_visit_starts_from_the_snapshot_and_answers_as_cpython(new_page, site_url):
    page = new_page()
    first_visit_then_cached(page, site_url + "how-to.html")
    # Second visit: a link with a scenario unlike the examples the snapshot was made with.
    inputs = {"year": "2025", "age": "61", "compensation": "150000.50",
              "elective_deferrals": "35000", "employer_contributions": "12345.67"}
    page.goto(site_url + "how-to.html?" + urlencode({"calculator": "after-tax-space", **inputs})
              + "#calculator-after-tax-space")
    wait_ready(page)
    assert marked(page, FROM_SNAPSHOT)
    expected = run("after-tax-space", inputs)
    wait_output(page, "after_tax_room", dollars(expected["after_tax_room"]))
    assert output(page, "catch_up_used") == dollars(expected["catch_up_used"])
    # Typing still recomputes from the restored interpreter.
    page.fill("#after-tax-space-employer_contributions", "0")
    changed = run("after-tax-space", {**inputs, "employer_contributions": "0"})
    wait_output(page, "after_tax_room", dollars(changed["after_tax_room"]))


def damage_file(data: bytes) -> bytes:
    return b"not a memory snapshot" * 1000


def damage_image(data: bytes) -> bytes:
    """A valid sparse file whose memory image Pyodide refuses (its magic number zeroed)."""
    (count,) = struct.unpack_from("<I", data, 8)
    image = 12 + 8 * count
    return data[:image] + b"\0\0\0\0" + data[image + 4:]


@pytest.mark.browser
@pytest.mark.parametrize("damage", [damage_file, damage_image])
def test_a_damaged_snapshot_falls_back_to_a_fresh_start(new_page, built_site, tmp_path, damage):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    damaged = snapshot_file(site)
    for copy in damaged.parent.glob(damaged.name + ".*"):
        copy.unlink()
    damaged.write_bytes(damage(damaged.read_bytes()))
    # Sent compressed, as the real one is: a browser's in-memory cache (a private window,
    # or this test's context) may not keep 12 MB that arrive uncompressed.
    damaged.with_name(damaged.name + ".br").write_bytes(brotli.compress(damaged.read_bytes(), quality=5))
    with serve_site(site) as site_url:
        page = new_page()
        warnings: list[str] = []
        page.on("console", lambda message: warnings.append(message.text)
                if message.type == "warning" else None)
        first_visit_then_cached(page, site_url + "how-to.html")
        page.reload()
        wait_ready(page)
        assert not marked(page, FROM_SNAPSHOT)
        assert any("starting Python afresh" in text for text in warnings), warnings
        if damage is damage_image:
            assert any("invalid magic number" in text for text in warnings), warnings
        page.fill("#after-tax-space-employer_contributions", "10000")
        # 415(c) - 402(g) - 10,000 (2026: 72,000 - 24,500 - 10,000 = 37,500)
        wait_output(page, "after_tax_room", answer({"employer_contributions": 10000}))
