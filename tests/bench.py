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
- `mkdocs build` time (with the build cache warm);
- the phone profile (this site only): Chromium at 390x844 with mobile emulation, a
  9 Mbit/s link with 170 ms latency and 4x CPU slowdown (CDP), for a scenario link, for a
  reader who scrolls to the calculator, and for a reader who stays at the top;
- the scenario link on a phone, at 9 Mbit/s and at 1.6 Mbit/s, for both sites: the first
  runtime request, the first live result, the bytes before it, and its ratio to the
  transfer floor (`--link-only` measures these alone and prints them).
- for the shipped site in Firefox ESR and WebKitGTK (tests/engines.py): cold and warm
  time to the first live result of a page opened at its calculator, each visit in a fresh
  profile, and how many warm visits started from the memory snapshot;
- the offline copy (tests/bench_offline.py): its size, zipped and unzipped, part by part
  against its budget, and the first live result from disk against the same copy served by
  its launcher, in each engine; the same for the larger copy with the memory snapshot.
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
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from macros.contract import MARKS  # noqa: E402
from serve import SiteHandler  # noqa: E402
from tests import engines  # noqa: E402
from tests.helpers import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    DOWNLOADED,
    FROM_SNAPSHOT,
    MARKED_JS,
    build_site,
    serve_site,
)
from tests.helpers import FIRST_RESULT as FIRST  # noqa: E402
from tests.helpers import MARK_TIME_JS as STARTED_JS  # noqa: E402

CALCULATOR_PAGE = "how-to.html"
# Python starts when the reader nears a calculator or opens a link to one: the desktop
# rows open the calculator's anchor, so that it starts at once, as the page load did before.
CALCULATOR_LINK = CALCULATOR_PAGE + "#calculator-after-tax-space"
TEXT_PAGE = "contribution-types.html"
RESULTS = ROOT / "tests" / "benchmark-results.md"
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


# The steps of a start, in order, as the page marks them (macros/contract.py).
STEPS = ("pythonAsked", "runtimeRequested", "runtimeDownloaded", "pythonStarted",
         "calculatorsImported", "firstResult")
STEP_LABELS = {"pythonAsked": "Python asked for", "runtimeRequested": "first runtime request",
               "runtimeDownloaded": "last runtime file arrived",
               "pythonStarted": "Python started (wasm compiled, interpreter up)",
               "calculatorsImported": "calculators imported"}
STEP_TIMES_JS = """(names) => Object.fromEntries(Object.entries(names).map(([step, name]) =>
  [step, performance.getEntriesByName(name)[0]?.startTime ?? null]))"""


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
        page.goto(url + CALCULATOR_LINK)
        results["cold"].append(first_result_ms(page))
        for step, at in page.evaluate(STEP_TIMES_JS, {step: MARKS[step] for step in STEPS}).items():
            results.setdefault(f"cold_{step}", []).append(at)
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
        page.goto(url + CALCULATOR_LINK)
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


OTHER_ENGINES = {"firefox": "Firefox ESR", "webkit": "WebKitGTK"}


def first_results_in(name: str, url: str, runs: int) -> dict[str, list[float]]:
    """Cold and warm ms to the first live result in one engine (a fresh profile per run),
    and for each warm visit whether it started from the snapshot (1) or not (0)."""
    results: dict[str, list[float]] = {"cold": [], "warm": [], "warm_from_snapshot": []}
    engine = engines.start(name)
    try:
        for _ in range(runs):
            page = engine.new_page(fresh=True)
            page.goto(url + CALCULATOR_LINK)
            page.wait_for(MARKED_JS, FIRST, what="the first live result")
            results["cold"].append(page.evaluate(STARTED_JS, FIRST))
            if not page.evaluate(MARKED_JS, FROM_SNAPSHOT):  # WebKit: see issue 12
                page.wait_for(MARKED_JS, DOWNLOADED, what="the snapshot's download")
            page.goto("about:blank")
            page.goto(url + CALCULATOR_LINK)
            page.wait_for(MARKED_JS, FIRST, what="the first live result")
            results["warm"].append(page.evaluate(STARTED_JS, FIRST))
            results["warm_from_snapshot"].append(int(page.evaluate(MARKED_JS, FROM_SNAPSHOT)))
            page.close()
    finally:
        engine.close()
    return results


def parse_args(description: str) -> argparse.Namespace:
    """A benchmark's command line: --runs (5 unless given), --link-only."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure (default 5)")
    parser.add_argument("--link-only", action="store_true",
                        help="only the scenario link on a phone (prints, writes nothing)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def parse_runs(description: str) -> int:
    """The --runs option of a benchmark's command line (5 unless given)."""
    return parse_args(description).runs


def main() -> int:
    from tests import bench_offline  # it reuses parse_runs from here

    args = parse_args(__doc__.splitlines()[0])
    runs = args.runs
    if args.link_only:
        print(link_only(runs))
        return 0
    measured: dict[str, dict[str, list[float]]] = {}
    links: dict[str, dict[str, dict[str, list[float]]]] = {}
    by_engine: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, baseline in (("baseline", True), ("site", False)):
            site = Path(tmp) / name
            build(site, baseline)  # fills the build cache; timed builds follow
            with serve_site(site, CountingHandler) as url:
                measured[name] = measure(browser, url, runs)
                links[name] = {label: measure_link(browser, url, runs, network)
                               for label, network in LINK_NETWORKS.items()}
                if not baseline:
                    phone = measure_phone(browser, url, runs)
                    by_engine = {engine: first_results_in(engine, url, runs)
                                 for engine in OTHER_ENGINES}
                    offline_copy = bench_offline.measure(site, runs, browser)
            measured[name]["build"] = [build(Path(tmp) / f"{name}-{i}", baseline)
                                       for i in range(runs)]
        browser.close()
    table = (render(measured, runs) + "\n" + render_phone(phone, runs)
             + render_link(links["site"], links["baseline"], runs)
             + render_engines(by_engine) + bench_offline.render(offline_copy, runs))
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
        *((f"Cold, steps: {STEP_LABELS[step]} (ms)", f"cold_{step}", "{:.0f}") for step in STEPS[:-1]),
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


# --- The phone profile -------------------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3}
PHONE_NETWORK = {"offline": False, "latency": 170, "downloadThroughput": 9e6 / 8,
                 "uploadThroughput": 9e6 / 8}
PHONE_CPU_SLOWDOWN = 4
SCENARIO_LINK = ("#calculator-after-tax-space?age=55&compensation=150000&elective_deferrals=32500"
                 "&employer_contributions=10000")
TOP_READER_SECONDS = 10
READ_TITLE_MS = 2000  # the scrolling reader reads the top of the page first
SCROLL_PX_PER_S = 100  # then skims down: a phone screen every 8 s or so
# Scrolls at the reader's pace until the calculator's top edge is on the screen; resolves
# with that time (ms since navigation).
SCROLL_TO_CALCULATOR_JS = """([step, every]) => new Promise((resolve) => {
  const block = document.querySelector('#calculator-after-tax-space');
  const timer = setInterval(() => {
    scrollBy(0, step);
    if (block.getBoundingClientRect().top < innerHeight) {
      clearInterval(timer);
      resolve(performance.now());
    }
  }, every);
})"""


def phone_page(browser, network=PHONE_NETWORK):
    """A new context and page with the phone's screen, network and CPU."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", network)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU_SLOWDOWN})
    return context, page


# A slower phone link, for the same scenario link.
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8,
                "uploadThroughput": 1.6e6 / 8}
# The transfer floor of a scenario link (issue 19): the bytes to the first result of the
# site as it was then, 3.77 MB, at the link's speed plus one round trip. It stays fixed, so
# that a design that moves more bytes pays for them in its time, not in a larger floor.
FLOOR_BYTES = 3.77e6


def floor_ms(network: dict) -> float:
    return FLOOR_BYTES * 8 / (network["downloadThroughput"] * 8) * 1000 + network["latency"]


def is_runtime(url: str) -> bool:
    return "/assets/pyodide/" in url or "/assets/python/" in url


class CountingHandler(SiteHandler):
    """serve.py's handler that notes, for each request, when it arrived and the bytes sent
    for it (headers and body): what the browser cannot always tell of a worker's requests."""

    sent: ClassVar[list[list]] = []  # [arrival, ms since the epoch; path; bytes]

    def parse_request(self) -> bool:
        arrived = time.time() * 1000
        parsed = super().parse_request()
        self.record = [arrived, getattr(self, "path", ""), 0]
        self.sent.append(self.record)
        return parsed

    def setup(self) -> None:
        super().setup()
        write = self.wfile.write

        def counted(data) -> int:
            if getattr(self, "record", None):
                self.record[2] += len(data)
            return write(data)

        self.wfile.write = counted


def measure_link(browser, url: str, runs: int, network: dict) -> dict[str, list[float]]:
    """The scenario link, cold, on a phone: ms from navigation to the HTML's arrival, to
    each step of the start (STEPS) and to the first live result, and the bytes the server
    sent for the requests that arrived before that result."""
    results: dict[str, list[float]] = {}
    for _ in range(runs):
        for key, value in link_visit(browser, url, network).items():
            results.setdefault(key, []).append(value)
    return results


def link_visit(browser, url: str, network: dict) -> dict[str, float]:
    context, page = phone_page(browser, network)
    CountingHandler.sent.clear()
    page.goto(url + CALCULATOR_PAGE + SCENARIO_LINK, wait_until="commit")
    live = first_result_ms(page)
    steps = page.evaluate(STEP_TIMES_JS, {step: MARKS[step] for step in STEPS})
    html = page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd")
    origin = page.evaluate("performance.timeOrigin")
    context.close()
    sent = list(CountingHandler.sent)
    first_runtime = min(at for at, path, _ in sent if is_runtime(path)) - origin
    # The snapshot is asked for only after the first result, for the next visit: if its
    # request raced ahead of the mark it is still not part of this visit's cost.
    before = [(path, size) for at, path, size in sent
              if at <= origin + live and not path.endswith(SNAPSHOT)]
    paths = [path for path, _ in before]
    return {**steps, "live": live, "html": html, "first_request": first_runtime,
            "after_html": first_runtime - html, "bytes": sum(size for _, size in before),
            "repeated": len(paths) - len(set(paths))}


# The rows of the scenario link's table: (label, key in measure_link's results, scale, format).
LINK_ROWS = (
    ("HTML arrived (ms after navigation)", "html", 1, "{:.0f}"),
    ("Python asked for (ms after navigation)", "pythonAsked", 1, "{:.0f}"),
    ("First runtime request (ms after navigation)", "first_request", 1, "{:.0f}"),
    ("First runtime request (ms after the HTML arrived)", "after_html", 1, "{:.0f}"),
    ("Last runtime file arrived (ms)", "runtimeDownloaded", 1, "{:.0f}"),
    ("Python started: wasm compiled, interpreter up (ms)", "pythonStarted", 1, "{:.0f}"),
    ("Calculators imported (ms)", "calculatorsImported", 1, "{:.0f}"),
    ("First live result (ms)", "live", 1, "{:.0f}"),
    ("Bytes before the first result, counted by the server (MB)", "bytes", 1e-6, "{:.2f}"),
    ("Requests for a file already asked for, before the first result", "repeated", 1, "{:.0f}"),
)


def render_link(site: dict, baseline: dict, runs: int) -> str:
    """site, baseline: {network label: measure_link's results}."""
    lines = [
        "",
        "## Scenario link on a phone: first request, first result, transfer floor",
        "",
        f"Cold visits of the scenario link, medians of {runs} runs, Chromium at 390x844, "
        f"{PHONE_CPU_SLOWDOWN}x CPU slowdown. Floor: {FLOOR_BYTES / 1e6:.2f} MB (the bytes to "
        "the first result when issue 19 was filed) at the link's speed plus one round trip. "
        "Baseline: the same link on the site with stock Pyodide, in the same run. The steps "
        "are the page's marks (macros/contract.py); bytes are counted by the server for the "
        "requests that reached it before the first result.",
        "",
        "| Link | Measure | This site | Baseline |",
        "|---|---|---:|---:|",
    ]

    def med(results: dict, key: str) -> float:
        values = [v for v in results.get(key, []) if v is not None]
        return statistics.median(values) if values else float("nan")

    for label, network in (("9 Mbit/s, 170 ms", PHONE_NETWORK), ("1.6 Mbit/s, 150 ms", SLOW_NETWORK)):
        ours, base = site[label], baseline[label]
        floor = floor_ms(network)
        lines += [f"| {label} | {name} | {fmt.format(med(ours, key) * scale)} | "
                  f"{fmt.format(med(base, key) * scale)} |" for name, key, scale, fmt in LINK_ROWS]
        lines += [
            f"| {label} | Transfer floor (ms) | {floor:.0f} | {floor:.0f} |",
            f"| {label} | First result / floor | {med(ours, 'live') / floor:.2f} | "
            f"{med(base, 'live') / floor:.2f} |",
            f"| {label} | This site / baseline | {med(ours, 'live') / med(base, 'live'):.2f} | |",
        ]
    return "\n".join(lines) + "\n"


LINK_NETWORKS = {"9 Mbit/s, 170 ms": PHONE_NETWORK, "1.6 Mbit/s, 150 ms": SLOW_NETWORK}


def link_only(runs: int) -> str:
    """make bench's scenario-link rows alone (--link-only): both sites built, measured."""
    measured = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, baseline in (("baseline", True), ("site", False)):
            site = Path(tmp) / name
            build(site, baseline)
            with serve_site(site, CountingHandler) as url:
                measured[name] = {label: measure_link(browser, url, runs, network)
                                  for label, network in LINK_NETWORKS.items()}
        browser.close()
    return render_link(measured["site"], measured["baseline"], runs)


def first_paint_ms(page) -> float:
    return page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime")


def measure_phone(browser, url: str, runs: int) -> dict[str, list[float]]:
    """Cold visits in the phone profile (see the module's docstring)."""
    results: dict[str, list[float]] = {
        "link_painted": [], "link_live": [], "scroll_reached": [], "scroll_live": [],
        "scroll_live_on_screen": [], "top_bytes": [], "top_runtime_bytes": []}
    for _ in range(runs):
        context, page = phone_page(browser)
        page.goto(url + CALCULATOR_PAGE + SCENARIO_LINK)
        results["link_live"].append(first_result_ms(page))
        results["link_painted"].append(first_paint_ms(page))
        context.close()

        context, page = phone_page(browser)
        page.goto(url + CALCULATOR_PAGE)
        page.wait_for_timeout(READ_TITLE_MS)
        step_ms = 250
        reached = page.evaluate(SCROLL_TO_CALCULATOR_JS, [SCROLL_PX_PER_S * step_ms // 1000, step_ms])
        live = first_result_ms(page)
        results["scroll_reached"].append(reached)
        results["scroll_live"].append(live)
        results["scroll_live_on_screen"].append(1.0 if live <= reached else 0.0)
        context.close()

        context, page = phone_page(browser)
        sizes = record_sizes(context)
        page.goto(url + CALCULATOR_PAGE)
        page.wait_for_timeout(TOP_READER_SECONDS * 1000)
        results["top_bytes"].append(sum(size for _, size in sizes))
        results["top_runtime_bytes"].append(
            sum(size for u, size in sizes if "/assets/pyodide/" in u or "/assets/python/" in u))
        context.close()
    return results


def render_phone(measured: dict[str, list[float]], runs: int) -> str:
    def median(key: str) -> float:
        return statistics.median(measured[key])

    live = int(sum(measured["scroll_live_on_screen"]))
    rows = [
        ("Scenario link: pre-rendered results painted (first contentful paint, ms)",
         f"{median('link_painted'):.0f}"),
        ("Scenario link: first live result (ms)", f"{median('link_live'):.0f}"),
        ("Scrolling reader: calculator reaches the screen (ms)", f"{median('scroll_reached'):.0f}"),
        ("Scrolling reader: first live result (ms)", f"{median('scroll_live'):.0f}"),
        ("Scrolling reader: live when the calculator reaches the screen (runs)", f"{live} of {runs}"),
        (f"Reader at the top for {TOP_READER_SECONDS} s: bytes transferred (kB)",
         f"{median('top_bytes') / 1e3:.0f}"),
        (f"Reader at the top for {TOP_READER_SECONDS} s: Python runtime and snapshot bytes",
         f"{median('top_runtime_bytes'):.0f}"),
    ]
    lines = [
        "## Phone profile",
        "",
        f"Cold visits, medians of {runs} runs: Chromium at 390x844 with mobile emulation, "
        f"{PHONE_NETWORK['downloadThroughput'] * 8 / 1e6:.0f} Mbit/s with {PHONE_NETWORK['latency']} ms "
        f"latency and {PHONE_CPU_SLOWDOWN}x CPU slowdown (CDP). Scenario link: {CALCULATOR_PAGE} with "
        "a filled-in after-tax space calculator and its anchor. Scrolling reader: opens "
        f"{CALCULATOR_PAGE}, reads the top for {READ_TITLE_MS / 1000:.0f} s, then scrolls at "
        f"{SCROLL_PX_PER_S} px/s until the first calculator's top edge is on the screen.",
        "",
        "| Measure | This site |",
        "|---|---:|",
        *(f"| {label} | {value} |" for label, value in rows),
    ]
    return "\n".join(lines) + "\n"


def render_engines(by_engine: dict[str, dict[str, list[float]]]) -> str:
    lines = [
        "",
        "## First live result in the other engines (this site)",
        "",
        "Debian's Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK (MiniBrowser "
        "under Xvfb, WebKitWebDriver): the page opened at its calculator in a fresh profile "
        "(cold), then again after the snapshot's background download (warm); medians.",
        "",
        "| Engine | Cold (ms) | Warm (ms) | Warm visits from the snapshot |",
        "|---|---:|---:|---:|",
    ]
    for engine, results in by_engine.items():
        from_snapshot = results["warm_from_snapshot"]
        lines.append(f"| {OTHER_ENGINES[engine]} | {statistics.median(results['cold']):.0f} | "
                     f"{statistics.median(results['warm']):.0f} | "
                     f"{sum(from_snapshot):.0f} of {len(from_snapshot)} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
