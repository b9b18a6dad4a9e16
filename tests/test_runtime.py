"""The browser runtime as served: precompressed files, and the trimmed standard library's
clear message when a module the calculators need was left out."""

from __future__ import annotations

import shutil
import urllib.request

import pytest

from .helpers import serve_site, without_module


def fetch(url: str, encoding: str | None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request) as response:
        return response.headers, response.read()


@pytest.mark.parametrize(("accepts", "sent"), [("br, gzip", "br"), ("gzip", "gzip"), (None, None)])
def test_runtime_is_sent_precompressed_to_browsers_that_accept_it(built_site, site_url, accepts, sent):
    wasm = next(built_site.glob("assets/pyodide/*/pyodide.asm.wasm")).relative_to(built_site)
    headers, body = fetch(site_url + wasm.as_posix(), accepts)
    assert headers["Content-Type"] == "application/wasm"
    assert headers.get("Content-Encoding") == sent
    raw = (built_site / wasm).stat().st_size
    if sent:
        assert len(body) < raw * 0.4  # 9.6 MB of wasm travels as under 40%
    else:
        assert len(body) == raw


def test_every_compressible_page_and_asset_has_both_encodings(built_site):
    for name in ("how-to.html", "javascripts/calculators.js", "search/search_index.json"):
        assert (built_site / (name + ".br")).is_file() and (built_site / (name + ".gz")).is_file()
    (stdlib,) = built_site.glob("assets/pyodide/*/python_stdlib.zip")
    assert (stdlib.parent / "python_stdlib.zip.br").stat().st_size < stdlib.stat().st_size / 2


def test_a_module_left_out_of_the_trimmed_stdlib_gives_a_clear_message(new_page, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    (stdlib,) = site.glob("assets/pyodide/*/python_stdlib.zip")
    without_module(stdlib, "tomllib")
    with serve_site(site) as site_url:
        page = new_page()
        page.goto(site_url + "how-to.html")
        page.locator("#calculator-after-tax-space").scroll_into_view_if_needed()  # starts Python
        status = "#calculator-after-tax-space [data-status]"
        page.wait_for_function(
            f"() => document.querySelector('{status}').textContent.includes('could not start')",
            timeout=60_000)
        assert "lacks the module 'tomllib'" in page.inner_text(status)
