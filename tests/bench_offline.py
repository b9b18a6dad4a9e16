"""The offline copy (make bundle): its size, part by part, and the time to the first live
result of a page opened from disk against the same copy served by its launcher, in each
engine (not a test).

Usage: .venv/bin/python tests/bench_offline.py [--runs 5]   (make bench runs it too)

Builds the site, writes the bundle, unzips it, and for each engine (Chromium, Firefox ESR,
WebKitGTK; tests/engines.py) opens how-to.html at its calculator, each visit in a fresh
profile: from disk (file://), and from the launcher (serve.py in the unzipped folder) as a
first visit. The larger copy with the memory snapshot (make bundle BUNDLE_SNAPSHOT=yes) is
timed the same way, and served also as a warm visit (from the snapshot the launcher's
first visit keeps): what the snapshot buys for its size. Prints medians, and the zip's
size against its budget.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from macros.hooks import offline  # noqa: E402
from macros.hooks.bundle import write_bundle  # noqa: E402
from macros.hooks.settings import BUNDLE_BUDGET_MB  # noqa: E402
from tests import engines  # noqa: E402
from tests.bench import parse_runs  # noqa: E402
from tests.helpers import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DOWNLOADED,
    FROM_SNAPSHOT,
    MARKED_JS,
    build_site,
    free_port,
)
from tests.helpers import FIRST_RESULT as FIRST  # noqa: E402
from tests.helpers import MARK_TIME_JS as STARTED_JS  # noqa: E402

LINK = "how-to.html#calculator-after-tax-space"
ENGINE_NAMES = {"chromium": "Chromium", "firefox": "Firefox ESR", "webkit": "WebKitGTK"}


def write_copy(site: Path, out: Path, snapshot: bool) -> tuple[Path, Path]:
    """The bundle's zip and its unzipped folder (snapshot: False for a copy without it),
    with its launcher, which the benchmark serves it with (make bundle-launcher); the copy
    made for mail is about 0.3 MB larger zipped (its pages carry their scripts)."""
    archive = write_bundle(site, out, snapshot, launcher=True)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "unzipped")
    (folder,) = (out / "unzipped").iterdir()
    return archive, folder


# The parts of a copy, as issue 20 measured them: the first that matches a path in the copy.
PARTS = (
    ("`assets/offline/` (the runtime, stdlib and wheel, and the snapshot if carried, as "
     "HTML documents: for disk, and served by the launcher)",
     lambda path: path.startswith(f"{offline.OFFLINE_DIR}/")),
    ("`assets/pyodide/`, original files",
     lambda path: path.startswith("assets/pyodide/") and not path.endswith((".br", ".gz"))),
    ("`assets/python/`, original files",
     lambda path: path.startswith("assets/python/") and not path.endswith((".br", ".gz"))),
    ("`assets/pyodide/*.br`, `*.gz`", lambda path: path.startswith("assets/pyodide/")),
    ("`assets/python/*.br`, `*.gz`", lambda path: path.startswith("assets/python/")),
    ("pages, search, theme and the rest", lambda path: True),
)


def copy_sizes(archive: Path) -> dict[str, tuple[float, float]]:
    """MB zipped and unzipped: the whole copy ("zip": the zip file itself) and each part."""
    sizes = {label: [0, 0] for label, _ in PARTS}
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            path = info.filename.split("/", 1)[1]
            label = next(label for label, matches in PARTS if matches(path))
            sizes[label][0] += info.compress_size
            sizes[label][1] += info.file_size
    total_unzipped = sum(unzipped for _, unzipped in sizes.values())
    return {"zip": (archive.stat().st_size / 1e6, total_unzipped / 1e6),
            **{label: (zipped / 1e6, unzipped / 1e6) for label, (zipped, unzipped) in sizes.items()}}


def launch(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(folder / "serve.py"), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    process.stdout.readline()  # the launcher prints its address once it listens
    return process, f"http://127.0.0.1:{port}/"


def first_result(page, url: str) -> float:
    page.goto(url)
    page.wait_for(MARKED_JS, FIRST, timeout=120, what="the first live result")
    return page.evaluate(STARTED_JS, FIRST)


def time_engine(engine: engines.Engine, urls: dict[str, str], runs: int):
    """ms to the first live result, each visit in a fresh profile, for each of `urls` (the
    copies from disk and served); then, for the served copy with the snapshot, a warm visit."""
    results: dict[str, list[float]] = {key: [] for key in [*urls, "served_snapshot_warm"]}
    for _ in range(runs):
        for key, url in urls.items():
            page = engine.new_page(fresh=True)
            results[key].append(first_result(page, url))
            if key == "served_snapshot":
                if not page.evaluate(MARKED_JS, FROM_SNAPSHOT):
                    page.wait_for(MARKED_JS, DOWNLOADED, timeout=120, what="the snapshot's download")
                page.goto("about:blank")
                results["served_snapshot_warm"].append(first_result(page, url))
            page.close()
    return results


def measure(site: Path, runs: int, browser) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        archive, folder = write_copy(site, Path(tmp) / "default", snapshot=False)
        larger, larger_folder = write_copy(site, Path(tmp) / "snapshot", snapshot=True)
        sizes = {"default": copy_sizes(archive), "snapshot": copy_sizes(larger)}
        page, anchor = LINK.split("#")
        launchers = [launch(folder), launch(larger_folder)]
        urls = {"disk": f"{(folder / page).as_uri()}#{anchor}",
                "disk_snapshot": f"{(larger_folder / page).as_uri()}#{anchor}",
                "served": launchers[0][1] + LINK,
                "served_snapshot": launchers[1][1] + LINK}
        timings = {}
        try:
            for name in ENGINE_NAMES:
                engine = engines.start(name, browser)
                try:
                    timings[name] = time_engine(engine, urls, runs)
                finally:
                    engine.close()
        finally:
            for process, _ in launchers:
                process.terminate()
                process.wait(timeout=10)
    return {"sizes": sizes, "timings": timings}


def render(measured: dict, runs: int) -> str:
    default, larger = measured["sizes"]["default"], measured["sizes"]["snapshot"]
    lines = [
        "",
        "## The offline copy",
        "",
        f"`make bundle`'s zip, against its budget of {BUNDLE_BUDGET_MB:g} MB "
        "(`BUNDLE_BUDGET_MB`), part by part; and the larger copy with the memory snapshot "
        "(`BUNDLE_SNAPSHOT=yes`). MB of 1,000,000 bytes.",
        "",
        "| Part | Zipped | Unzipped | With the snapshot: zipped | unzipped |",
        "|---|---:|---:|---:|---:|",
        *(f"| {label} | {default[label][0]:.2f} | {default[label][1]:.2f} | "
          f"{larger[label][0]:.2f} | {larger[label][1]:.2f} |"
          for label, _ in PARTS if default[label][1] or larger[label][1]),
        f"| **The zip** | **{default['zip'][0]:.2f}** | **{default['zip'][1]:.2f}** | "
        f"**{larger['zip'][0]:.2f}** | **{larger['zip'][1]:.2f}** |",
        "",
        f"First live result of {LINK.split('#')[0]} opened at its calculator, ms, medians of "
        f"{runs} runs, each visit in a fresh profile. From disk nothing is kept between "
        "visits: Python starts afresh (or from the copy's snapshot). Served by the launcher: "
        "a first visit; with the snapshot, also a warm one (from the snapshot the first visit "
        "downloaded).",
        "",
        "| Engine | From disk | From disk, with the snapshot | Launcher, first visit | "
        "With the snapshot: launcher, first visit | warm |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, results in measured["timings"].items():
        median = {key: statistics.median(values) for key, values in results.items()}
        lines.append(f"| {ENGINE_NAMES[name]} | {median['disk']:.0f} | {median['disk_snapshot']:.0f} | "
                     f"{median['served']:.0f} | {median['served_snapshot']:.0f} | "
                     f"{median['served_snapshot_warm']:.0f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    runs = parse_runs(__doc__.splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = Path(tmp) / "site"
        done = build_site(ROOT, site)
        if done.returncode != 0:
            sys.exit(f"mkdocs build failed:\n{done.stderr}")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            print(render(measure(site, runs, browser), runs))
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
