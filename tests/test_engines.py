"""The calculators in the three engines readers use: Chromium, Firefox ESR and WebKitGTK
(Safari's engine), each against the built site served by serve.py (drivers: tests/engines.py),
and the typing and link tests also against the offline copy opened from disk (file://, no
server; Firefox with security.fileuri.strict_origin_policy on, as readers have it) and, on
one calculator, served by the copy's own launcher.

Each test acts as a reader does: it brings a calculator into view and goes to its first
field before waiting for a live result, or opens a scenario link directly. An engine that
cannot start fails its tests with a message naming the package to install.
"""

from __future__ import annotations

import functools
import shutil
import threading
import time

import pytest

from calculators import CALCULATORS, dollars, load_limits, run
from serve import SiteHandler, make_server, part_document, script_content

from .helpers import (
    DISCLAIMER,
    DOWNLOADED,
    FIRST_RESULT,
    FROM_SNAPSHOT,
    MARKED_JS,
    OUTPUT_JS,
    PAGE,
    READY_JS,
    SITE_YEAR,
    answer,
    expected_change,
    link,
    old_link,
    pdf_pages_text,
    serve_site,
    snapshot_file,
    without_module,
)

# Worked example B, 2025: 70,000 - (31,000 - 7,500 catch-up) - 10,000 = 36,500.
EXAMPLE_B = {"year": "2025", "age": "55", "compensation": "250000", "elective_deferrals": "31000",
             "employer_contributions": "10000"}

# Seconds from typing to the answer: WebKitGTK took 8-15 s for a calculator's first
# recompute on this busy 2-core machine (later ones well under a second).
TYPED_TIMEOUT = 30
# Brings the calculator into view and into use, as a reader scrolling to it and tapping it.
REACH_JS = """(name) => {
  const block = document.querySelector(`#calculator-${name}`);
  block.scrollIntoView();
  block.querySelector('input, select').focus();
}"""
VISIBLE_JS = "(selector) => document.querySelector(selector).checkVisibility()"
# A calculator's tables (cell texts) and charts (each line's points), by output name.
RENDERED_JS = """(name) => {
  const block = document.querySelector(`#calculator-${name}`);
  const all = (selector, read) => Object.fromEntries(
    [...block.querySelectorAll(selector)].map((node) => read(node)));
  return {
    tables: all('[data-output-table]', (table) => [table.dataset.outputTable,
      [...table.querySelectorAll('tbody tr')].map((row) => [...row.cells].map((cell) => cell.textContent))]),
    charts: all('[data-output-chart]', (chart) => [chart.dataset.outputChart,
      [...chart.querySelectorAll('polyline')].map((line) => line.getAttribute('points'))]),
  };
}"""


@pytest.fixture(params=["served", "disk"])
def base(request):
    """Where pages come from: the built site served by serve.py, or the offline copy (make
    bundle's zip, unzipped) opened from disk."""
    if request.param == "served":
        return request.getfixturevalue("site_url")
    return request.getfixturevalue("unzipped_bundle").as_uri() + "/"


def reach(page, name: str = "after-tax-space") -> None:
    """Scrolls to the calculator, goes to its first field and waits for its first live result."""
    page.evaluate(REACH_JS, name)
    wait_ready(page, name)


def wait_ready(page, name: str = "after-tax-space") -> None:
    page.wait_for(READY_JS, name, what=f"the live {name} calculator")


def wait_output(page, name: str, text: str, calculator: str = "after-tax-space") -> None:
    page.wait_for(OUTPUT_JS, [calculator, name, text], timeout=TYPED_TIMEOUT,
                  what=f"{calculator} {name} to show {text}")


def output(page, name: str, calculator: str = "after-tax-space") -> str:
    return page.evaluate(
        "([c, n]) => document.querySelector(`#calculator-${c} [data-output=\"${n}\"]`).textContent",
        [calculator, name])


def value_of(page, selector: str) -> str:
    return page.evaluate("(s) => document.querySelector(s).value", selector)


def marked(page, name: str) -> bool:
    return page.evaluate(MARKED_JS, name)


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= page.width


# --- Every calculator, typing ----------------------------------------------------------

PHONE = {"width": 390, "height": 844}


def type_change_and_check(page, name: str) -> None:
    """Makes the calculator's example change as a reader types it, then checks that the
    page shows what CPython displays for it: the headline, every table and every chart."""
    field, value, expected_rows, headline = expected_change(name)
    control = f"#{name}-{field}"
    if page.evaluate("(s) => document.querySelector(s).tagName", control) == "SELECT":
        page.select(control, value)
    else:
        page.fill(control, value)
    wait_output(page, headline["name"], headline["text"], name)
    shown = page.evaluate(RENDERED_JS, name)
    for row in expected_rows:
        if row["kind"] == "table":
            assert shown["tables"][row["name"]] == row["rows"]
        elif row["kind"] == "chart":
            assert shown["charts"][row["name"]] == [s["points"] for s in row["chart"]["series"]]


def test_leaving_employer_shows_and_prints_the_employer_stock_rows(live):
    # Issue 29: employer stock adds the NUA outputs and a fifth choice, live and on paper.
    # 100,000 of stock bought for 20,000: NUA 80,000; the NUA row taxes 29% x 20,000 = 5,800.
    page = live("leaving-employer")
    page.fill("#leaving-employer-employer_stock_value", "100000")
    page.fill("#leaving-employer-employer_stock_basis", "20000")
    wait_output(page, "nua", "$80,000", "leaving-employer")
    rows = page.evaluate(RENDERED_JS, "leaving-employer")["tables"]["options"]
    assert [row[:2] for row in rows][-1] == [
        "Take the employer stock out in kind (NUA), roll the rest to IRAs", "$5,800"]
    page.print_media()
    for shown in ('[data-output-row="nua"]', '[data-output-row="nua_compare"]',
                  '[data-output-table="options"]', '[data-output-table="payout_parts"]'):
        assert page.evaluate(VISIBLE_JS, f"#calculator-leaving-employer {shown}"), shown


@pytest.mark.parametrize("name", list(CALCULATORS))
def test_every_calculator_recomputes_as_the_reader_types_at_phone_width(live, name):
    page = live(name, **PHONE)
    type_change_and_check(page, name)
    assert no_sideways_scrolling(page)
    # On phones the results sit below a long form: the sticky summary keeps the answer in view.
    summary = f"#calculator-{name} [data-summary]"
    assert page.evaluate(VISIBLE_JS, summary)
    _, _, _, headline = expected_change(name)
    assert page.evaluate("(s) => document.querySelector(s + ' strong').textContent",
                         summary) == headline["text"]


def test_from_disk_a_calculator_reaches_a_live_result_and_recomputes(open_page, unzipped_bundle):
    """The disk path does not depend on the calculator: one stands for all. The default copy
    has no memory snapshot: Python starts afresh."""
    page = open_page()
    page.goto(unzipped_bundle.as_uri() + "/" + PAGE)
    reach(page, "after-tax-space")
    assert not marked(page, FROM_SNAPSHOT)
    type_change_and_check(page, "after-tax-space")


def test_from_disk_the_copy_with_the_snapshot_starts_from_it_and_recomputes(open_page, snapshot_bundle):
    page = open_page()
    page.goto(snapshot_bundle.as_uri() + "/" + PAGE + "#calculator-after-tax-space")
    wait_ready(page)
    assert marked(page, FROM_SNAPSHOT), "Python started afresh, not from the copy's snapshot"
    page.fill("#after-tax-space-employer_contributions", "0")
    wait_output(page, "after_tax_room", answer({"employer_contributions": 0}))


def test_through_the_launcher_a_calculator_reaches_a_live_result_and_recomputes(open_page, launcher):
    """The launcher serves the runtime from the scripts pages from disk load (the copy holds
    it once): the worker gets it as from the site."""
    page = open_page()
    page.goto(launcher + PAGE)
    reach(page, "after-tax-space")
    type_change_and_check(page, "after-tax-space")


def test_from_disk_the_engine_refuses_fetch_as_readers_browsers_do(engine, unzipped_bundle):
    """The disk tests run with the engine's stock file:// rules (Firefox's puppeteer profile
    relaxes them unless told otherwise): a page from disk may not fetch a file beside it,
    so the calculators there work without fetch."""
    page = engine.new_page()  # not open_page: Firefox reports the refusal as an error, at times
    try:
        page.goto(unzipped_bundle.as_uri() + "/" + PAGE)
        fetched = page.evaluate(
            "() => fetch('index.html').then((r) => r.text()).then(() => 'read', () => 'refused')")
        assert fetched == "refused"
        time.sleep(0.5)  # Firefox's report of the refusal comes a moment later
        others = [error for error in page.errors() if "index.html" not in error]
        assert not others, f"JavaScript errors in {engine.name}: {others}"
    finally:
        page.close()


# Material searches on key events: the value typed, then a key released.
SEARCH_JS = """(query) => {
  const input = document.querySelector('.md-search__input');
  document.querySelector('[data-md-toggle=search]').click();
  input.focus();
  input.value = query;
  input.dispatchEvent(new KeyboardEvent('keyup', { key: 'r', bubbles: true }));
}"""


def test_from_disk_the_copy_made_for_mail_searches_with_its_inline_index(open_page, unzipped_bundle):
    """Its search worker and index are inline in the page (no script file in the copy)."""
    page = open_page()
    page.goto(unzipped_bundle.as_uri() + "/index.html")
    page.evaluate(SEARCH_JS, "rollover")
    page.wait_for("() => document.querySelectorAll('.md-search-result__item').length > 0",
                  what="a search result")


@pytest.fixture(scope="module")
def copy_missing_a_part(unzipped_bundle, tmp_path_factory):
    """The offline copy with the last part that carries the WebAssembly file deleted."""
    folder = tmp_path_factory.mktemp("incomplete") / "copy"
    shutil.copytree(unzipped_bundle, folder)
    part = sorted(folder.glob("assets/offline/*-pyodide.asm.wasm*.html"))[-1]
    part.unlink()
    return folder, f"assets/offline/{part.name}"


def test_from_disk_a_missing_file_is_named_and_the_example_stays(open_page, copy_missing_a_part):
    folder, missing = copy_missing_a_part
    page = open_page()
    page.goto(folder.as_uri() + "/" + PAGE + "#calculator-after-tax-space")
    status = "#calculator-after-tax-space [data-status]"
    page.wait_for("(s) => document.querySelector(s).textContent.includes('could not start')",
                  status, what="the message that the calculator could not start")
    text = page.evaluate("(s) => document.querySelector(s).textContent", status)
    assert f"this copy lacks the file {missing}" in text, text
    assert not page.evaluate(VISIBLE_JS, "#calculator-after-tax-space [data-progress]")
    assert output(page, "after_tax_room") == answer({})  # the example's result stays


@pytest.fixture(scope="module")
def copy_for_older_browsers(unzipped_bundle, tmp_path_factory):
    """The offline copy with its worker made to run as in a browser without
    Uint8Array.fromBase64 (Chrome before 140, Firefox before 133, Safari before 18.2)."""
    folder = tmp_path_factory.mktemp("older") / "copy"
    shutil.copytree(unzipped_bundle, folder)
    part = folder / "assets" / "offline" / "0-worker.html"
    entry = script_content(part.read_text())
    entry["text"] = "delete Uint8Array.fromBase64;\n" + entry["text"]
    part.write_text(part_document(entry))
    return folder


def test_from_disk_a_browser_without_from_base64_decodes_the_files_too(open_page, copy_for_older_browsers):
    page = open_page()
    page.goto(copy_for_older_browsers.as_uri() + "/" + PAGE + "#calculator-after-tax-space")
    wait_ready(page)
    page.fill("#after-tax-space-employer_contributions", "0")
    wait_output(page, "after_tax_room", answer({"employer_contributions": 0}))


# --- Links -------------------------------------------------------------------------------


def test_a_scenario_link_reopens_its_numbers(open_page, base):
    page = open_page()
    # Worked example B in 2025: 70,000 - (31,000 - 7,500) - 10,000 = 36,500
    page.goto(base + PAGE + link("after-tax-space", EXAMPLE_B))
    wait_ready(page)
    wait_output(page, "after_tax_room", "$36,500")
    assert value_of(page, "#after-tax-space-age") == "55"
    assert value_of(page, "#after-tax-space-year") == "2025"
    assert output(page, "catch_up_used") == "$7,500"
    assert not page.evaluate(VISIBLE_JS, "#calculator-after-tax-space [data-link-note]")


def test_an_old_query_link_opens_its_numbers_and_its_address_loses_them(open_page, site_url):
    page = open_page()
    page.goto(site_url + PAGE + old_link("after-tax-space", EXAMPLE_B))
    wait_ready(page)
    wait_output(page, "after_tax_room", "$36,500")  # worked example B, as above
    assert value_of(page, "#after-tax-space-age") == "55"
    # Rewritten without a reload: a bookmark or copy made now sends no value to a server.
    address = page.evaluate("() => [location.search, location.hash]")
    assert address[0] == "" and address[1].startswith("#calculator-after-tax-space?")
    assert "age=55" in address[1] and "compensation=250000" in address[1]


def test_a_second_link_in_the_same_tab_opens_its_numbers(open_page, site_url):
    page = open_page()
    page.goto(site_url + PAGE + link("after-tax-space", EXAMPLE_B))
    wait_ready(page)
    wait_output(page, "after_tax_room", "$36,500")
    # Only what follows the "#" changes: no new page, the block takes the new values.
    page.evaluate("() => { window.samePage = true; }")
    page.evaluate("(hash) => { location.hash = hash; }",
                  link("after-tax-space", {"compensation": "40000", "age": "nope"})[1:])
    # Pay 40,000 in the site year, the rest the example's: min(415(c), 40,000) - deferrals - employer.
    wait_output(page, "after_tax_room", answer({"compensation": 40000}))
    assert page.evaluate("() => window.samePage") is True
    assert value_of(page, "#after-tax-space-year") == str(SITE_YEAR)
    note = "#calculator-after-tax-space [data-link-note]"
    page.wait_for(VISIBLE_JS, note, timeout=10, what="the link note")
    assert '("nope")' in page.evaluate("(s) => document.querySelector(s).textContent", note)


def test_a_hostile_link_is_shown_as_text(open_page, base):
    page = open_page()
    script = "<img src=x onerror=alert(1)><script>window.pwned=1</script>"
    page.goto(base + PAGE + link("after-tax-space",
                                 {"compensation": "40000", "age": script, "bogus": "1"}))
    wait_ready(page)
    # Compensation 40,000 is valid and kept: min(72,000, 40,000) - 24,500 - 6,000 = 9,500.
    wait_output(page, "after_tax_room", "$9,500")
    note = "#calculator-after-tax-space [data-link-note]"
    page.wait_for(VISIBLE_JS, note, timeout=10, what="the link note")
    text = page.evaluate("(s) => document.querySelector(s).textContent", note)
    assert script in text and "Age on December 31" in text and "whole number" in text
    assert '"bogus" is not a field' in text
    assert value_of(page, "#after-tax-space-age") == "40"  # back to the example value
    assert page.evaluate("() => window.pwned") is None
    assert page.evaluate(f"() => document.querySelectorAll('{note} img, {note} script').length") == 0
    address = page.evaluate("() => location.href")
    assert "age=40" in address and "bogus" not in address and "script" not in address


# --- The printed handout -----------------------------------------------------------------


def test_the_printed_handout_shows_the_calculator_in_use(open_page, site_url, tmp_path):
    page = open_page()
    page.goto(site_url + PAGE)
    reach(page, "paycheck-planner")
    page.fill("#paycheck-planner-pay_per_period", "9000")
    page.wait_for("() => location.hash.includes('pay_per_period=9000')", timeout=TYPED_TIMEOUT)
    page.print_media()
    block = "#calculator-paycheck-planner"
    for shown in (f"{block} .calculator__print-only", f"{block} .calculator__print-title"):
        assert page.evaluate(VISIBLE_JS, shown), f"{shown} is not printed"
    for hidden in ("#calculator-after-tax-space", ".md-header", f"{block} [data-copy-link]"):
        assert not page.evaluate(VISIBLE_JS, hidden), f"{hidden} is printed"
    handout = page.evaluate("(s) => document.querySelector(s).innerText",
                            f"{block} .calculator__print-only")
    site_year = load_limits().for_year(SITE_YEAR)
    assert f"Tax year {SITE_YEAR}: IRS limits from {site_year.source}" in handout
    assert "pay_per_period=9000" in handout and DISCLAIMER in " ".join(handout.split())
    pdf = page.pdf()  # None in WebKit: WebKitWebDriver cannot print (see engines.py)
    if pdf is not None:
        pages = pdf_pages_text(pdf, tmp_path)
        assert 1 <= len(pages) <= 2, f"handout printed on {len(pages)} pages"
        assert all(text.strip() for text in pages), "a printed page is blank"


# --- How Python starts: the memory snapshot ------------------------------------------------


def test_a_warm_visit_starts_from_the_snapshot(open_page, site_url):
    page = open_page(fresh=True)
    page.goto(site_url + PAGE)
    reach(page)
    assert not marked(page, FROM_SNAPSHOT), "a first visit started from the snapshot"
    page.wait_for(MARKED_JS, DOWNLOADED, what="the snapshot's background download")
    # Second visit: a link with a scenario unlike the examples the snapshot was made with.
    inputs = {"year": "2025", "age": "61", "compensation": "150000.50",
              "elective_deferrals": "35000", "employer_contributions": "12345.67"}
    page.goto(site_url + "index.html")  # away first: the same page with a new "#" is no visit
    page.goto(site_url + PAGE + link("after-tax-space", inputs))
    wait_ready(page)
    expected = run("after-tax-space", inputs)
    wait_output(page, "after_tax_room", dollars(expected["after_tax_room"]))
    assert marked(page, FROM_SNAPSHOT), "the warm visit started Python afresh"
    page.fill("#after-tax-space-employer_contributions", "0")
    changed = run("after-tax-space", {**inputs, "employer_contributions": "0"})
    wait_output(page, "after_tax_room", dollars(changed["after_tax_room"]))


class HoldingServer:
    """serve.py's handler, recording when each file is asked for and holding back every
    snapshot request until the test ends: a page that waits for the snapshot never answers."""

    def __init__(self, site):
        self.requests: list[tuple[float, str]] = []
        self.release = threading.Event()
        holder = self

        class Handler(SiteHandler):
            def do_GET(self):
                holder.requests.append((time.time() * 1000, self.path))
                if self.path.endswith(".snapshot"):
                    holder.release.wait(120)
                super().do_GET()

        self.server = make_server(site, 0, quiet=True)
        self.server.RequestHandlerClass = functools.partial(Handler, directory=str(site))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def test_a_first_visit_never_fetches_the_snapshot_before_its_first_result(
        open_page, built_site):
    server = HoldingServer(built_site)
    try:
        page = open_page(fresh=True)
        page.goto(server.url + PAGE)
        page.evaluate(REACH_JS, "after-tax-space")
        try:
            wait_ready(page)
        except AssertionError:
            asked = [path for _, path in server.requests if path.endswith(".snapshot")]
            assert not asked, f"the first result waits for the snapshot, held back: {asked}"
            raise
        # The page's clock and this one are the same machine's: when the first result
        # showed, in ms since the epoch.
        shown_at = page.evaluate(
            "(name) => performance.timeOrigin + performance.getEntriesByName(name)[0].startTime",
            FIRST_RESULT)
        assert not marked(page, FROM_SNAPSHOT)
        early = [(at, path) for at, path in server.requests
                 # 250 ms: the result's message from the worker to the page, on a busy machine
                 if path.endswith(".snapshot") and at < shown_at - 250]
        assert not early, f"snapshot asked for {shown_at - early[0][0]:.0f} ms before the first result"
        assert any(path.endswith(".whl") for _, path in server.requests)
    finally:
        server.close()


# --- A failure to start --------------------------------------------------------------------


@pytest.fixture(scope="module")
def site_without_tomllib(built_site, tmp_path_factory):
    site = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(built_site, site)
    (stdlib,) = site.glob("assets/pyodide/*/python_stdlib.zip")
    without_module(stdlib, "tomllib")
    # No snapshot: Python must start from the trimmed library each time.
    snapshot = snapshot_file(site)
    for path in snapshot.parent.glob(snapshot.name + "*"):
        path.unlink()
    with serve_site(site) as url:
        yield url


def test_a_failure_to_start_shows_the_clear_message_not_a_blank_calculator(
        open_page, site_without_tomllib):
    page = open_page(fresh=True)
    page.goto(site_without_tomllib + PAGE)
    page.evaluate(REACH_JS, "after-tax-space")
    status = "#calculator-after-tax-space [data-status]"
    page.wait_for("(s) => document.querySelector(s).textContent.includes('could not start')",
                  status, what="the message that the calculator could not start")
    assert "lacks the module 'tomllib'" in page.evaluate(
        "(s) => document.querySelector(s).textContent", status)
    assert output(page, "after_tax_room") == answer({})  # the example's result stays


# --- A client's numbers stay on the client's device -----------------------------------------


def test_a_copied_link_sends_no_value_to_the_server(live, open_page, site_requests):
    # A pay no page or file holds, typed as a reader does; its link opened in a new page.
    # Under the 415(c) dollar limit, so that the answer moves: min(415(c), 60,123) - the
    # example's deferrals and employer money.
    pay = "60123"
    page = live()
    page.fill("#after-tax-space-compensation", pay)
    page.wait_for(OUTPUT_JS, ["after-tax-space", "after_tax_room",
                              answer({"compensation": int(pay)})], timeout=TYPED_TIMEOUT)
    assert answer({"compensation": int(pay)}) != answer({})
    page.wait_for("(pay) => location.hash.includes(pay)", pay, timeout=TYPED_TIMEOUT)
    # What "Copy link to these numbers" copies, and what the address bar shows.
    copied = page.evaluate("() => document.querySelector("
                           "'#calculator-after-tax-space [data-print-url]').textContent")
    assert page.evaluate("() => location.href") == copied and pay in copied
    other = open_page()
    other.goto(copied)
    wait_ready(other)
    other.wait_for(OUTPUT_JS, ["after-tax-space", "after_tax_room",
                               answer({"compensation": int(pay)})], timeout=TYPED_TIMEOUT)
    # The recorder sees a query string when there is one: an old link's values arrive.
    other.goto(copied.split("#")[0] + old_link("after-tax-space", {"age": "47"}))
    wait_ready(other)
    lines = site_requests()
    assert [line for line in lines if PAGE in line], "the server saw no request for the page"
    assert not [line for line in lines if pay in line]
    assert [line for line in lines if "age=47" in line]
