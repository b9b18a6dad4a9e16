"""The offline copy (make bundle): its size, and the time to the first live result of a page
opened from disk against the same copy served by its launcher, in each engine (not a test).

Usage: .venv/bin/python tests/bench_offline.py [--runs 5]   (make bench runs it too)

Builds the site, writes the bundle, unzips it, and for each engine (Chromium, Firefox ESR,
WebKitGTK; tests/engines.py) opens how-to.html at its calculator, each visit in a fresh
profile: from disk (file://), and from the launcher (serve.py in the unzipped folder) as a
first visit and as a warm one (from the memory snapshot it keeps after the first). A
second copy without the memory snapshot for pages from disk is timed the same way: that
it is worth its size is why the copy carries it. Prints medians.
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
    """The bundle's zip and its unzipped folder (snapshot: False for a copy without it)."""
    archive = write_bundle(site, out, snapshot)
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "unzipped")
    (folder,) = (out / "unzipped").iterdir()
    return archive, folder


def copy_sizes(archive: Path, folder: Path) -> dict[str, float]:
    """MB: the zip, the unzipped folder, and the part of each that is Python for disk."""
    with zipfile.ZipFile(archive) as zf:
        disk_zipped = sum(i.compress_size for i in zf.infolist() if f"/{offline.OFFLINE_DIR}/" in i.filename)
    files = [p for p in folder.rglob("*") if p.is_file()]
    return {
        "zipped": archive.stat().st_size / 1e6,
        "unzipped": sum(p.stat().st_size for p in files) / 1e6,
        "disk_zipped": disk_zipped / 1e6,
        "disk_unzipped": sum(p.stat().st_size for p in (folder / offline.OFFLINE_DIR).iterdir()) / 1e6,
    }


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


def time_engine(engine: engines.Engine, disk_urls: dict[str, str], served: str, runs: int):
    results: dict[str, list[float]] = {key: [] for key in [*disk_urls, "served_cold", "served_warm"]}
    for _ in range(runs):
        for key, url in disk_urls.items():
            page = engine.new_page(fresh=True)
            results[key].append(first_result(page, url))
            page.close()
        page = engine.new_page(fresh=True)
        results["served_cold"].append(first_result(page, served + LINK))
        if not page.evaluate(MARKED_JS, FROM_SNAPSHOT):
            page.wait_for(MARKED_JS, DOWNLOADED, timeout=120, what="the snapshot's download")
        page.goto("about:blank")
        results["served_warm"].append(first_result(page, served + LINK))
        page.close()
    return results


def measure(site: Path, runs: int, browser) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        archive, folder = write_copy(site, Path(tmp) / "shipped", snapshot=True)
        without, without_folder = write_copy(site, Path(tmp) / "without", snapshot=False)
        sizes = {"shipped": copy_sizes(archive, folder),
                 "without": copy_sizes(without, without_folder)}
        page, anchor = LINK.split("#")
        disk_urls = {"disk": f"{(folder / page).as_uri()}#{anchor}",
                     "disk_without": f"{(without_folder / page).as_uri()}#{anchor}"}
        process, served = launch(folder)
        timings = {}
        try:
            for name in ENGINE_NAMES:
                engine = engines.start(name, browser)
                try:
                    timings[name] = time_engine(engine, disk_urls, served, runs)
                finally:
                    engine.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    return {"sizes": sizes, "timings": timings}


def render(measured: dict, runs: int) -> str:
    shipped, without = measured["sizes"]["shipped"], measured["sizes"]["without"]
    lines = [
        "",
        "## The offline copy",
        "",
        "`make bundle`'s zip, and what its Python for pages opened from disk "
        "(`assets/offline/`, with the memory snapshot) adds; and a variant without the snapshot.",
        "",
        "| Size (MB) | Zipped | Unzipped | Of which Python for disk, zipped | unzipped |",
        "|---|---:|---:|---:|---:|",
        *(f"| {label} | {sizes['zipped']:.1f} | {sizes['unzipped']:.1f} | "
          f"{sizes['disk_zipped']:.1f} | {sizes['disk_unzipped']:.1f} |"
          for label, sizes in (("The copy", shipped), ("Without the snapshot for disk", without))),
        "",
        f"First live result of {LINK.split('#')[0]} opened at its calculator, ms, medians of "
        f"{runs} runs, each visit in a fresh profile. From disk nothing is kept between "
        "visits: Python starts from the copy's snapshot (or, without it, afresh). Served by "
        "the launcher: a first visit, and a warm one (from the snapshot the first visit "
        "downloaded).",
        "",
        "| Engine | From disk | From disk, without the snapshot | Launcher, first visit | Launcher, warm |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, results in measured["timings"].items():
        median = {key: statistics.median(values) for key, values in results.items()}
        lines.append(f"| {ENGINE_NAMES[name]} | {median['disk']:.0f} | {median['disk_without']:.0f} | "
                     f"{median['served_cold']:.0f} | {median['served_warm']:.0f} |")
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
