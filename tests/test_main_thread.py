"""Pyodide stays off the page's main thread: it is loaded only by the worker, and typing
into a calculator costs the page's thread less than a long task (50 ms) per answer."""

from __future__ import annotations

from .helpers import wait_ready

# Types a value and resolves when the calculator's headline has been redrawn.
TYPE_AND_WAIT = """async ([field, value]) => {
  const block = document.querySelector('#calculator-roth-vs-taxable');
  const summary = block.querySelector('[data-summary]');
  const redrawn = new Promise((resolve) => {
    const watch = new MutationObserver(() => { watch.disconnect(); resolve(); });
    watch.observe(summary, { childList: true, characterData: true, subtree: true });
  });
  const input = document.querySelector(`#roth-vs-taxable-${field}`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await redrawn;
}"""


def test_pyodide_is_loaded_by_the_worker_never_by_the_page(chromium_live):
    page = chromium_live()
    # The page's own resource timeline lists what its main thread loaded; the worker's
    # downloads are in the worker's timeline.
    loaded = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    assert any(name.endswith("calculators.js") for name in loaded)
    # Pyodide's code, its module and its WebAssembly, only the worker loads and runs. (The
    # page may ask for the library and the calculators, to hand each response, unread, to
    # the worker: start.js.)
    assert not [name for name in loaded if ("/assets/pyodide/" in name or "/assets/python/" in name)
                and name.endswith((".mjs", ".wasm"))]


def test_typing_into_the_largest_calculator_costs_the_page_no_long_task(warm_page, site_url):
    page = warm_page()
    # The comparison draws the longest table and the chart of the site.
    page.goto(site_url + "wider-plan.html")
    wait_ready(page, "roth-vs-taxable")
    # The page's own thread's CPU time, not the clock: a long task is 50 ms of the page's
    # thread, and the clock also counts the time other processes (the suite's other
    # worker) had the CPU, which the page cannot help.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})

    def thread_seconds() -> float:
        metrics = cdp.send("Performance.getMetrics")["metrics"]
        return next(m["value"] for m in metrics if m["name"] == "ThreadTime")

    answers = ("60", "30", "59", "1", "45")
    before = thread_seconds()
    for years in answers:
        page.evaluate(TYPE_AND_WAIT, ["years", years])
    per_answer_ms = (thread_seconds() - before) * 1000 / len(answers)
    print(f"page thread per answer: {per_answer_ms:.1f} ms of CPU")
    assert per_answer_ms < 50, f"{per_answer_ms:.0f} ms of the page's thread per answer"
