"""The built site under Debian's nginx and under serve.py, in one run (not a test).

Usage: .venv/bin/python tests/bench_hosting.py [--runs 5]

Builds the site in a temporary folder, serves it with nginx (the generated server
block, as tests/test_hosting.py starts it) and with serve.py, and prints:
- the response headers nginx sends for a calculator page and for the WebAssembly
  runtime, to a browser that accepts brotli;
- the first live result, cold (a new browser context) and warm (a reload after the
  first visit's background download of the memory snapshot), as medians of --runs.
"""

from __future__ import annotations

import http.client
import os
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.bench import (  # noqa: E402
    CALCULATOR_LINK,
    CALCULATOR_PAGE,
    DOWNLOADED,
    FROM_SNAPSHOT,
    build,
    first_result_ms,
    marked,
    parse_runs,
)
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve_site  # noqa: E402
from tests.test_hosting import runtime_file, serve_with_nginx  # noqa: E402


def response_headers(url: str) -> str:
    """The status line and headers a server sends for a GET that accepts brotli and gzip."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    connection.request("GET", parts.path, headers={"Accept-Encoding": "br, gzip"})
    response = connection.getresponse()
    response.read()
    connection.close()
    lines = [f"HTTP/1.1 {response.status} {response.reason}"]
    lines += [f"{name}: {value}" for name, value in response.getheaders()]
    return "\n".join(lines)


def cold_and_warm(browser, url: str) -> tuple[float, float]:
    """One reader's first visit (cold) and reload (warm), in a fresh browser context."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + CALCULATOR_LINK)  # Python starts at once for a calculator's anchor
    cold = first_result_ms(page)
    page.wait_for_function(f"() => performance.getEntriesByName('{DOWNLOADED}').length > 0",
                           timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.reload()
    warm = first_result_ms(page)
    assert marked(page, FROM_SNAPSHOT), "warm visit did not start from the snapshot"
    context.close()
    return cold, warm


def main() -> int:
    runs = parse_runs(__doc__.splitlines()[0])
    times: dict[str, list[tuple[float, float]]] = {"nginx": [], "serve.py": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        site = Path(tmp) / "site"
        build(site, baseline=False)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with serve_with_nginx(site, Path(tmp) / "nginx") as nginx_url, \
                serve_site(site) as serve_url:
            for path in (CALCULATOR_PAGE, runtime_file(site, "pyodide.asm.wasm")):
                print(f"## nginx: GET /{path}\n\n{response_headers(nginx_url + path)}\n")
            servers = [("nginx", nginx_url), ("serve.py", serve_url)]
            for run in range(runs):  # alternated, so both see the same machine load
                for name, url in servers[::-1] if run % 2 else servers:
                    times[name].append(cold_and_warm(browser, url))
        browser.close()
    print(f"## First live result on {CALCULATOR_PAGE}, medians of {runs} runs "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end)\n")
    print("| Server | Cold (ms) | Warm, from the snapshot (ms) |\n|---|---:|---:|")
    for name, measured in times.items():
        cold = statistics.median(c for c, _ in measured)
        warm = statistics.median(w for _, w in measured)
        print(f"| {name} | {cold:.0f} | {warm:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
