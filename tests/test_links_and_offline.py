"""Client links, the printed handout and the offline bundle, in Debian's Chromium.

- A copied link reopens the same inputs and results; a hostile link changes nothing
  but the values it may, and is shown as text.
- The unzipped bundle, served by its own launcher with every other origin blocked,
  works; opened from disk it shows text, results and search (its calculators from disk:
  tests/test_engines.py). The hosting build opened from disk says how to run them.
- No page makes a request to another origin.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import DISCLAIMER, SITE_YEAR, site_pages
from .test_browser import answer, output, wait_output, wait_ready

pytestmark = pytest.mark.browser
PAGE = "how-to.html"


@pytest.fixture
def page(new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    return page


def test_copied_link_reopens_the_same_inputs_and_results(page, site_url):
    page.goto(site_url + PAGE)
    wait_ready(page)
    page.select_option("#after-tax-space-year", "2025")
    page.fill("#after-tax-space-age", "55")
    page.fill("#after-tax-space-compensation", "250000")
    page.fill("#after-tax-space-elective_deferrals", "31000")
    page.fill("#after-tax-space-employer_contributions", "10000")
    wait_output(page, "after_tax_room", "$36,500")  # worked example B
    page.click("#calculator-after-tax-space [data-copy-link]")
    page.wait_for_function("() => document.querySelector('[data-copy-status]').textContent !== ''")
    link = page.evaluate("navigator.clipboard.readText()")
    assert "calculator=after-tax-space" in link and "age=55" in link and "year=2025" in link
    assert link.endswith("#calculator-after-tax-space")

    reopened = page.context.new_page()
    reopened.goto(link)
    wait_output(reopened, "after_tax_room", "$36,500")
    assert reopened.input_value("#after-tax-space-age") == "55"
    assert reopened.input_value("#after-tax-space-year") == "2025"
    assert output(reopened, "catch_up_used") == "$7,500"
    assert reopened.is_hidden("#calculator-after-tax-space [data-link-note]")


def test_typing_updates_the_url_without_adding_history_entries(page, site_url):
    page.goto(site_url + PAGE)
    wait_ready(page)
    before = page.evaluate("history.length")
    for value in ("5", "50", "55"):
        page.fill("#after-tax-space-age", value)
        time.sleep(0.3)
    page.wait_for_function("() => location.search.includes('age=55')")
    assert page.evaluate("history.length") == before


def test_hostile_link_is_ignored_field_by_field_and_shown_as_text(page, site_url):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    script = "<img src=x onerror=alert(1)><script>window.pwned=1</script>"
    page.goto(site_url + PAGE + "?calculator=after-tax-space&compensation=40000&age="
              + urllib.request.quote(script) + "&bogus=1")
    wait_ready(page)  # Python's start, which on a busy machine takes more than wait_output's 10 s
    # Compensation 40,000 is valid and kept: min(415(c), 40,000) - 402(g) - 6,000
    # (2026: 40,000 - 24,500 - 6,000 = 9,500).
    wait_output(page, "after_tax_room", answer({"compensation": 40000}))
    note = "#calculator-after-tax-space [data-link-note]"
    page.wait_for_selector(note, state="visible")
    text = page.inner_text(note)
    assert script in text and "Age on December 31" in text and "whole number" in text
    assert '"bogus" is not a field' in text
    assert page.input_value("#after-tax-space-age") == "40"  # back to the example value
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.querySelectorAll('[data-link-note] img, [data-link-note] script').length") == 0
    assert not dialogs
    # The address no longer carries the refused values.
    assert "age=40" in page.url and "bogus" not in page.url and "script" not in page.url


def test_print_gives_a_short_handout_of_the_calculator_in_use(page, site_url, site_limits,
                                                              tmp_path):
    page.goto(site_url + PAGE)
    wait_ready(page)
    page.fill("#paycheck-planner-pay_per_period", "9000")
    page.wait_for_function("() => location.search.includes('pay_per_period=9000')")
    page.emulate_media(media="print")
    block = "#calculator-paycheck-planner"
    assert page.is_visible(f"{block} .calculator__print-only")
    assert page.is_hidden("#calculator-after-tax-space")
    assert page.is_hidden(".md-header") and page.is_hidden(f"{block} [data-copy-link]")
    handout = page.inner_text(f"{block} .calculator__print-only")
    assert f"Tax year {SITE_YEAR}: IRS limits from {site_limits.source}" in handout
    assert "pay_per_period=9000" in handout and DISCLAIMER in " ".join(handout.split())
    pages = pdf_pages_text(page.pdf(format="Letter"), tmp_path)
    assert 1 <= len(pages) <= 2, f"handout printed on {len(pages)} pages"
    assert all(text.strip() for text in pages), "a printed page is blank"


def pdf_pages_text(pdf: bytes, folder: Path) -> list[str]:
    """The text of each page of a PDF, by poppler's pdftotext (pages split by form feeds)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext not found: run `make test`, which installs poppler-utils",
                    pytrace=False)
    (folder / "handout.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(folder / "handout.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # each page ends in a form feed


@pytest.mark.parametrize("size", ["Letter", "A4"])
def test_printed_handout_ends_where_its_content_ends(page, site_url, tmp_path, size):
    # The after-tax space handout (inputs, results, source, link, disclaimer) fits one sheet;
    # it used to print a blank second one, as the theme makes every page a screen tall.
    page.goto(site_url + PAGE)
    wait_ready(page)
    page.emulate_media(media="print")
    pages = pdf_pages_text(page.pdf(format=size), tmp_path)
    assert len(pages) == 1, f"{len(pages)} pages; the last: {pages[-1][:200]!r}"
    assert DISCLAIMER in " ".join(pages[0].split())


def test_no_page_requests_anything_from_another_origin(new_page, site_url, built_site):
    page = new_page()
    foreign: list[str] = []
    origin = site_url.rstrip("/")
    page.context.route("**/*", lambda route: (
        route.continue_() if route.request.url.startswith(origin)
        else (foreign.append(route.request.url), route.abort())))
    pages = site_pages(built_site)
    assert len(pages) >= 13
    for name in pages:
        page.goto(site_url + name, wait_until="networkidle")
    assert not foreign, foreign


def test_runtime_files_have_hashed_names_and_immutable_cache_headers(built_site, site_url):
    module = next(built_site.glob("assets/pyodide/*/pyodide.mjs")).relative_to(built_site)
    with urllib.request.urlopen(site_url + module.as_posix()) as response:
        assert response.headers["Content-Type"] == "text/javascript"
        assert "immutable" in response.headers["Cache-Control"]
    with urllib.request.urlopen(site_url + "how-to.html") as response:
        assert response.headers["Cache-Control"] == "no-cache"


# --- The offline bundle ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def launcher(unzipped_bundle):
    port = free_port()
    # Started from another folder: the launcher serves its own folder.
    process = subprocess.Popen([sys.executable, str(unzipped_bundle / "serve.py"), "--port", str(port)],
                               cwd=unzipped_bundle.parent, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_unzipped_bundle_works_with_other_origins_blocked(new_page, launcher):
    page = new_page()
    foreign: list[str] = []
    page.context.route("**/*", lambda route: (
        route.continue_() if urlsplit(route.request.url).netloc == urlsplit(launcher).netloc
        else (foreign.append(route.request.url), route.abort())))
    page.goto(launcher + "leaving-an-employer.html")
    wait_ready(page, "leaving-employer")
    page.fill("#leaving-employer-age", "55")
    # 29% of 215,000 = 62,350, no 10% at 55
    wait_output(page, "cash_out_cost", answer({"age": 55}, "cash_out_cost", "leaving-employer"),
                "leaving-employer")
    page.goto(launcher + "index.html")
    search(page, "rollover")
    assert not foreign, foreign


def search(page, query: str) -> None:
    page.click(".md-search__input", timeout=5000)
    # Material searches on key events, which fill() does not send.
    page.keyboard.type(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)


def test_bundle_opened_from_disk_shows_text_results_and_search(new_page, unzipped_bundle):
    page = new_page()
    page.goto((unzipped_bundle / "how-to.html").as_uri())
    # The example's results are in the page before Python runs (from disk it starts only
    # when the reader comes near a calculator: tests/test_engines.py runs it there).
    assert output(page, "after_tax_room") == answer({})
    assert "Step 1: Confirm your plan allows it" in page.inner_text("article")
    search(page, "rollover")


def test_the_hosting_build_opened_from_disk_says_how_to_run_the_calculators(new_page, built_site):
    """site/ is for a web host: it has no Python for pages opened from disk (make bundle
    adds it), and says so instead of waiting."""
    page = new_page()
    page.goto((built_site / "how-to.html").as_uri() + "#calculator-after-tax-space")
    status = "#calculator-after-tax-space [data-status]"
    page.wait_for_function(f"() => document.querySelector('{status}').textContent.includes('could not start')")
    text = page.inner_text(status)
    assert "cannot run Python from disk" in text and "make bundle" in text and "python3 serve.py" in text
    assert output(page, "after_tax_room") == answer({})
