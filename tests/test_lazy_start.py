"""Python only when the reader reaches a calculator, the snapshot kept in Cache Storage, and
the download progress (Chromium; the loader is docs/javascripts/calculators.js, the worker
calculator-worker.mjs).

A reader at the top of a calculator page downloads no runtime; coming near a calculator,
focusing its form or opening a scenario link starts Python. Warm visits restore the memory
snapshot from Cache Storage, whatever the host's cache headers say.
"""

from __future__ import annotations

import itertools
import statistics

import pytest

from macros.contract import MARKS
from serve import SiteHandler

from .helpers import (
    DOWNLOADED,
    FROM_SNAPSHOT,
    PAGE,
    READY_TIMEOUT_MS,
    answer,
    link,
    marked,
    serve_site,
    snapshot_file,
    wait_marked,
    wait_output,
    wait_ready,
)
from .helpers import FIRST_RESULT as FIRST
from .helpers import PYTHON_ASKED as ASKED

BLOCK = "#calculator-after-tax-space"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 720}}
STEPS = ("pythonAsked", "runtimeRequested", "runtimeDownloaded", "pythonStarted",
         "calculatorsImported", "firstResult")


def is_runtime(url: str) -> bool:
    return "/assets/pyodide/" in url or "/assets/python/" in url


def record_requests(page) -> list[str]:
    """Every URL the page's context requests from now on, its worker's included."""
    urls: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    return urls


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(
        selector, "e => { const r = e.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }")


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_reader_at_the_top_of_a_calculator_page_downloads_no_python(new_page, site_url, device):
    page = new_page(**device)
    requests = record_requests(page)
    page.goto(site_url + PAGE)
    page.wait_for_timeout(3000)  # reading the top of the page
    assert any(url.endswith("calculators.js") for url in requests), "the loader did not load"
    assert [url for url in requests if is_runtime(url)] == []
    assert not marked(page, ASKED)
    # The pre-rendered results are there all along: the site year's example
    # (2026: 72,000 - 24,500 - 6,000 = 41,500).
    assert "worked out when this page was built" in page.inner_text(f"{BLOCK} [data-status]")
    assert page.inner_text(f'{BLOCK} [data-output="after_tax_room"]') == answer({})


def test_coming_near_a_calculator_starts_python_before_it_is_on_screen(new_page, site_url):
    page = new_page(**PHONE)
    requests = record_requests(page)
    page.goto(site_url + PAGE)
    page.wait_for_timeout(500)
    # Half a screen below the bottom edge: within the loader's margin of one screen.
    page.evaluate(f"""() => {{
      const top = document.querySelector('{BLOCK}').getBoundingClientRect().top + scrollY;
      scrollTo(0, top - 1.5 * innerHeight);
    }}""")
    page.wait_for_function("(name) => performance.getEntriesByName(name).length > 0",
                           arg=ASKED, timeout=10_000)
    assert not in_view(page, BLOCK)
    wait_ready(page)
    assert any(url.endswith("pyodide.asm.wasm") for url in requests)


def test_focusing_a_field_starts_python(new_page, site_url):
    page = new_page(**DESKTOP)
    page.goto(site_url + PAGE)
    page.wait_for_timeout(500)
    assert not marked(page, ASKED)
    # Focus without scrolling: only the focus can start it.
    page.eval_on_selector("#after-tax-space-age", "e => e.focus({ preventScroll: true })")
    page.wait_for_function("(name) => performance.getEntriesByName(name).length > 0",
                           arg=FIRST, timeout=READY_TIMEOUT_MS)
    assert page.evaluate("scrollY") == 0


def test_a_scenario_link_starts_python_at_once(new_page, site_url):
    page = new_page(**PHONE)
    requests = record_requests(page)
    # The values after the "#": the page lands on the calculator, and Python starts at once.
    page.goto(site_url + PAGE + link("after-tax-space", {"employer_contributions": "10000"}))
    page.wait_for_function("(name) => performance.getEntriesByName(name).length > 0",
                           arg=FIRST, timeout=READY_TIMEOUT_MS)
    assert in_view(page, BLOCK)
    # 415(c) - 402(g) - 10,000 in the site year (2026: 72,000 - 24,500 - 10,000 = 37,500)
    wait_output(page, "after_tax_room", answer({"employer_contributions": 10000}))
    # The worker's steps are marks, in the order they happen: the benchmark splits a start
    # by them. (The last download may be our wheel, which Python's start does not wait for.)
    at = page.evaluate("(names) => names.map((n) => performance.getEntriesByName(n)[0]?.startTime)",
                       [MARKS[step] for step in STEPS])
    assert None not in at, dict(zip(STEPS, at, strict=True))
    asked, requested, downloaded, started, imported, first = at
    assert asked <= requested <= started <= imported <= first, dict(zip(STEPS, at, strict=True))
    assert requested <= downloaded <= imported, dict(zip(STEPS, at, strict=True))
    # Each runtime file is asked for once, whether the page or the worker asked for it.
    runtime = [url.rsplit("/", 1)[-1] for url in requests if is_runtime(url)]
    assert {"pyodide.asm.wasm", "python_stdlib.zip"} <= set(runtime), runtime
    assert len(runtime) == len(set(runtime)), runtime


def test_a_link_to_a_calculator_starts_it_at_once(new_page, site_url):
    page = new_page(**PHONE)
    page.goto(site_url + PAGE + "#calculator-paycheck-planner")
    # Asked for while the page loads, before the block's own scroll could be observed.
    wait_ready(page, "paycheck-planner")
    asked = page.evaluate("(name) => performance.getEntriesByName(name)[0].startTime", ASKED)
    loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    assert asked <= loaded + 50


# --- The snapshot in Cache Storage ----------------------------------------------------


class NoStoreHandler(SiteHandler):
    """serve.py's handler, but every response says Cache-Control: no-store (a host whose
    headers forbid caching: the HTTP cache keeps nothing)."""

    def send_header(self, keyword: str, value: str) -> None:
        super().send_header(keyword, "no-store" if keyword.lower() == "cache-control" else value)


def stored_snapshots(page) -> list[str]:
    return page.evaluate("caches.open('calculator-snapshots')"
                         ".then((cache) => cache.keys()).then((keys) => keys.map((k) => k.url))")


def test_a_warm_visit_restores_the_snapshot_from_cache_storage_on_a_no_store_host(new_page, built_site):
    with serve_site(built_site, NoStoreHandler) as url:
        page = new_page()
        sent = page.goto(url + PAGE)
        assert sent.headers["cache-control"] == "no-store"
        wait_ready(page)
        assert not marked(page, FROM_SNAPSHOT)
        wait_marked(page, DOWNLOADED)
        assert stored_snapshots(page) == [url + snapshot_file(built_site).relative_to(built_site).as_posix()]
        page.reload()
        wait_ready(page)
        assert marked(page, FROM_SNAPSHOT)
        page.fill("#after-tax-space-employer_contributions", "10000")
        # 415(c) - 402(g) - 10,000 in the site year (2026: 72,000 - 24,500 - 10,000)
        wait_output(page, "after_tax_room", answer({"employer_contributions": 10000}))


def test_storing_a_new_snapshot_deletes_older_ones(new_page, site_url, built_site):
    page = new_page()
    page.goto(site_url + "index.html")
    old = site_url + "assets/python/000000000000/python-memory.snapshot"
    page.evaluate("""(old) => caches.open('calculator-snapshots')
      .then((cache) => cache.put(old, new Response('an older site\\'s snapshot')))""", old)
    assert stored_snapshots(page) == [old]
    page.goto(site_url + PAGE)
    wait_ready(page)
    wait_marked(page, DOWNLOADED)
    assert stored_snapshots(page) == [site_url + snapshot_file(built_site).relative_to(built_site).as_posix()]


@pytest.mark.parametrize("reader", ["save-data", "2g"])
def test_a_reader_saving_data_or_on_a_slow_link_gets_no_background_download(new_page, site_url, reader):
    page = new_page()
    requests = record_requests(page)
    cdp = page.context.new_cdp_session(page)
    if reader == "save-data":
        cdp.send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    else:
        # A 2g round trip (Chromium derives the effective type from it), with a fast
        # download so that the test does not take minutes.
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 1500,
                 "downloadThroughput": 20e6, "uploadThroughput": 20e6})
    page.goto(site_url + PAGE)
    assert page.evaluate("[navigator.connection.saveData, navigator.connection.effectiveType]") == (
        [True, "4g"] if reader == "save-data" else [False, "2g"])
    wait_ready(page)
    page.wait_for_timeout(2000)  # the background download would start at once
    assert not marked(page, DOWNLOADED)
    assert not [url for url in requests if url.endswith(".snapshot")]


# --- Progress and failure -------------------------------------------------------------

# Logs each change of the progress text, with its time, from when the line is made.
WATCH_PROGRESS = """() => {
  window.progressLog = [];
  const line = document.querySelector('#calculator-after-tax-space [data-progress]');
  new MutationObserver(() => {
    const bar = line.querySelector('progress');
    window.progressLog.push([performance.now(), line.textContent.trim(), bar.value, bar.max, line.hidden]);
  }).observe(line, { subtree: true, childList: true, characterData: true, attributes: true });
}"""


def test_the_download_shows_its_progress_to_the_eye_and_announces_only_start_and_finish(new_page, site_url):
    page = new_page(**PHONE)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # About 9 Mbit/s: a few seconds of download.
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 40,
             "downloadThroughput": 9e6 / 8, "uploadThroughput": 9e6 / 8})
    page.goto(site_url + PAGE)
    page.evaluate(WATCH_PROGRESS)
    line = f"{BLOCK} [data-progress]"
    # Out of the live region, and hidden from screen readers.
    assert page.eval_on_selector(line, "e => e.getAttribute('aria-hidden')") == "true"
    assert page.eval_on_selector(line, "e => e.closest('[role=status], [aria-live]')") is None
    assert page.eval_on_selector(line, "e => e.previousElementSibling.matches('[data-status]')")
    page.locator(BLOCK).scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('#calculator-after-tax-space [data-status]')"
                           ".textContent === 'Downloading Python…'", timeout=10_000)
    wait_ready(page)
    log = page.evaluate("window.progressLog")
    counted = [entry for entry in log if " of " in entry[1]]
    assert len({text for _, text, *_ in counted}) >= 3, log
    # "1.2 of 3.7 MB": whole tenths of a megabyte, the total on the wire (brotli here).
    done, total = counted[-1][1].removesuffix(" MB").split(" of ")
    assert done == total and 3.0 <= float(total) <= 4.5, counted[-1]
    values = [value for _, _, value, *_ in counted]
    assert values == sorted(values)
    # Updated at least once a second while it lasts: the worker reports every 250 ms while
    # bytes arrive. A machine busy with other work can stall the page now and then, so the
    # typical gap is held to a second and the longest to a few.
    finished = next(i for i, (_, _, value, most, _) in enumerate(counted) if value >= most)
    times = [at for at, *_ in counted[:finished + 1]]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert statistics.median(gaps) <= 1000 and max(gaps) <= 3000, gaps
    assert page.eval_on_selector(line, "e => e.hidden")


@pytest.mark.parametrize(("failure", "says"), [
    ("abort", "could not download pyodide.asm.wasm: the network connection failed"),
    ("404", "could not download pyodide.asm.wasm (HTTP 404)"),
])
def test_a_failed_download_is_named(new_page, site_url, failure, says):
    page = new_page()
    page.context.route("**/pyodide.asm.wasm", lambda route: route.abort() if failure == "abort"
                       else route.fulfill(status=404, body="not here"))
    page.goto(site_url + PAGE)
    page.locator(BLOCK).scroll_into_view_if_needed()
    status = f"{BLOCK} [data-status]"
    page.wait_for_function(
        f"() => document.querySelector('{status}').textContent.includes('could not start')",
        timeout=READY_TIMEOUT_MS)
    assert says in page.inner_text(status)
    assert page.eval_on_selector(f"{BLOCK} [data-progress]", "e => e.hidden")
