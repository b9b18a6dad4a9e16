"""Calculator speed and size, against the unmodified Pyodide distribution (not a test).

Usage: .venv/bin/python tests/bench.py [--runs 5]   (make bench runs it)

Builds the site twice in temporary folders: as shipped, and as the baseline with
Pyodide's own standard library (MBR_BASELINE_RUNTIME=1: no trimmed stdlib, no bytecode).
Serves each with serve.py on 127.0.0.1 and drives Debian's Chromium. Prints, as medians
of --runs runs, and writes to tests/benchmark-results.md:
- cold and warm time from navigation to the first live result; warm twice: from the
  memory snapshot (downloaded in the background after the first visit's first result),
  and with the snapshot's download blocked;
- bytes transferred (compressed) for a calculator page, up to its first result and with
  the background download, and for a text-only page;
- recompute latency after an input change;
- `mkdocs build` time (with the build cache warm).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, build_site, serve_site  # noqa: E402

CALCULATOR_PAGE = "how-to.html"
TEXT_PAGE = "contribution-types.html"
RESULTS = ROOT / "tests" / "benchmark-results.md"
FIRST = "calculator-first-result"
FROM_SNAPSHOT = "calculator-python-from-snapshot"
DOWNLOADED = "calculator-snapshot-downloaded"
SNAPSHOT = ".snapshot"

# Alternates pay between two values that give different answers; resolves with the ms
# from the input event to the answer on the page.
RECOMPUTE_JS = """async (value) => {
  const input = document.querySelector('#after-tax-space-compensation');
  const out = document.querySelector('#calculator-after-tax-space [data-output="after_tax_room"]');
  const before = out.textContent;
  const changed = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (out.textContent !== before) { watch.disconnect(); resolve(performance.now()); }
    });
    watch.observe(out, { childList: true, characterData: true, subtree: true });
  });
  const start = performance.now();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  return (await changed) - start;
}"""


def build(site: Path, baseline: bool) -> float:
    start = time.perf_counter()
    done = build_site(ROOT, site, {"MBR_BASELINE_RUNTIME": "1"} if baseline else None)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"mkdocs build of {site} failed:\n{done.stderr}")
    return seconds


def first_result_ms(page) -> float:
    page.wait_for_function(f"() => performance.getEntriesByName('{FIRST}').length > 0", timeout=60_000)
    return page.evaluate(f"performance.getEntriesByName('{FIRST}')[0].startTime")


def marked(page, name: str) -> bool:
    return page.evaluate(f"performance.getEntriesByName('{name}').length > 0")


def record_sizes(context) -> list[tuple[str, int]]:
    """(url, bytes on the wire) of every response the context receives, workers' included."""
    sizes: list[tuple[str, int]] = []
    context.on("requestfinished", lambda r: sizes.append(
        (r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])))
    return sizes


def has_snapshot(page) -> bool:
    return page.evaluate("Boolean(document.querySelector('script[data-snapshot]')?.dataset.snapshot)")


def measure(browser, url: str, runs: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {
        "cold": [], "warm": [], "warm_fresh": [], "page_bytes": [], "visit_bytes": [],
        "text_bytes": [], "text_pyodide_bytes": [], "recompute": []}
    for _ in range(runs):
        context = browser.new_context()
        sizes = record_sizes(context)
        page = context.new_page()
        page.goto(url + CALCULATOR_PAGE)
        results["cold"].append(first_result_ms(page))
        if has_snapshot(page):
            page.wait_for_function(f"() => performance.getEntriesByName('{DOWNLOADED}').length > 0",
                                   timeout=60_000)
            while not any(u.endswith(SNAPSHOT) for u, _ in sizes):
                page.wait_for_timeout(50)  # its requestfinished event may trail the mark
        page.wait_for_load_state("networkidle")
        # The snapshot is requested only after the first result, in the background.
        results["page_bytes"].append(sum(size for u, size in sizes if not u.endswith(SNAPSHOT)))
        results["visit_bytes"].append(sum(size for _, size in sizes))
        for value in ("40000", "45000", "40000", "45000", "40000"):
            results["recompute"].append(page.evaluate(RECOMPUTE_JS, value))
        page.reload()
        results["warm"].append(first_result_ms(page))
        assert marked(page, FROM_SNAPSHOT) == has_snapshot(page), "warm visit did not use the snapshot"
        context.close()

        # A reader whose browser did not get the snapshot (say, it asked to save data).
        context = browser.new_context()
        context.route(f"**/*{SNAPSHOT}", lambda route: route.abort())
        page = context.new_page()
        page.goto(url + CALCULATOR_PAGE)
        first_result_ms(page)
        page.wait_for_load_state("networkidle")
        page.reload()
        results["warm_fresh"].append(first_result_ms(page))
        assert not marked(page, FROM_SNAPSHOT)
        context.close()

        context = browser.new_context()
        sizes = record_sizes(context)
        page = context.new_page()
        page.goto(url + TEXT_PAGE, wait_until="networkidle")
        results["text_bytes"].append(sum(size for _, size in sizes))
        results["text_pyodide_bytes"].append(
            sum(size for u, size in sizes if "/assets/pyodide/" in u or "/assets/python/" in u))
        context.close()
    return results


def parse_runs(description: str) -> int:
    """The --runs option of a benchmark's command line (5 unless given)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default 5)")
    runs = parser.parse_args().runs
    if runs < 1:
        parser.error("--runs must be at least 1")
    return runs


def main() -> int:
    runs = parse_runs(__doc__.splitlines()[0])
    measured: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, baseline in (("baseline", True), ("site", False)):
            site = Path(tmp) / name
            build(site, baseline)  # fills the build cache; timed builds follow
            with serve_site(site) as url:
                measured[name] = measure(browser, url, runs)
            measured[name]["build"] = [build(Path(tmp) / f"{name}-{i}", baseline)
                                       for i in range(runs)]
        browser.close()
    table = render(measured, runs)
    print(table)
    RESULTS.write_text(table)
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}")
    return 0


def render(measured: dict[str, dict[str, list[float]]], runs: int) -> str:
    def median(name: str, key: str) -> float:
        return statistics.median(measured[name][key])

    rows = [
        ("First live result, cold (ms)", "cold", "{:.0f}"),
        ("First live result, warm: from the memory snapshot (ms)", "warm", "{:.0f}"),
        ("First live result, warm: snapshot not downloaded (ms)", "warm_fresh", "{:.0f}"),
        ("Calculator page, bytes transferred cold, to the first result (MB)", "page_bytes", "{:.2f}"),
        ("Calculator page, bytes of the first visit with the snapshot's background download (MB)",
         "visit_bytes", "{:.2f}"),
        ("Text-only page, bytes transferred cold (kB)", "text_bytes", "{:.0f}"),
        ("Text-only page, Pyodide bytes", "text_pyodide_bytes", "{:.0f}"),
        ("Recompute after an input change (ms)", "recompute", "{:.1f}"),
        ("`mkdocs build`, cache warm (s)", "build", "{:.1f}"),
    ]
    scale = {"page_bytes": 1e-6, "visit_bytes": 1e-6, "text_bytes": 1e-3}
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {date.today().isoformat()}: medians of {runs} runs, "
        f"{os.cpu_count()} cores, {platform.machine()}, headless Debian Chromium, site served "
        "by serve.py on 127.0.0.1 (brotli). Baseline: the same site with Pyodide's shipped "
        "standard library, no bytecode and no snapshot. Warm: a reload after the first visit.",
        "",
        "| Measure | Baseline | This site | Speed-up |",
        "|---|---:|---:|---:|",
    ]
    for label, key, fmt in rows:
        base = median("baseline", key) * scale.get(key, 1)
        ours = median("site", key) * scale.get(key, 1)
        ratio = f"{base / ours:.2f}x" if key in ("cold", "warm", "warm_fresh") and ours else ""
        lines.append(f"| {label} | {fmt.format(base)} | {fmt.format(ours)} | {ratio} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
