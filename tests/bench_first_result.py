"""Time from navigation to the first live calculator result in Chromium (not a test).

Usage: .venv/bin/python tests/bench_first_result.py [--runs 5]
Builds the site, serves it on 127.0.0.1, and prints the median of cold loads
(fresh browser context: empty cache) and warm loads (reload in the same context).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from serve import make_server  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, build_site  # noqa: E402

PAGE = "how-to.html"
MARK = "calculator-first-result"


def first_result_ms(page) -> float:
    page.wait_for_function(f"performance.getEntriesByName('{MARK}').length > 0", timeout=60_000)
    return page.evaluate(f"performance.getEntriesByName('{MARK}')[0].startTime")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="loads of each kind (default 5)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        done = build_site(ROOT, site)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        server = make_server(site, 0, quiet=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/{PAGE}"
        cold, warm = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                cold.append(first_result_ms(page))
                page.reload()
                warm.append(first_result_ms(page))
                context.close()
            browser.close()
        server.shutdown()
    for name, times in (("cold", cold), ("warm", warm)):
        runs = ", ".join(f"{t:.0f}" for t in times)
        print(f"{name}: median {statistics.median(times):.0f} ms over {len(times)} runs ({runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
