"""Client links, the printed handout and the offline bundle, in Debian's Chromium.

- A copied link reopens the same inputs and results; a hostile link changes nothing
  but the values it may, and is shown as text.
- The unzipped bundle, served by its own launcher with every other origin blocked,
  works; opened from disk it shows text, results and search (its calculators from disk:
  tests/test_engines.py). The hosting build opened from disk says how to run them.
- No page makes a request to another origin.
"""

from __future__ import annotations

import time
import urllib.request
from urllib.parse import urlsplit

import pytest

from .helpers import (
    DISCLAIMER,
    PAGE,
    answer,
    output,
    pdf_pages_text,
    runtime_file,
    site_pages,
    wait_output,
    wait_ready,
)


def test_copied_link_reopens_the_same_inputs_and_results(chromium_live, warm_page):
    page = chromium_live()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.select_option("#after-tax-space-year", "2025")
    page.fill("#after-tax-space-age", "55")
    page.fill("#after-tax-space-compensation", "250000")
    page.fill("#after-tax-space-elective_deferrals", "31000")
    page.fill("#after-tax-space-employer_contributions", "10000")
    wait_output(page, "after_tax_room", "$36,500")  # worked example B
    page.click("#calculator-after-tax-space [data-copy-link]")
    page.wait_for_function("() => document.querySelector('[data-copy-status]').textContent !== ''")
    link = page.evaluate("navigator.clipboard.readText()")
    # The values follow the "#" (no request carries them): page.html#calculator-NAME?...
    page_part, values = link.split("#", 1)
    assert "?" not in page_part and values.startswith("calculator-after-tax-space?")
    assert "age=55" in values and "year=2025" in values

    reopened = warm_page()
    reopened.goto(link)
    wait_output(reopened, "after_tax_room", "$36,500")
    assert reopened.input_value("#after-tax-space-age") == "55"
    assert reopened.input_value("#after-tax-space-year") == "2025"
    assert output(reopened, "catch_up_used") == "$7,500"
    assert reopened.is_hidden("#calculator-after-tax-space [data-link-note]")


def test_typing_updates_the_url_without_adding_history_entries(chromium_live):
    page = chromium_live()
    before = page.evaluate("history.length")
    for value in ("5", "50", "55"):
        page.fill("#after-tax-space-age", value)
        time.sleep(0.3)
    page.wait_for_function("() => location.hash.includes('age=55')")
    assert page.evaluate("history.length") == before


@pytest.mark.parametrize("size", ["Letter", "A4"])
def test_printed_handout_ends_where_its_content_ends(chromium_live, tmp_path, size):
    # The after-tax space handout (inputs, results, source, link, disclaimer) fits one sheet;
    # it used to print a blank second one, as the theme makes every page a screen tall.
    page = chromium_live()
    try:
        page.emulate_media(media="print")
        pages = pdf_pages_text(page.pdf(format=size), tmp_path)
    finally:
        page.emulate_media(media="screen")
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
    # And a live calculator: its worker and the runtime it downloads.
    asked: list[str] = []
    page.context.on("request", lambda request: asked.append(request.url))
    page.goto(site_url + PAGE + "#calculator-after-tax-space")
    wait_ready(page)
    page.wait_for_load_state("networkidle")
    assert site_url + runtime_file(built_site, "pyodide.asm.wasm") in asked
    assert not foreign, foreign


def test_runtime_files_have_hashed_names_and_immutable_cache_headers(built_site, site_url):
    module = next(built_site.glob("assets/pyodide/*/pyodide.mjs")).relative_to(built_site)
    with urllib.request.urlopen(site_url + module.as_posix()) as response:
        assert response.headers["Content-Type"] == "text/javascript"
        assert "immutable" in response.headers["Cache-Control"]
    with urllib.request.urlopen(site_url + "how-to.html") as response:
        assert response.headers["Cache-Control"] == "no-cache"


# --- The offline bundle ---------------------------------------------------------------


def test_unzipped_bundle_works_with_other_origins_blocked(new_page, launcher):
    page = new_page()
    foreign: list[str] = []
    page.context.route("**/*", lambda route: (
        route.continue_() if urlsplit(route.request.url).netloc == urlsplit(launcher).netloc
        else (foreign.append(route.request.url), route.abort())))
    # A live calculator: its worker and the runtime the launcher serves (that it recomputes
    # there: tests/test_engines.py, in each engine).
    page.goto(launcher + "leaving-an-employer.html")
    wait_ready(page, "leaving-employer")
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
