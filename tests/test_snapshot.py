"""The memory snapshot for warm visits: its file, and the fresh start when it is damaged
(the warm start from it, in every engine: test_engines.py)."""

from __future__ import annotations

import shutil
import struct

import brotli
import pytest

from .helpers import (
    FROM_SNAPSHOT,
    answer,
    first_visit_then_cached,
    marked,
    serve_site,
    snapshot_file,
    wait_output,
    wait_ready,
)

SPARSE_MAGIC = 0x31534253  # macros/hooks/pyodide_snapshot.mjs


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


def damage_file(data: bytes) -> bytes:
    return b"not a memory snapshot" * 1000


def damage_image(data: bytes) -> bytes:
    """A valid sparse file whose memory image Pyodide refuses (its magic number zeroed)."""
    (count,) = struct.unpack_from("<I", data, 8)
    image = 12 + 8 * count
    return data[:image] + b"\0\0\0\0" + data[image + 4:]


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
